#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-version.sh KIOSQUE VERSION: `kiosque --version` prints "kiosque VERSION"
# then the renderer chosen ("Renderer: …") on stdout and exits 0, without a
# display or a session bus.
set -u
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$1" --version)
status=$?
if [ "$status" -ne 0 ]; then
  echo "kiosque --version exited with $status" >&2
  exit 1
fi
if [ "$(printf '%s\n' "$out" | head -n 1)" != "kiosque $2" ]; then
  echo "kiosque --version printed '$out', not 'kiosque $2' first" >&2
  exit 1
fi
if ! printf '%s\n' "$out" | grep -q '^Renderer: .'; then
  echo "kiosque --version does not say which renderer: '$out'" >&2
  exit 1
fi
