"""Top-level URLs: pages by app, the API under /api/v1/, the schema and its documentation."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
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
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

# An /api/ URL that matches no endpoint answers a JSON 404 like the endpoints do; pages keep 404.html.
handler404 = "core.views.page_not_found"

if settings.ESSOR_SERVE_MEDIA:
    # Uploaded lesson images; behind a real web server, serve /media/ from MEDIA_ROOT instead.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
