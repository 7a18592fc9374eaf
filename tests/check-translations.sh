#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, when POTFILES.in is not sorted or names a missing file, or
# when po/fr.po lacks, leaves untranslated or marks fuzzy any message, or
# breaks French typography (tests/check-french-typography.py).
set -euo pipefail
srcdir=${1:?usage: check-translations.sh SOURCE_ROOT}
cd "$srcdir"
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -vE '^\s*(#|$)' po/POTFILES.in > "$tmp/potfiles"
if ! LC_ALL=C sort -c "$tmp/potfiles" 2>/dev/null; then
  echo "po/POTFILES.in is not sorted"; status=1
fi
while read -r f; do
  [ -f "$f" ] || { echo "po/POTFILES.in names a missing file: $f"; status=1; }
done < "$tmp/potfiles"

# Every file that marks strings for translation must be listed.
{
  grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(' src --include='*.c' || true
  grep -rl 'translatable="yes"' src data --include='*.ui' --include='*.xml' --include='*.in' || true
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml.in 2>/dev/null || true
} | LC_ALL=C sort -u > "$tmp/marked"
while read -r f; do
  if ! grep -qxF "$f" "$tmp/potfiles" && ! grep -qxF "$f" po/POTFILES.skip; then
    echo "$f has translatable strings but is not in po/POTFILES.in"; status=1
  fi
done < "$tmp/marked"

# fr.po itself: no untranslated, no fuzzy, valid.
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null po/fr.po 2>&1 | tail -1)
echo "po/fr.po: $stats"
case "$stats" in
  *untranslated*|*fuzzy*|*rror*) status=1 ;;
esac

# French typography in every translation (U+202F before ; ! ?, U+00A0 before
# : and inside « »).
python3 tests/check-french-typography.py po/fr.po || status=1

# fr.po must cover every message the sources have now.
xgettext --from-code=UTF-8 --add-comments=Translators -o "$tmp/kiosque.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  -f "$tmp/potfiles" 2> "$tmp/xgettext.log" || { cat "$tmp/xgettext.log"; exit 1; }
if ! msgcmp po/fr.po "$tmp/kiosque.pot" 2> "$tmp/msgcmp.log"; then
  echo "po/fr.po does not translate every message of the sources:"
  grep -E 'not found|translation' "$tmp/msgcmp.log" | head -40
  status=1
fi
exit $status
