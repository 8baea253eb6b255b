"""Site tasks: deliver and relay the outbox, write the worker's heartbeat, recover stuck jobs."""
from celery import shared_task
from celery.signals import worker_ready

from . import outbox
from .health import heartbeat_write


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_deliver_task(message_id: int) -> bool:
    """Run one outbox message's task. Idempotent (a done message is skipped), so a message the
    broker hands out again after a worker died is safe: hence acks_late and reject_on_worker_lost."""
    return outbox.outbox_deliver(message_id=message_id)


@shared_task
def outbox_relay_task() -> int:
    """Periodic (beat): hand the due outbox messages to the broker."""
    return outbox.outbox_relay()


@shared_task
def heartbeat_task() -> None:
    """Periodic (beat): proves that beat, the broker and a worker work together (read by /healthz)."""
    heartbeat_write()


@worker_ready.connect
def _heartbeat_on_start(**kwargs) -> None:
    heartbeat_write()
