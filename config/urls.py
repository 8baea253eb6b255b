"""Top-level URLs: pages by app, the API under /api/v1/, the schema and its documentation."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views_data_rights import PrivacyView


def _admins_only(request) -> bool:
    """/admin/ is for the site's administrators (superusers) only: the staff of an intermediary, or a
    user given the staff flag without being an administrator, are sent to the admin's log-in page."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _admins_only

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("privacy/", PrivacyView.as_view(), name="privacy"),
    # WeChat log-in (social-auth): /accounts/social/login/<backend>/ and /accounts/social/complete/<backend>/.
    path("accounts/social/", include("social_django.urls", namespace="social")),
    path("courses/", include("courses.urls")),
    path("learn/", include("learners.urls")),
    path("verify/", include("credentials.verify_urls")),
    path("cohorts/", include("cohorts.urls")),
    path("coaching/", include("coaching.urls")),
    path("search/", include("search.urls")),
    path("impact/", include("impact.urls")),
    path("admin/", admin.site.urls),
    # did:web documents, status lists, the holder's certificate files (/.well-known/, /issuers/, /credentials/, /certificates/).
    path("", include("credentials.urls")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script): no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc's bundle loads its logo from cdn.redoc.ly (refused by the CSP, blocked in mainland China): the
    # reference is Swagger UI, served from the site alone.
    path("api/redoc/", RedirectView.as_view(pattern_name="api-docs", permanent=True), name="api-redoc"),
]

# An /api/ URL that matches no endpoint answers a JSON 404 like the endpoints do; pages keep 404.html.
handler404 = "core.views.page_not_found"

if settings.ESSOR_SERVE_MEDIA:
    # Uploaded lesson images; behind a real web server, serve /media/ from MEDIA_ROOT instead.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
