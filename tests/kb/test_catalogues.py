"""The catalogues of the interface's languages: every message translated, none fuzzy, and
the compiled files in step with them (a fresh clone shows French without `make messages`).

The completeness test waits for the translators: the lead sets CATALOGUES_COMPLETE once
they have filled every msgstr."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES_COMPLETE = True
LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def entries(po: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgstr (or msgstr[n]) and flags, header excluded."""
    found, entry, key = [], None, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and entry.get("msgid"):
                found.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": "", "msgstr": []}
        if line.startswith("#,"):
            entry["flags"] += line[2:]
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line):
            key = match.group(1)
            value = ast.literal_eval(match.group(2))
            if key.startswith("msgstr"):
                entry["msgstr"].append(value)
            else:
                entry[key] = value
        elif line.startswith('"') and key:
            value = ast.literal_eval(line)
            if key.startswith("msgstr"):
                entry["msgstr"][-1] += value
            else:
                entry[key] += value
    return found


def test_each_language_has_a_catalogue_and_its_compiled_file():
    for code in TRANSLATED:
        po = LOCALE / code / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert po.exists() and mo.exists(), code
        assert entries(po), code


@pytest.mark.skipif(not CATALOGUES_COMPLETE, reason="waiting for the translators")
@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    missing = [e["msgid"] for e in entries(po) if not all(e["msgstr"]) or "fuzzy" in e["flags"]]
    assert not missing, f"{code}: {len(missing)} messages untranslated or fuzzy: {missing[:20]}"
    with po.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        e["msgid"]
        for e in entries(po)
        if "msgid_plural" not in e
        and "msgctxt" not in e
        and catalogue.gettext(e["msgid"]) != e["msgstr"][0]
    ]
    assert not stale, f"{code}: the .mo is older than the .po (make messages): {stale[:10]}"


def test_the_reader_of_the_catalogues_sees_an_empty_translation():
    sample = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
    parsed = entries(sample)
    assert all("msgid" in e for e in parsed)
    assert any(e.get("msgid_plural") for e in parsed)


def test_the_catalogues_hold_every_string_marked_in_the_code(tmp_path):
    """A string marked in a template or module but missing from the catalogues (someone
    forgot `make messages`) fails here: makemessages runs on a copy of the project."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", "var", "test-artifacts", "node_modules", ".git")
    shutil.copytree(root, copy, ignore=ignore, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"]
        + ["--ignore=tests", "--ignore=static_collected"],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )

    def keys(po: Path) -> set[tuple[str, str]]:
        return {(e.get("msgctxt", ""), e["msgid"]) for e in entries(po)}

    fresh = keys(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    kept = keys(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    assert not fresh - kept, f"run `make messages`: not in the catalogues: {sorted(fresh - kept)}"
