from django.urls import path

from . import views, views_report

app_name = "impact"

urlpatterns = [
    path("", views.ImpactHomeView.as_view(), name="home"),
    path("intermediaries/<int:pk>/", views.IntermediaryOverviewView.as_view(), name="intermediary"),
    path("intermediaries/<int:pk>/networks/", views.IntermediaryNetworksView.as_view(), name="intermediary-networks"),
    path("networks/<int:pk>/", views.NetworkOverviewView.as_view(), name="network"),
    path("networks/<int:pk>/intermediaries/", views.NetworkMembersView.as_view(), name="network-members"),
    path("reports/pdf/<int:pk>/", views_report.ReportPdfView.as_view(), name="report-pdf"),
    path("reports/pdf/<int:pk>/download/", views_report.ReportPdfDownloadView.as_view(), name="report-pdf-download"),
    path("reports/<str:scope>/<int:pk>/", views_report.ReportView.as_view(), name="report"),
]
