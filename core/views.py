"""Home page and health check."""
from django.conf import settings
from django.http import JsonResponse
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
