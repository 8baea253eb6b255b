"""The impact report as a PDF: the same template body as the web page, printed by WeasyPrint with the
certificates' machinery (credentials/rendering.py: local data only, no network, the same fonts)."""
from __future__ import annotations

from credentials.rendering import _css, _pdf

from .charts import report_charts
from .selectors.report import Report, method_notes


def report_pdf(report: Report) -> bytes:
    context = {"report": report, "notes": method_notes(report), "charts": report_charts(report), "print": True,
               "css": _css("impact/report-print.css")}
    return _pdf("impact/report_print.html", context, report.language)
