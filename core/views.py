"""Home page and health check."""
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from kombu import Connection


class HomeView(TemplateView):
    template_name = "core/home.html"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
                        connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True
    except Exception:
        return False


@never_cache
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    status = 200 if all(checks.values()) else 503
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    body["status"] = "ok" if status == 200 else "degraded"
    return JsonResponse(body, status=status)
