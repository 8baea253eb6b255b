"""/api/v1/ endpoints of the impact app."""
from django.urls import path

from . import impact as views

urlpatterns = [
    path("impact/intermediaries/<id:pk>/overview/", views.IntermediaryOverviewView.as_view(), name="impact-intermediary-overview"),
    path("impact/networks/<id:pk>/overview/", views.NetworkOverviewView.as_view(), name="impact-network-overview"),
    path("impact/reports/pdf/<id:pk>/", views.ReportPdfView.as_view(), name="impact-report-pdf"),
    path("impact/reports/<str:scope>/<id:pk>/", views.ReportView.as_view(), name="impact-report"),
]
