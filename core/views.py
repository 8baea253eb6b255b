"""Home page, health check, and the pages shown when a request fails (not found, form expired)."""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .health import health_report


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


def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token (a tab left open across a log-in or log-out,
    an expired session): a translated page that explains and leads back to the form, instead of
    Django's technical page. What was typed in a quiz is kept in the browser (static/learners/quiz.js)
    and filled in again there. Never says `reason` (it is for developers)."""
    back = request.META.get("HTTP_REFERER", "")
    if not back or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = request.path if request.method == "POST" else "/"
    return render(request, "403_csrf.html", {"back_url": back}, status=403)
