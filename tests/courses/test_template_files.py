"""The shipped template files (content/<module>/templates/): what the generator builds, linked from the lessons
in their language, and, recalculated by LibreOffice, every formula computes the lessons' figures."""
import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from tools.templates import build

CONTENT = Path(settings.BASE_DIR) / "content"
TEMPLATE_FILES = sorted(CONTENT.glob("*/templates/*.*"))
LINK = re.compile(r"\]\(template:([a-z0-9-]+)\)")
LESSON = re.compile(r"^\d\d-[a-z0-9-]+\.(?P<language>[a-z-]+)\.md$")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# LibreOffice keeps the cached results of an .xlsx unless told to recalculate on load; openpyxl writes
# none, and this makes sure every formula is computed by LibreOffice itself.
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# The figures of each lesson's worked example, which the example rows must add up to.
EXPECTED = {
    "annual-budget.fr.xlsx": {"total_expenses": 6000, "secured_income": 5800, "balance_without_hoped": -200,
                              "hoped_income": 3500, "balance_with_hoped": 3300, "summary_balance": -200},
    "annual-budget.zh-hans.xlsx": {"total_expenses": 22000, "secured_income": 20000, "balance_without_hoped": -2000,
                                   "hoped_income": 8000, "balance_with_hoped": 6000, "summary_balance": -2000},
    # Lesson 03's table: end of January to end of June.
    "cash-plan.fr.xlsx": {"closing_01": 2600, "closing_02": 1200, "closing_03": -200, "closing_04": 1400, "closing_05": 0,
                          "closing_06": 4600, "closing_12": 750, "lowest_balance": -200, "lowest_month": "Mars",
                          "months_below_threshold": 4},
    "cash-plan.zh-hans.xlsx": {"closing_01": 24000, "closing_02": 8000, "closing_03": -8000, "closing_04": 16000,
                               "closing_05": 0, "closing_06": 44000, "closing_12": 5000, "lowest_balance": -8000,
                               "lowest_month": "3月", "months_below_threshold": 4},
    # Lesson 02's reconciliation: statement − uncashed = book, difference 0.
    "bank-reconciliation.fr.xlsx": {"statement_balance": 1240, "expected_book_balance": 1090, "book_balance": 1090,
                                    "difference": 0, "status": "✔ Rapproché"},
    "bank-reconciliation.zh-hans.xlsx": {"statement_balance": 5200, "expected_book_balance": 4600, "book_balance": 4600,
                                         "difference": 0, "status": "✔ 已核对一致"},
    "editorial-calendar.fr.xlsx": {"first_monday": datetime.datetime(2027, 9, 6), "last_week_start": datetime.datetime(2027, 11, 22),
                                   "count_status_1": 1, "count_status_4": 1},
    "editorial-calendar.zh-hans.xlsx": {"first_monday": datetime.datetime(2027, 8, 30),
                                        "last_week_start": datetime.datetime(2027, 11, 15), "count_status_1": 1,
                                        "count_status_4": 1},
}
ONE_PAGE = {"consent-form", "one-page-presentation", "volunteer-agreement", "bank-reconciliation", "cash-plan", "editorial-calendar"}


def _lesson_links() -> dict[tuple[str, str], set[str]]:
    """{(module, language): template keys linked from that module's lessons in that language}."""
    links: dict[tuple[str, str], set[str]] = {}
    for path in CONTENT.glob("*/*.md"):
        match = LESSON.match(path.name)
        if match:
            links.setdefault((path.parent.name, match["language"]), set()).update(LINK.findall(path.read_text()))
    return links


def test_the_shipped_files_are_what_the_generator_builds():
    assert build.main(["--check"]) == 0
    assert {path.relative_to(CONTENT).as_posix() for path in TEMPLATE_FILES} == {
        path.relative_to(CONTENT).as_posix() for path in build.build_all()}


