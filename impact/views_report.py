"""The impact report's pages: the web page with its SVG charts, the CSV of the figures, the PDF
(asked for here, written by a Celery task) with its progress and its download."""
from __future__ import annotations

import csv
import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from . import permissions, services
from .charts import report_charts
from .forms import PeriodForm
from .models import ImpactReport
from .selectors.report import Report, impact_report, method_notes, report_csv_rows

Scope = ImpactReport.Scope


class ReportMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (
                kwargs["scope"] not in Scope.values or not permissions.can_view_report(request.user, kwargs["scope"], kwargs["pk"])):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def report(self) -> tuple[PeriodForm, Report]:
        form = PeriodForm(self.request.GET or None)
        period, _module = form.period_and_module()
        return form, impact_report(scope=self.kwargs["scope"], scope_id=self.kwargs["pk"], period=period,
                                   language=self.request.LANGUAGE_CODE)


class ReportView(ReportMixin, TemplateView):
    template_name = "impact/report.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            _form, report = self.report()
            out = io.StringIO()
            csv.writer(out).writerows(report_csv_rows(report))
            response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (f'attachment; filename="impact-{report.scope}-{report.scope_id}-'
                                               f'{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.csv"')
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form, report = self.report()
        form.fields.pop("module")
        pdfs = ImpactReport.objects.filter(scope=report.scope, scope_id=report.scope_id).order_by("-created_at")[:5]
        return {**super().get_context_data(**kwargs), "form": form, "report": report, "overview": report,
                "notes": method_notes(report), "charts": report_charts(report), "pdfs": pdfs,
                "network": {"pk": report.scope_id} if report.scope == Scope.NETWORK else None,
                "query": self.request.GET.urlencode()}

    def post(self, request, *args, **kwargs):
        """Ask for the PDF of this report (the period of the form)."""
        form = PeriodForm(request.POST)
        period, _module = form.period_and_module()
        pdf = services.impact_report_pdf_request(scope=kwargs["scope"], scope_id=kwargs["pk"], period=period,
                                                 language=request.LANGUAGE_CODE, by=request.user)
        return redirect("impact:report-pdf", pk=pdf.pk)


def _pdf_for(user, pk: int) -> ImpactReport:
    pdf = get_object_or_404(ImpactReport, pk=pk)
    if not permissions.can_view_report(user, pdf.scope, pdf.scope_id):
        raise Http404
    return pdf


class ReportPdfView(LoginRequiredMixin, TemplateView):
    """Where the PDF stands (the page reloads itself while it is being written)."""

    template_name = "impact/report_pdf.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "pdf": _pdf_for(self.request.user, self.kwargs["pk"])}


class ReportPdfDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        pdf = _pdf_for(request.user, pk)
        path = services.reports_dir() / pdf.file_path if pdf.file_path else None
        if pdf.status != ImpactReport.Status.DONE or path is None or not path.is_file():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=f"impact-{pdf.scope}-{pdf.scope_id}-{pdf.period_start:%Y%m%d}-{pdf.period_end:%Y%m%d}.pdf")
