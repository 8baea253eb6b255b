"""The transactional outbox: work a state change owes (an email, a notification, an export...) is
recorded in the change's own transaction, then handed to the broker after commit and by a periodic
relay until a worker has done it. A broker outage or a dead worker delays the work, never loses it.

Public API (see docs/architecture.md, "Work a state change owes"):

- ``outbox_enqueue(task, *, args, key)`` — call inside the transaction of the change.
- ``outbox_cancel(keys=[...])`` — the work of these keys is no longer owed (dropped unless a worker runs it).
- ``delivery_once(key=None)`` — in a task: ``with delivery_once() as first: if first: send...``; a
  second delivery of the same key does nothing.
- ``outbox_relay()`` — run by beat (``core.tasks.outbox_relay_task``); ``outbox_deliver()`` — run by
  the worker (``core.tasks.outbox_deliver_task``).
"""
from __future__ import annotations

import contextvars
import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Delivery, OutboxMessage

__all__ = ["outbox_enqueue", "outbox_cancel", "outbox_relay", "outbox_deliver", "delivery_once", "current_outbox_key", "outbox_backoff"]

logger = logging.getLogger(__name__)
_current_key: contextvars.ContextVar[str | None] = contextvars.ContextVar("essor_outbox_key", default=None)


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def outbox_enqueue(task, *, args: list, key: str) -> OutboxMessage:
    """Record that `task(*args)` is owed, under the idempotency `key`, in the current transaction.

    Enqueuing a key twice records it once. After commit, one attempt is made to hand it to the
    broker (a broker error is logged, not raised: the relay tries again)."""
    if not key or len(key) > 200:
        raise ValueError("An outbox key is needed (at most 200 characters).")
    now = timezone.now()
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key, task=_task_name(task), args=list(args),
                # The relay leaves it to the after-commit attempt for a moment.
                next_attempt_at=now + timedelta(seconds=settings.ESSOR_OUTBOX_RETRY_SECONDS))
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)
    transaction.on_commit(lambda: _publish(message.pk, retry=False))
    return message


def outbox_cancel(*, keys: list[str]) -> int:
    """Drop the messages of these keys that no worker has started or is running (pending, not locked):
    the work is no longer owed (an account erased before its statements left). A message being run is
    left to finish. Call inside the transaction of the change. Returns how many were dropped."""
    now = timezone.now()
    dropped = 0
    for start in range(0, len(keys), 500):  # SQLite's limit on query parameters
        dropped += OutboxMessage.objects.filter(key__in=keys[start:start + 500], status=OutboxMessage.Status.PENDING).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now)).delete()[0]
    return dropped


def outbox_backoff(attempts: int) -> timedelta:
    """Exponential backoff with jitter: base, 2×base, 4×base... capped at ESSOR_OUTBOX_RETRY_MAX_SECONDS."""
    base = settings.ESSOR_OUTBOX_RETRY_SECONDS
    seconds = min(settings.ESSOR_OUTBOX_RETRY_MAX_SECONDS, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def _publish(message_id: int, *, retry: bool) -> bool:
    """Hand one message to the broker. Marks it first (so a fast worker's result is not overwritten)."""
    from .tasks import outbox_deliver_task

    lease = timedelta(seconds=settings.ESSOR_OUTBOX_LEASE_SECONDS)
    marked = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).update(
        publishes=F("publishes") + 1, next_attempt_at=timezone.now() + lease)
    if not marked:
        return False
    try:
        outbox_deliver_task.apply_async(args=[message_id], retry=retry)
    except Exception as error:  # the broker is down or unwritable: the relay tries again later
        logger.warning("Outbox message %s not handed to the broker: %s", message_id, error)
        OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING, locked_until__isnull=True).update(
            next_attempt_at=timezone.now() + timedelta(seconds=settings.ESSOR_OUTBOX_RETRY_SECONDS),
            last_error=f"broker: {error}"[:2000])
        return False
    return True


def outbox_relay(*, limit: int = 500) -> int:
    """Hand the due messages to the broker (new ones whose after-commit attempt failed, and ones not
    done within their lease: lost by a broker, or by a worker that died). Returns how many."""
    now = timezone.now()
    due = list(OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
               .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    sent = 0
    for message_id in due:
        if not _publish(message_id, retry=True):
            break  # the broker refuses: the others would fail too
        sent += 1
    return sent


def outbox_deliver(*, message_id: int) -> bool:
    """Run the task a message owes, in this worker. True when it was done now.

    A message already done, or being run by another worker, is skipped. A failure is retried with
    backoff (ESSOR_OUTBOX_MAX_ATTEMPTS runs at most, then the message is given up and logged)."""
    from celery import current_app

    name = OutboxMessage.objects.filter(pk=message_id).values_list("task", flat=True).first()
    if name is None:
        return False
    task = current_app.tasks.get(name)
    # Held while it runs: the task's time limit (a short one for an email), so that a worker that died
    # mid-task lets another run it soon.
    now = timezone.now()
    lock = now + timedelta(seconds=getattr(task, "time_limit", None) or settings.CELERY_TASK_TIME_LIMIT)
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)).update(
        locked_until=lock, next_attempt_at=lock, attempts=F("attempts") + 1)
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    if task is None or message.attempts > settings.ESSOR_OUTBOX_MAX_ATTEMPTS:
        reason = f"unknown task {message.task}" if task is None else f"{message.attempts - 1} attempts"
        logger.error("Outbox message %s (%s) given up: %s", message.pk, message.key, reason)
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.DEAD, locked_until=None,
                                                           last_error=f"{reason}; {message.last_error}"[:2000])
        return False
    token = _current_key.set(message.key)
    try:
        task(*message.args)
    except Exception as error:
        dead = message.attempts >= settings.ESSOR_OUTBOX_MAX_ATTEMPTS
        logger.log(logging.ERROR if dead else logging.WARNING, "Outbox message %s (%s) failed (attempt %s): %r",
                   message.pk, message.key, message.attempts, error, exc_info=dead)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.DEAD if dead else OutboxMessage.Status.PENDING, locked_until=None,
            next_attempt_at=timezone.now() + outbox_backoff(message.attempts), last_error=repr(error)[:2000])
        return False
    finally:
        _current_key.reset(token)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.DONE, done_at=timezone.now(),
                                                       locked_until=None, last_error="")
    return True


def current_outbox_key() -> str | None:
    """The key of the outbox message being delivered in this worker (None outside one)."""
    return _current_key.get()


@contextmanager
def delivery_once(key: str | None = None) -> Iterator[bool]:
    """``with delivery_once(key) as first:`` — `first` is False when a delivery with this key was already
    done. The record is written in the same transaction as the block (which runs under a row lock, so
    two deliveries at once do it once); an exception in the block records nothing, so a retry does it.

    Without `key`, the key of the outbox message being delivered is used (none: the block just runs)."""
    key = key or current_outbox_key()
    if key is None:
        yield True
        return
    with transaction.atomic():
        record, _created = Delivery.objects.get_or_create(key=key[:200])
        record = Delivery.objects.select_for_update().get(pk=record.pk)
        if record.delivered_at is not None:
            yield False
            return
        yield True
        Delivery.objects.filter(pk=record.pk).update(delivered_at=timezone.now())
