#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-french-typography.py PO: fails when a French translation breaks
# French typography: a narrow no-break space (U+202F) before ; ! ?, a no-break
# space (U+00A0) before : and inside « », never a plain space there, nor none
# after a word. Desktop keyword lists ("a;b;c;") are not sentences and are
# left alone. Standard library only.

import re
import sys


def messages(path):
    """(line, msgid, [msgstr…]) for each entry of a .po file."""
    entries = []
    entry = None
    key = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("msgid "):
                entry = {"line": number, "msgid": "", "msgstr": []}
                entries.append(entry)
                key = "msgid"
                entry["msgid"] = unquote(line[6:])
            elif line.startswith("msgid_plural "):
                key = None
            elif line.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(unquote(line[line.index(" ") + 1:]))
            elif line.startswith('"') and entry is not None and key:
                if key == "msgid":
                    entry["msgid"] += unquote(line)
                else:
                    entry["msgstr"][-1] += unquote(line)
            else:
                key = None
    return entries


def unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)),
                  text[1:-1])


def problems(text):
    if re.fullmatch(r"[^ ;]+(;[^;]+)*;", text):
        return []
    found = []
    for m in re.finditer(r"[;!?]", text):
        before = text[:m.start()]
        if before.endswith((" ", "\u00a0")):
            found.append("a space other than U+202F before “%s”" % m.group())
        elif before[-1:].isalnum() and not re.search(r"(https?://|[&=/%])\S*$", before):
            found.append("no U+202F before “%s”" % m.group())
    for m in re.finditer(r":", text):
        before, after = text[:m.start()], text[m.end():m.end() + 1]
        if before.endswith((" ", "\u202f")):
            found.append("a space other than U+00A0 before “:”")
        elif before[-1:].isalpha() and after in ("", " ", "\n"):
            found.append("no U+00A0 before “:”")
    if re.search("«(?!\u00a0)", text):
        found.append("no U+00A0 after «")
    if re.search("(?<!\u00a0)»", text):
        found.append("no U+00A0 before »")
    return found


def main():
    status = 0
    for entry in messages(sys.argv[1]):
        if not entry["msgid"]:
            continue
        for text in entry["msgstr"]:
            for problem in sorted(set(problems(text))):
                print("%s:%d: %s: %r" % (sys.argv[1], entry["line"], problem, text[:70]))
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
