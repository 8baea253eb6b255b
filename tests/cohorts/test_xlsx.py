"""The export's streaming XLSX writer: a workbook a spreadsheet opens, text that stays text."""
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from cohorts.services.xlsx import SheetWriter, column_letter, sheet_title


@pytest.mark.parametrize("index, letters", [(0, "A"), (17, "R"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_sheet_titles_are_valid():
    assert sheet_title("Promo [2026]: Lyon/Wuhan*?") == "Promo  2026   Lyon Wuhan"
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("") == "Sheet"


def test_a_workbook_with_text_numbers_dates_and_empty_cells(tmp_path):
    path = tmp_path / "out.xlsx"
    with SheetWriter(path, title="Promotion <Lyon> & co", widths=[12, 30]) as sheet:
        sheet.header(["Name", "Score", "When", "Day", "Passed", "Note"])
        sheet.row(["=SUM(A1)", 80, datetime(2026, 3, 29, 2, 30, 15), date(2026, 12, 3), True, None])
        sheet.row(["王芳 <b>&amp;</b>", 12.5, None, None, False, "bell\x07 and\ttab"])
        person = sheet.cells(["Léa"])
        sheet.rows_xml([person + sheet.cells([n], start=1) for n in (1, 2)])
    book = load_workbook(path)
    assert book.sheetnames == ["Promotion <Lyon> & co"]
    ws = book.active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Name", "Score", "When", "Day", "Passed", "Note"],
        ["=SUM(A1)", 80, datetime(2026, 3, 29, 2, 30, 15), datetime(2026, 12, 3), True, None],
        ["王芳 <b>&amp;</b>", 12.5, None, None, False, "bell and\ttab"],  # XML cannot hold the bell: dropped
        ["Léa", 1, None, None, None, None],
        ["Léa", 2, None, None, None, None],
    ]
    assert ws["A2"].data_type == "s"  # text, never a formula
    assert ws["C2"].is_date and ws["C2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 30


def test_unknown_values_are_refused(tmp_path):
    with pytest.raises(TypeError), SheetWriter(tmp_path / "out.xlsx", title="x") as sheet:
        sheet.row([object()])
