"""The catalogues of the interface's languages: every message translated, none fuzzy, and
the compiled files in step with them (a fresh clone shows French without `make messages`).

The completeness test waits for the translators: the lead sets CATALOGUES_COMPLETE once
they have filled every msgstr."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES_COMPLETE = False
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
