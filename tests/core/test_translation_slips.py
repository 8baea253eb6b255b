"""Translation slips found in the walkthrough (issue 12, item 9), and plural forms in fr and zh-hans: every
ngettext entry is in the catalogues with the right number of forms, compiled, and used."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from coaching.matching import component_reason

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale"


def test_the_cohort_name_is_not_a_persons_name(client, staff):
    staff.preferred_language = "zh-hans"
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    html = client.get(reverse("cohorts:create")).content.decode()
    label = re.search(r'<label for="id_name"[^>]*>([^<]*)</label>', html).group(1)
    assert "姓名" not in label and "学习班" in label, label


@pytest.mark.parametrize("language", ["fr", "zh-hans", "en"])
def test_the_language_menu_names_each_language_in_itself(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("accounts:login")).content.decode()
    menu = html[html.index('id="lang-select"'):html.index("</select>", html.index('id="lang-select"'))]
    assert re.findall(r">([^<]+)</option>", menu) == ["Français", "简体中文", "English"]


def test_side_by_side_names_the_other_language_in_the_readers_language():
    template = Template('{% load i18n learners_tags %}{% blocktranslate trimmed with name=code|language_name_in_text %}'
                        'Side by side with {{ name }}{% endblocktranslate %}')
    with translation.override("zh-hans"):
        assert template.render(Context({"code": "fr"})) == "与法语双语对照"
    with translation.override("fr"):
        assert "Chinois simplifié" in template.render(Context({"code": "zh-hans"}))
    lesson = (Path(settings.BASE_DIR) / "learners/templates/learners/lesson.html").read_text()
    assert "name=code|language_name_in_text %}Side by side with" in lesson


def test_counts_in_coach_reasons_agree_with_the_number():
    with translation.override("fr"):
        one = component_reason("feedback", {"mean": 4.0, "count": 1})
        assert "(1 note)" in one and "notes" not in one
        assert "il y a 0 jour" not in component_reason("recency", {"days": 0})
        assert "il y a 1 jour" in component_reason("recency", {"days": 1})
        assert "il y a 1 jours" not in component_reason("recency", {"days": 1})
    with translation.override("en"):
        assert "1 rating)" in component_reason("feedback", {"mean": 4.0, "count": 1})
        assert component_reason("recency", {"days": 0}) == "Last mission started today."


def test_a_completed_module_is_masculine_in_french():
    with translation.override("fr"):
        assert translation.pgettext("module", "Completed") == "Terminé"
        # Without a context: the cohort dashboard's column and a learner's module status (was "Terminées").
        assert translation.gettext("Completed") == "Terminé"
    card = (Path(settings.BASE_DIR) / "learners/templates/learners/includes/module_card.html").read_text()
    assert '{% translate "Completed" context "module" %}' in card


def _plural_entries(po: Path) -> list[dict]:
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        if "\nmsgid_plural " not in "\n" + block:
            continue
        if block.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M).group(1)
        forms = re.findall(r"^msgstr\[(\d)\] ((?:\".*\"\n?)+)", block, re.M)
        text = lambda quoted: "".join(re.findall(r'"(.*)"', quoted))  # noqa: E731
        entries.append({"msgid": text(msgid), "forms": {int(n): text(q) for n, q in forms},
                        "fuzzy": "#, fuzzy" in block or ", fuzzy" in block})
    return entries


@pytest.mark.parametrize("folder, nplurals", [("fr", 2), ("zh_Hans", 1)])
def test_every_plural_entry_is_translated_with_the_right_number_of_forms(folder, nplurals):
    po = LOCALE / folder / "LC_MESSAGES" / "django.po"
    assert f"nplurals={nplurals};" in po.read_text(encoding="utf-8")
    entries = _plural_entries(po)
    assert len(entries) >= 20
    for entry in entries:
        assert not entry["fuzzy"], entry["msgid"]
        assert sorted(entry["forms"]) == list(range(nplurals)), entry["msgid"]
        assert all(form.strip() for form in entry["forms"].values()), entry["msgid"]
    mo = po.with_suffix(".mo")
    assert mo.stat().st_mtime >= po.stat().st_mtime - 5, "the catalogue is not compiled: run make messages"


def test_plural_forms_are_compiled_and_chosen_by_number():
    one, many = "%(count)d certificate revoked.", "%(count)d certificates revoked."
    with translation.override("fr"):
        assert translation.ngettext(one, many, 0) % {"count": 0} == "0 attestation révoquée."  # French: 0 is singular
        assert translation.ngettext(one, many, 1) % {"count": 1} == "1 attestation révoquée."
        assert translation.ngettext(one, many, 2) % {"count": 2} == "2 attestations révoquées."
    with translation.override("zh-hans"):
        assert translation.ngettext(one, many, 1) == translation.ngettext(one, many, 5) != one


def test_every_plural_entry_is_used_in_the_code():
    """makemessages --no-obsolete keeps only used entries; here: each plural msgid is in a source file."""
    sources = "\n".join(path.read_text(encoding="utf-8", errors="ignore")
                        for pattern in ("*/**/*.py", "*/**/*.html", "templates/*.html", "*/**/*.txt")
                        for path in Path(settings.BASE_DIR).glob(pattern)
                        if ".venv" not in path.parts and "tests" not in path.parts)
    flat = re.sub(r"\s+", " ", sources.replace('"\n', "").replace("\" \"", ""))
    for entry in _plural_entries(LOCALE / "fr" / "LC_MESSAGES" / "django.po"):
        probe = re.split(r"%\(|\{\{", entry["msgid"])[0].strip()[:25]
        if probe:
            assert probe.replace('\\"', '"') in flat, entry["msgid"]
