"""The English translation is complete and compiled, and covers every text in the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "zio" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(po_text: str) -> list[dict[str, str]]:
    """A minimal .po reader: msgid, msgid_plural and msgstr/msgstr[n] of each entry."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for raw in po_text.splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += line[1:-1]
        else:
            key, _, value = line.partition(" ")
            current[key] = value[1:-1]
    return [e for e in entries if e.get("msgid")]


def _msgids(po_text: str) -> set[str]:
    return {e["msgid"] for e in _entries(po_text)}


def test_every_text_is_translated_and_none_is_fuzzy() -> None:
    problems = []
    for entry in _entries(PO.read_text(encoding="utf-8")):
        if "fuzzy" in entry.get("flags", ""):
            problems.append(f"fuzzy: {entry['msgid']}")
        translations = [v for k, v in entry.items() if k.startswith("msgstr")]
        if not translations or not all(translations):
            problems.append(f"untranslated: {entry['msgid']}")
    assert problems == []


def _require_gettext() -> None:
    assert shutil.which("msgfmt") and shutil.which("xgettext"), (
        "GNU gettext is missing: `make test` installs Debian's gettext package."
    )


def test_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    _require_gettext()
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    assert fresh.read_bytes() == MO.read_bytes(), "run `make messages` and commit the .mo file"


def test_catalogue_has_every_text_of_the_code(tmp_path: Path) -> None:
    _require_gettext()
    # Extract the texts afresh from a copy of the project (so that nothing in the working tree
    # is touched) and compare them with the committed catalogue.
    ignore = shutil.ignore_patterns("__pycache__", "*.mo", "django.po")
    for part in ("config", "zio"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=ignore)
    shutil.copy(ROOT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "../manage.py", "makemessages", "-l", "en", "--no-location"],
        cwd=tmp_path / "zio",
        check=True,
        capture_output=True,
        env={"PATH": os.environ["PATH"], "DEBUG": "1", "SECRET_KEY": "x"},
    )
    new_po = tmp_path / "zio/locale/en/LC_MESSAGES/django.po"
    extracted = _msgids(new_po.read_text(encoding="utf-8"))
    committed = _msgids(PO.read_text(encoding="utf-8"))
    assert extracted - committed == set(), "new texts: run `make messages` and translate them"
    assert committed - extracted == set(), "texts no longer used: run `make messages`"
