"""The interface is complete in every language: each .po entry translated, each .mo up to date."""
import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLURALS: dict[Path, set] = {}  # .po path -> keys of the entries with a plural form


def po_entries(path: Path) -> dict[tuple[str | None, str], list[str]]:
    """A small .po reader: {(msgctxt, msgid): [msgstr or msgstr[n]...]}, skipping fuzzy and obsolete entries."""
    entries: dict = {}
    plurals = PLURALS.setdefault(path, set())
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            entries[("FUZZY", block)] = [""]
            continue
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
                continue
            key, _, value = line.partition(" ")
            current = key
            fields[key] = ast.literal_eval(value)
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        key = (fields.get("msgctxt"), fields["msgid"])
        strings = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        entries[key] = strings
        if "msgid_plural" in fields:
            plurals.add(key)
    return entries


@pytest.mark.parametrize("language", ["fr", "zh_Hans"])
def test_every_interface_string_is_translated(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    missing = [msgid for (ctxt, msgid), strings in entries.items() if not all(strings)]
    assert missing == [], f"{len(missing)} untranslated or fuzzy in {language}: {missing[:10]}"


@pytest.mark.parametrize("language", ["fr", "zh_Hans", "en"])
def test_compiled_catalogue_matches_the_po_file(language):
    directory = LOCALE / language / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    path = directory / "django.po"
    for (ctxt, msgid), strings in po_entries(path).items():
        if ctxt == "FUZZY" or not strings[0]:
            continue
        key = f"{ctxt}\x04{msgid}" if ctxt else msgid
        compiled = catalogue.get((key, 0)) if (ctxt, msgid) in PLURALS[path] else catalogue.get(key)
        assert compiled == strings[0], f"{language}: the .mo is older than the .po for {msgid!r}: run make messages"
