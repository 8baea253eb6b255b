"""Shared helpers of the template generator: deterministic packages, spreadsheet and document styles."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

# Every file carries the same dates, whenever it is built: the generator is deterministic.
FIXED_DATE = "2026-01-01T00:00:00Z"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def package_normalise(data: bytes) -> bytes:
    """Rewrite an Office Open XML package with fixed member dates and fixed document dates, so
    that building twice gives the same bytes (openpyxl and python-docx stamp "now")."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + FIXED_DATE.encode() + m.group(3), content)
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content, compresslevel=9)
    return out.getvalue()


@dataclass(frozen=True)
class Locale:
    """How numbers, dates and text look in one language's files."""

    language: str
    font: str
    money: str          # number format of amounts
    money_cents: str    # with cents (bank reconciliation)
    date: str           # number format of dates
    cjk: bool = False


LOCALES = {
    "fr": Locale("fr", "Arial", '#,##0 "€";[Red]-#,##0 "€"', '#,##0.00 "€";[Red]-#,##0.00 "€"', "dd/mm/yyyy"),
    "en": Locale("en", "Arial", '#,##0 "€";[Red]-#,##0 "€"', '#,##0.00 "€";[Red]-#,##0.00 "€"', "d mmm yyyy"),
    "zh-hans": Locale("zh-hans", "等线", '#,##0"元";[Red]-#,##0"元"', '#,##0.00"元";[Red]-#,##0.00"元"',
                      'yyyy"年"m"月"d"日"', cjk=True),
}

INK = "1D2327"
HEAD_FILL = PatternFill("solid", fgColor="0F5E57")
SECTION_FILL = PatternFill("solid", fgColor="E3EFEC")
INPUT_FILL = PatternFill("solid", fgColor="FFF8E1")
TOTAL_FILL = PatternFill("solid", fgColor="F1F3F2")
THIN = Side(style="thin", color="B8C0C6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


class Sheet:
    """A worksheet written with one locale's fonts and formats."""

    def __init__(self, ws, locale: Locale):
        self.ws = ws
        self.locale = locale

    def font(self, *, bold=False, size=10, colour=INK, italic=False) -> Font:
        return Font(name=self.locale.font, bold=bold, size=size, color=colour, italic=italic)

    def put(self, ref: str, value, *, bold=False, size=10, fmt: str | None = None, fill=None, box=False, wrap=False,
            align: str | None = None, italic=False, colour=INK):
        cell = self.ws[ref]
        cell.value = value
        cell.font = self.font(bold=bold, size=size, italic=italic, colour=colour)
        if fmt:
            cell.number_format = fmt
        if fill is not None:
            cell.fill = fill
        if box:
            cell.border = BOX
        cell.alignment = Alignment(wrap_text=wrap, vertical="top", horizontal=align)
        return cell

    def header_row(self, row: int, titles: list[str], first_column: int = 1) -> None:
        for index, title in enumerate(titles):
            ref = f"{get_column_letter(first_column + index)}{row}"
            self.put(ref, title, bold=True, colour="FFFFFF", fill=HEAD_FILL, box=True, wrap=True)
        self.ws.row_dimensions[row].height = 30 if self.locale.cjk else 28

    def widths(self, widths: dict[str, float]) -> None:
        for column, width in widths.items():
            self.ws.column_dimensions[column].width = width

    def title(self, text: str, subtitle: str = "") -> None:
        self.put("A1", text, bold=True, size=14)
        self.ws.row_dimensions[1].height = 22
        if subtitle:
            self.put("A2", subtitle, italic=True, colour="55606A")

    def print_setup(self, area: str, *, title_rows: str | None = None, landscape: bool = True) -> None:
        ws = self.ws
        ws.print_area = area
        if title_rows:
            ws.print_title_rows = title_rows
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6


def name_define(workbook, name: str, sheet_title: str, ref: str) -> None:
    """A workbook-level name for a key cell (the totals the recalculation test reads)."""
    column = "".join(char for char in ref if char.isalpha())
    row = "".join(char for char in ref if char.isdigit())
    workbook.defined_names[name] = DefinedName(name, attr_text=f"'{sheet_title}'!${column}${row}")


def workbook_new(data: dict, language: str):
    """A workbook with one sheet named and titled from `data` (`sheet`, `title` with an optional {year},
    `subtitle`), in `language`'s fonts and formats: (workbook, worksheet, Sheet, Locale)."""
    locale = LOCALES[language]
    workbook = Workbook()
    ws = workbook.active
    ws.title = data["sheet"]
    sheet = Sheet(ws, locale)
    sheet.title(data["title"].format(year=data.get("year", "")), data["subtitle"])
    return workbook, ws, sheet, locale


def workbook_finish(workbook, *, title: str, language: str) -> bytes:
    props = workbook.properties
    props.title = title
    props.creator = "Essor"
    props.lastModifiedBy = "Essor"
    props.language = language
    workbook.calculation.fullCalcOnLoad = True  # Excel, LibreOffice and WPS compute every formula on opening
    out = io.BytesIO()
    workbook.save(out)
    return package_normalise(out.getvalue())
