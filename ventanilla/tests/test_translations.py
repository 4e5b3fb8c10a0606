"""Spanish is the default language and message ids are English: a string without its Spanish translation
is shown in English to every Spanish-speaking citizen. These tests keep every catalogue complete."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE_OWNERS = sorted(
    p.parent.parent.parent.parent for p in ROOT.glob("*/locale/es/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def read_po(path: Path) -> dict[str, tuple[str, bool]]:
    """{msgid (with context and plural joined): (first msgstr, fuzzy)} — enough of the PO format for our checks."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        current, fields = None, {}
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = eval(match.group(2))  # noqa: S307 - a PO string literal is a C string literal
            elif line.startswith('"') and current:
                fields[current] += eval(line)  # noqa: S307
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        key = "\x04".join(filter(None, [fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural")]))
        entries[key] = (fields.get("msgstr", fields.get("msgstr[0]", "")), fuzzy)
    return entries


def test_there_are_spanish_catalogues():
    assert LOCALE_OWNERS, "no locale/es/LC_MESSAGES/django.po found"


@pytest.mark.parametrize("owner", LOCALE_OWNERS, ids=lambda p: p.name)
def test_every_spanish_translation_is_filled_in(owner):
    entries = read_po(owner / "locale/es/LC_MESSAGES/django.po")
    missing = [msgid for msgid, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy]
    assert not missing, f"untranslated or fuzzy in {owner.name}: {missing[:10]}"


@pytest.mark.parametrize("owner", LOCALE_OWNERS, ids=lambda p: p.name)
def test_the_spanish_catalogue_has_every_string_the_code_uses(owner, tmp_path):
    """Run makemessages over a copy of the folder: any message id it finds that the committed catalogue
    lacks is a string added to the code without its translation."""
    copy = tmp_path / owner.name
    shutil.copytree(owner, copy, ignore=shutil.ignore_patterns("__pycache__", "node_modules", "*.mo"))
    subprocess.run(
        [str(ROOT / ".venv/bin/ventanilla"), "makemessages", "-l", "es", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    committed = read_po(owner / "locale/es/LC_MESSAGES/django.po")
    extracted = read_po(copy / "locale/es/LC_MESSAGES/django.po")
    new = sorted(set(extracted) - set(committed))
    assert not new, f"strings in {owner.name} missing from its Spanish catalogue: {new[:10]}"
