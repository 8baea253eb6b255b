"""The outbox: owed work is recorded with the change, delivered once per key, retried with backoff,
given up after ESSOR_OUTBOX_MAX_ATTEMPTS; delivery_once makes a second delivery a no-op."""
from datetime import timedelta

import pytest
from celery import shared_task
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core.models import Delivery, OutboxMessage
from core.outbox import delivery_once, outbox_backoff, outbox_deliver, outbox_enqueue, outbox_relay

pytestmark = pytest.mark.django_db

CALLS: list = []


@shared_task(name="tests.core.record_call")
def record_call(value: str) -> None:
    CALLS.append(value)


@shared_task(name="tests.core.always_fails")
def always_fails() -> None:
    raise OSError("the mail folder is read-only")


@pytest.fixture(autouse=True)
def calls():
    CALLS.clear()
    return CALLS


def test_work_owed_by_a_rolled_back_change_is_not_owed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(record_call, args=["x"], key="rolled-back")
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists() and CALLS == []


def test_one_message_per_key_delivered_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_enqueue(record_call, args=["a"], key="k1")
        again = outbox_enqueue("tests.core.record_call", args=["b"], key="k1")
    assert first.pk == again.pk and OutboxMessage.objects.count() == 1
    assert CALLS == ["a"]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.publishes) == ("done", 1, 1)
    assert outbox_deliver(message_id=message.pk) is False  # delivered again: nothing runs
    assert CALLS == ["a"]


def test_a_failure_is_retried_with_backoff_then_given_up(settings, django_capture_on_commit_callbacks):
    settings.ESSOR_OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(always_fails, args=[], key="fails")
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "read-only" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=20)  # ~30 s, not at once
    for attempt in (2, 3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert outbox_relay() == 1
        message.refresh_from_db()
        assert message.attempts == attempt
    assert message.status == "dead"
    assert outbox_relay() == 0


def test_backoff_doubles_up_to_its_maximum(settings):
    settings.ESSOR_OUTBOX_RETRY_SECONDS, settings.ESSOR_OUTBOX_RETRY_MAX_SECONDS = 30, 3600
    assert 24 <= outbox_backoff(1).total_seconds() <= 36
    assert 48 <= outbox_backoff(2).total_seconds() <= 72
    assert 2880 <= outbox_backoff(20).total_seconds() <= 4320


def test_the_relay_hands_over_only_what_is_due(settings):
    settings.ESSOR_OUTBOX_RETRY_SECONDS = 30
    with transaction.atomic():
        outbox_enqueue(record_call, args=["later"], key="not-due")  # its after-commit attempt is not run here
    assert outbox_relay() == 0 and CALLS == []
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox_relay() == 1 and CALLS == ["later"]


def test_a_message_being_run_by_a_worker_is_not_run_again_at_the_same_time():
    message = OutboxMessage.objects.create(key="locked", task="tests.core.record_call", args=["x"], next_attempt_at=timezone.now(),
                                           locked_until=timezone.now() + timedelta(minutes=2))
    assert outbox_deliver(message_id=message.pk) is False and CALLS == []
    OutboxMessage.objects.filter(pk=message.pk).update(locked_until=timezone.now() - timedelta(seconds=1))  # its worker died
    assert outbox_deliver(message_id=message.pk) is True and CALLS == ["x"]


def test_an_unknown_task_is_given_up():
    message = OutboxMessage.objects.create(key="gone", task="no.such.task", next_attempt_at=timezone.now())
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == "dead" and "unknown task" in message.last_error


def test_delivery_once_runs_a_key_once_and_an_error_records_nothing():
    with delivery_once("email:1") as first:
        assert first
    with delivery_once("email:1") as first:
        assert not first
    with pytest.raises(OSError), delivery_once("email:2") as first:
        raise OSError("SMTP down")
    assert not Delivery.objects.filter(key="email:2", delivered_at__isnull=False).exists()
    with delivery_once("email:2") as first:
        assert first


def test_an_email_task_delivered_twice_sends_one_email(learner, django_capture_on_commit_callbacks):
    from learners.models import Certificate
    from learners.tasks import certificate_email_send_task
    from tests.learners.factories import module_with_lessons

    module = module_with_lessons(lessons=1, questions=0)
    certificate = Certificate.objects.create(user=learner, module=module, learner_name="A", issuer_name="Essor")
    certificate_email_send_task(certificate.pk, "fr")
    Certificate.objects.filter(pk=certificate.pk).update(email_sent_at=None)  # even without the task's own guard
    certificate_email_send_task(certificate.pk, "fr")
    assert len(mail.outbox) == 1


def test_every_service_owes_its_work_through_the_outbox():
    """No service sends a task to the broker directly (a broker outage would fail the request or lose it)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    apps = ("accounts", "courses", "learners", "cohorts", "coaching", "credentials", "core", "api")
    offenders = [f"{path.relative_to(root)}:{number}" for app in apps if (root / app).is_dir()
                 for path in (root / app).rglob("*.py")
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"\.(delay|delay_on_commit|apply_async)\(", line) and "core/outbox.py" not in str(path)]
    assert offenders == []
