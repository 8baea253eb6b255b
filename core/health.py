"""The checks behind /healthz: the database answers, the broker takes a message, a worker beat recently."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)
WORKER = "worker"
HEALTH_QUEUE = "essor.healthz"


def heartbeat_write(name: str = WORKER) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def database_check() -> str | None:
    """None when fine, else what is wrong (for the operator)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.error("Health check: database: %s", error)
        return f"unreachable: {error.__class__.__name__}"
    return None


def broker_check() -> str | None:
    """Publish a message to a queue of its own and purge it: the broker accepted a write."""
    from celery import current_app

    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            queue = conn.SimpleQueue(HEALTH_QUEUE, serializer="json")
            try:
                queue.put({"ping": timezone.now().isoformat()}, retry=False)
                queue.clear()
            finally:
                queue.close()
    except Exception as error:
        logger.error("Health check: broker: %s", error)
        return f"refuses messages: {error.__class__.__name__}: {error}"[:200]
    return None


def worker_check() -> str | None:
    at = Heartbeat.objects.filter(name=WORKER).values_list("at", flat=True).first()
    if at is None:
        return "no heartbeat yet: is a worker (and beat) running?"
    age = timezone.now() - at
    if age > timedelta(seconds=settings.ESSOR_HEARTBEAT_MAX_AGE_SECONDS):
        return f"last heartbeat {int(age.total_seconds())} s ago: is a worker (and beat) running?"
    return None


def health_report() -> tuple[bool, dict[str, str]]:
    """(all fine, {part: "ok" or what is wrong}). The worker is only checked once the database answers."""
    problems = {"database": database_check(), "broker": broker_check()}
    problems["worker"] = worker_check() if problems["database"] is None else "unknown: the database does not answer"
    return all(v is None for v in problems.values()), {name: problem or "ok" for name, problem in problems.items()}
