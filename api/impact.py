"""Impact API: an intermediary's overview of its cohorts and a network's aggregates (the same
selectors as the pages, so the same numbers; the network's small cells are null)."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Intermediary
from impact import permissions
from impact.models import ImpactReport, Network
from impact.selectors.network import network_view
from impact.selectors.overview import MAX_PERIOD_DAYS, Period, intermediary_overview
from impact.selectors.report import impact_report

TAG = ["impact"]


class PeriodQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    module = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def validate(self, attrs):
        default = Period.default()
        start, end = attrs.get("start") or default.start, attrs.get("end") or default.end
        if end < start:
            raise serializers.ValidationError("The end of the period must come after its start.")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise serializers.ValidationError("Choose a period of ten years at most.")
        attrs["period"] = Period(start, end)
        return attrs


def period_query(request) -> dict:
    query = PeriodQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class IntermediaryOverviewView(APIView):
    """All the cohorts of an intermediary side by side, and their total (staff of the intermediary)."""

    @extend_schema(tags=TAG, parameters=[PeriodQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        if not permissions.can_view_intermediary(request.user, pk):
            raise NotFound
        query = period_query(request)
        overview = intermediary_overview(intermediary=get_object_or_404(Intermediary, pk=pk), period=query["period"],
                                         module_id=query.get("module"), language=get_language())
        return Response(overview.as_dict())


class NetworkOverviewView(APIView):
    """A network's accepted intermediaries side by side: aggregates only, counts below the minimum group size are null."""

    @extend_schema(tags=TAG, parameters=[PeriodQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        if not permissions.can_view_network(request.user, pk):
            raise NotFound
        query = period_query(request)
        view = network_view(network=get_object_or_404(Network, pk=pk), period=query["period"], module_id=query.get("module"),
                            language=get_language())
        return Response(view.as_dict())


class ReportView(APIView):
    """The figures of an impact report (the same function as the page, the PDF and the CSV)."""

    @extend_schema(tags=TAG, parameters=[PeriodQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, scope: str, pk: int):
        if scope not in ImpactReport.Scope.values or not permissions.can_view_report(request.user, scope, pk):
            raise NotFound
        query = period_query(request)
        return Response(impact_report(scope=scope, scope_id=pk, period=query["period"], language=get_language()).as_dict())


class ReportPdfView(APIView):
    """Where a report's PDF stands (status, progress) and its download link when ready."""

    @extend_schema(tags=TAG, responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        pdf = ImpactReport.objects.filter(pk=pk).first()
        if pdf is None or not permissions.can_view_report(request.user, pdf.scope, pdf.scope_id):
            raise NotFound
        done = pdf.status == ImpactReport.Status.DONE
        return Response({"id": pdf.pk, "status": pdf.status, "progress": pdf.progress, "error": pdf.error,
                         "download": reverse("impact:report-pdf-download", args=[pdf.pk]) if done else None})
