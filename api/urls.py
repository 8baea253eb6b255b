"""/api/v1/ — each app's endpoints are included from api/<app>_urls.py."""
from django.urls import include, path, register_converter

from . import views
from .fields import IdConverter

# Registered before the apps' URL modules below are imported: they use <id:...>.
register_converter(IdConverter, "id")

app_name = "api"

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/export/", views.MeExportView.as_view(), name="me-export"),
]

for _module in ("api.courses_urls", "api.learners_urls", "api.cohorts_urls", "api.coaching_urls", "api.search_urls", "api.impact_urls"):
    try:
        urlpatterns.append(path("", include(_module)))
    except ModuleNotFoundError as exc:  # an app whose API is not written yet
        if exc.name != _module:
            raise
