"""Home page and health check."""
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