def test_every_template_linked_from_a_lesson_exists_in_that_lessons_language():
    missing = []
    for (module, language), keys in _lesson_links().items():
        for key in keys:
            if not list((CONTENT / module / "templates").glob(f"{key}.{language}.*")):
                missing.append(f"{module}: template:{key} in a {language} lesson has no {language} file")
    assert missing == []


def test_every_template_file_is_linked_from_a_lesson_in_its_language():
    links = _lesson_links()
    unlinked = []
    for path in TEMPLATE_FILES:
        key, language, _format = path.name.split(".")
        if key not in links.get((path.parent.parent.name, language), set()):
            unlinked.append(path.relative_to(CONTENT).as_posix())
    assert TEMPLATE_FILES and unlinked == []


def test_every_module_with_english_lessons_has_its_templates_in_english_too():
    for module in {path.parent.parent.name for path in TEMPLATE_FILES}:
        english = [path for path in (CONTENT / module).glob("*.en.md") if path.read_text().split("---", 2)[2].strip()]
        if english:
            keys = {path.name.split(".")[0] for path in (CONTENT / module / "templates").iterdir()}
            assert all(list((CONTENT / module / "templates").glob(f"{key}.en.*")) for key in keys), module


# --- LibreOffice --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Convert every template once: spreadsheets to recalculated .xlsx, every file to PDF."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-calc-nogui and libreoffice-writer-nogui.")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui libreoffice-writer-nogui")
    root = tmp_path_factory.mktemp("office")
    profile = root / "profile" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(RECALC_PROFILE)
    command = [SOFFICE, f"-env:UserInstallation=file://{root / 'profile'}", "--headless", "--norestore"]
    spreadsheets = [str(path) for path in TEMPLATE_FILES if path.suffix == ".xlsx"]
    for target, files in (("xlsx", spreadsheets), ("pdf", [str(path) for path in TEMPLATE_FILES])):
        subprocess.run([*command, "--convert-to", target, "--outdir", str(root / target), *files], check=True,
                       capture_output=True, timeout=300)
    return root


def _named_values(path: Path) -> dict:
    workbook = load_workbook(path, data_only=True)
    values = {}
    for name, defined in workbook.defined_names.items():
        for sheet, ref in defined.destinations:
            values[name] = workbook[sheet][ref.replace("$", "")].value
    return values


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_libreoffice_recalculates_the_totals(office, name):
    recalculated = office / "xlsx" / name
    assert recalculated.exists(), f"LibreOffice could not open {name}"
    values = _named_values(recalculated)
    assert {key: values.get(key) for key in EXPECTED[name]} == EXPECTED[name]


@pytest.mark.parametrize("path", [path for path in TEMPLATE_FILES if path.suffix == ".xlsx"], ids=lambda path: path.name)
def test_every_formula_computes_a_value(office, path):
    original = load_workbook(path)
    recalculated = load_workbook(office / "xlsx" / path.name, data_only=True)
    formulas, bad = 0, []
    for sheet in original:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    formulas += 1
                    value = recalculated[sheet.title][cell.coordinate].value
                    if value is None or (isinstance(value, str) and value.startswith(("#", "Err:"))):
                        bad.append(f"{sheet.title}!{cell.coordinate} {cell.value} -> {value!r}")
    assert formulas > 0 and bad == []


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda path: path.name)
def test_every_template_opens_and_prints(office, path):
    pdf = office / "pdf" / f"{path.stem}.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    key = path.name.split(".")[0]
    assert 1 <= pages <= (1 if key in ONE_PAGE else 3), f"{path.name}: {pages} pages"


@pytest.mark.parametrize("path", [path for path in TEMPLATE_FILES if path.suffix == ".xlsx"], ids=lambda path: path.name)
def test_spreadsheets_have_a_frozen_header_a_print_area_and_no_macros(path):
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet.print_area and sheet.page_setup.fitToWidth == 1
    assert sheet.freeze_panes is not None or "reconciliation" in path.name  # a one-page form has nothing to freeze
    assert all(width.width for width in sheet.column_dimensions.values())
    assert workbook.vba_archive is None
