"""Set English translations in zio/locale/en/LC_MESSAGES/django.po from a JSON file.

The JSON maps a Dutch msgid to its English text, or to [singular, plural] for plural entries.
Fuzzy flags and previous-msgid comments of those entries are removed. Run `make messages`
afterwards to re-wrap and compile.

Usage: .venv/bin/python scripts/po_set.py translations.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "zio/locale/en/LC_MESSAGES/django.po"
FIELD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$')


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _join(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines)


def _fields(lines: list[str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    key = ""
    for line in lines:
        if line.startswith("#"):
            continue
        match = FIELD.match(line)
        if match:
            key = match.group(1)
            fields[key] = [match.group(2)]
        elif line.startswith('"') and key:
            fields[key].append(line)
    return fields


def _comments(lines: list[str]) -> list[str]:
    kept = []
    for line in lines:
        if not line.startswith("#") or line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
        else:
            kept.append(line)
    return kept


def apply(translations: dict[str, str | list[str]]) -> None:
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    done = set()
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        fields = _fields(lines)
        msgid = _join(fields["msgid"]) if "msgid" in fields else None
        if msgid not in translations:
            continue
        english = translations[msgid]
        new = [*_comments(lines), "msgid " + _quote(msgid)]
        if "msgid_plural" in fields:
            one, many = english if isinstance(english, list) else (english, english)
            new += [
                "msgid_plural " + _quote(_join(fields["msgid_plural"])),
                "msgstr[0] " + _quote(one),
                "msgstr[1] " + _quote(many),
            ]
        else:
            new.append("msgstr " + _quote(str(english)))
        blocks[index] = "\n".join(new)
        done.add(msgid)
    missing = set(translations) - done
    if missing:
        sys.exit(f"Not in the catalogue: {sorted(missing)}")
    PO.write_text("\n\n".join(blocks), encoding="utf-8")


if __name__ == "__main__":
    with Path(sys.argv[1]).open(encoding="utf-8") as source:
        apply(json.load(source))
