"""Home page, health check, and the installable web app's parts: its manifest and its service worker
(docs/offline.md)."""
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .health import health_report


class HomeView(TemplateView):
    template_name = "core/home.html"


@never_cache
def healthz(request):
    """200 when the database answers, the broker takes a message and a worker beat recently; else 503
    naming the failed part ({"status": "degraded", "worker": "last heartbeat 412 s ago: ..."})."""
    healthy, parts = health_report()
    return JsonResponse({"status": "ok" if healthy else "degraded", **parts}, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    """404 page; under /api/ the API's JSON error (the API names its handler in settings)."""
    from django.utils.module_loading import import_string
    from django.views import defaults

    if request.path.startswith("/api/"):
        return import_string(settings.ESSOR_API_NOT_FOUND_VIEW)(request, exception)
    return defaults.page_not_found(request, exception)


@cache
def _service_worker_source() -> str:
    """static/js/sw.js, after a line that imports the IndexedDB store under its cache-busted name (so a new
    store makes a new worker: the browser compares the bytes)."""
    source = Path(finders.find("js/sw.js")).read_text(encoding="utf-8")
    return f'importScripts("{static("js/offline-store.js")}");\n{source}'


def service_worker(request):
    """The service worker at the site's root, so that it may control the learner pages (registered with the
    scope /learn/: the only pages that work offline; docs/offline.md). A view rather than a static file: a
    static file's scope would stop at /static/, and the worker must be revalidated on each visit (no-cache) to
    reach phones soon after a release."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


THEME_COLOUR = "#0f5e57"
BACKGROUND_COLOUR = "#f6f7f5"


def web_manifest(request):
    """The web app manifest, in the language asked (?lang=, which base.html sets to the page's language)."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        manifest = {
            "name": _("Essor — training for association leaders"),
            "short_name": "Essor",
            "description": _("Short modules to run your association, also offline on your phone."),
            "lang": language,
            "dir": "ltr",
            "id": "/",
            "start_url": reverse("learners:dashboard") + "?source=app",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
                {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
                {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        }
    response = HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
