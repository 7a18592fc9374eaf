#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-version.sh KIOSQUE VERSION: `kiosque --version` prints "kiosque VERSION"
# on stdout and exits 0, without a display or a session bus.
set -u
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$1" --version)
status=$?
if [ "$status" -ne 0 ]; then
  echo "kiosque --version exited with $status" >&2
  exit 1
fi
if [ "$out" != "kiosque $2" ]; then
  echo "kiosque --version printed '$out', not 'kiosque $2'" >&2
  exit 1
fi
