"""Staff pages for exports: ask for one, watch its progress bar, download the file."""
from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from ..forms import ExportForm
from ..models import CohortExport
from ..selectors import export_get, export_list
from ..services import export_downloaded, export_file_path, export_filename, export_request
from .base import StaffCohortMixin


def export_status(export: CohortExport) -> dict:
    """The small JSON the progress bar polls (and the API returns)."""
    done = export.status == CohortExport.Status.DONE and export_file_path(export) is not None
    return {
        "id": export.pk,
        "status": export.status,
        "status_label": str(export.get_status_display()),
        "progress": export.progress,
        "rows_done": export.rows_done,
        "rows_total": export.rows_total,
        "finished": export.status in (CohortExport.Status.DONE, CohortExport.Status.FAILED, CohortExport.Status.EXPIRED),
        "download_url": reverse("cohorts:export-download", kwargs={"pk": export.cohort_id, "export_id": export.pk}) if done else None,
        "expires_at": export.expires_at.isoformat() if export.expires_at else None,
        "error": export.error,
    }


class ExportsView(StaffCohortMixin, TemplateView):
    """GET: earlier exports and the form. POST: queue a new export and show its progress."""

    template_name = "cohorts/exports.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "exports": export_list(cohort=self.cohort)[:20],
                "form": kwargs.get("form") or ExportForm(), "retention_days": settings.ESSOR_EXPORT_RETENTION_DAYS}

    def post(self, request, pk):
        form = ExportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        export = export_request(cohort=self.cohort, requested_by=request.user, format=form.cleaned_data["format"],
                                language=get_language())
        return HttpResponseRedirect(reverse("cohorts:export", kwargs={"pk": pk, "export_id": export.pk}))


@method_decorator(never_cache, name="dispatch")
class ExportDetailView(StaffCohortMixin, TemplateView):
    """The progress bar: refreshed by a small script, or by the page itself without JavaScript."""

    template_name = "cohorts/export_detail.html"

    def get_context_data(self, **kwargs):
        export = export_get(cohort=self.cohort, pk=self.kwargs["export_id"])
        return {**super().get_context_data(**kwargs), "export": export, "status": export_status(export)}


@method_decorator(never_cache, name="dispatch")
class ExportStatusView(StaffCohortMixin, View):
    def get(self, request, pk, export_id):
        return JsonResponse(export_status(export_get(cohort=self.cohort, pk=export_id)))


class ExportDownloadView(StaffCohortMixin, View):
    def get(self, request, pk, export_id):
        export = export_get(cohort=self.cohort, pk=export_id)
        path = export_file_path(export)
        if path is None:
            return render(request, "cohorts/export_gone.html", {"cohort": self.cohort, "export": export}, status=410)
        export_downloaded(export=export, by=request.user)
        content_type = "text/csv; charset=utf-8" if export.format == CohortExport.Format.CSV else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return FileResponse(path.open("rb"), as_attachment=True, filename=export_filename(export), content_type=content_type)
