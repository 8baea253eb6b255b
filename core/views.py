"""Home page, health check, the Content-Security-Policy report endpoint, the pages shown when a request
fails (not found, form expired), and the installable web app's parts: its manifest and its service worker
(docs/offline.md)."""
import functools
import json
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from .client_ip import client_ip
from .health import health_report

csp_logger = logging.getLogger("essor.csp")
CSP_REPORTS_COUNT_KEY = "csp-reports:count"


class HomeView(TemplateView):
    """The presentation page; a logged-in learner goes straight to "continue where you left off"."""

    template_name = "core/home.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_learner and "about" not in request.GET:
            return redirect("learners:dashboard")
        return super().get(request, *args, **kwargs)


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


def csp_reports_count() -> int:
    """Reports received since the cache was last cleared (every process counts in the shared cache)."""
    return cache.get(CSP_REPORTS_COUNT_KEY, 0)


def _csp_violations(payload) -> list[dict]:
    """The violations of a report-uri body ({"csp-report": {...}}) or a Reporting API one ([{"body": {...}}])."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        report = payload["csp-report"]
        return [{"directive": report.get("effective-directive") or report.get("violated-directive"),
                 "blocked": report.get("blocked-uri"), "page": report.get("document-uri")}]
    if isinstance(payload, list) and payload and all(isinstance(item, dict) and isinstance(item.get("body"), dict)
                                                      for item in payload):
        return [{"directive": item["body"].get("effectiveDirective"), "blocked": item["body"].get("blockedURL"),
                 "page": item["body"].get("documentURL")} for item in payload]
    raise ValueError("not a CSP report")


@csrf_exempt  # browsers send reports without a token; the endpoint only logs and counts
@require_POST
def csp_report(request):
    """A browser's report of a Content-Security-Policy violation: logged (essor.csp, WARNING) and counted.
    Bodies over ESSOR_CSP_REPORT_MAX_BYTES answer 413, more than ESSOR_CSP_REPORTS_PER_MINUTE reports a minute
    from one address 429 (nothing logged), anything but a report 400."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.ESSOR_CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    rate_key = f"csp-reports:rate:{client_ip(request)}"
    try:
        cache.add(rate_key, 0, timeout=60)
        if cache.incr(rate_key) > settings.ESSOR_CSP_REPORTS_PER_MINUTE:
            return HttpResponse(status=429)
    except ValueError:  # the counter expired between add and incr
        cache.set(rate_key, 1, timeout=60)
    body = request.read(settings.ESSOR_CSP_REPORT_MAX_BYTES + 1)
    if len(body) > settings.ESSOR_CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _csp_violations(json.loads(body))
    except ValueError:
        return HttpResponse(status=400)
    for violation in violations[:20]:
        csp_logger.warning("CSP violation: %s blocked %s on %s",
                           *(str(violation[name])[:300] for name in ("directive", "blocked", "page")))
    try:
        cache.add(CSP_REPORTS_COUNT_KEY, 0, timeout=None)
        cache.incr(CSP_REPORTS_COUNT_KEY, len(violations))
    except ValueError:
        cache.set(CSP_REPORTS_COUNT_KEY, len(violations), timeout=None)
    return HttpResponse(status=204)


def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token (a tab left open across a log-in or log-out,
    an expired session): a translated page that explains and leads back to the form, instead of
    Django's technical page. What was typed in a quiz is kept in the browser (static/learners/quiz.js)
    and filled in again there. Never says `reason` (it is for developers)."""
    back = request.META.get("HTTP_REFERER", "")
    if not back or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = request.path if request.method == "POST" else "/"
    return render(request, "403_csrf.html", {"back_url": back}, status=403)


@functools.cache
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
