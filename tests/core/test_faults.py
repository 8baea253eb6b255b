"""Fault tests with real Celery workers: a worker killed mid-task, a broker down, folders read-only.
Nothing owed is lost and nothing is done twice. On the default setup the broker is the filesystem
one; in CI's PostgreSQL + Redis suite it is a redis-server of the test's own, stopped and restarted.

The test plays beat: it calls the periodic functions (outbox_relay, exports_recover) itself, and
makes time pass by moving the dead worker's lock (or the export's heartbeat) into the past."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.models import CohortExport
from cohorts.services import export_request, exports_dir, exports_recover
from core.health import health_report
from core.models import OutboxMessage
from core.outbox import outbox_relay
from core.tasks import outbox_deliver_task
from learners.models import Certificate
from learners.services import enrollment_create
from learners.tasks import certificate_email_send_task
from tests.cohorts.factories import cohort_for, member
from tests.learners.factories import module_with_lessons

from .faults import Broker, unwritable

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Quick retries in the workers of these tests (production: 30 s, doubling).
FAST = {"ESSOR_OUTBOX_RETRY_SECONDS": "1"}


@pytest.fixture
def fast_outbox(settings):
    settings.ESSOR_OUTBOX_RETRY_SECONDS = 0
    return settings


@pytest.fixture
def broker(tmp_path):
    broker = Broker(tmp_path)
    yield broker
    broker.close()


def time_passes(message: OutboxMessage) -> None:
    """The dead worker's lock on the message expires (as it does after the task's time limit)."""
    past = timezone.now() - timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=message.pk).update(locked_until=past, next_attempt_at=past)


def complete_module(api_client, learner):
    """The learner completes a one-lesson module through the API: a certificate and its email are owed."""
    module = module_with_lessons(lessons=1, questions=0, slug="cash-flow")
    enrollment_create(user=learner, module=module, language="fr")
    response = api_client.post("/api/v1/progress/", {"lesson": module.lessons.get().pk, "event": "completed"}, format="json")
    return response, Certificate.objects.get(user=learner, module=module)


def succeeded(worker, task: str) -> int:
    return len(re.findall(rf"{task}\[[^\]]+\] succeeded", worker.log()))


def test_a_worker_killed_during_an_export_gives_exactly_one_file(worker_factory, staff, fast_outbox):
    cohort = cohort_for(staff, module_list=[module_with_lessons(lessons=1, questions=0, slug=f"m{i}") for i in range(2)])
    for _ in range(3):
        member(cohort)
    folder = exports_dir() / str(cohort.pk)
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    slow = worker_factory(ESSOR_TEST_SLOW_EXPORT_STEP="1", **FAST)
    export = export_request(cohort=cohort, requested_by=staff, format="csv", language="fr")
    slow.wait_for(lambda: CohortExport.objects.filter(pk=export.pk, status="running", rows_done__gt=0).exists())
    slow.kill()

    export.refresh_from_db()
    assert export.status == "running" and export.progress < 100  # what the operator found: stuck "running"
    # Beat's recovery after ESSOR_EXPORT_STALE_SECONDS without progress, and the outbox relay after the lock.
    CohortExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert exports_recover() == {"resumed": 1, "failed": 0}
    time_passes(OutboxMessage.objects.get(key=f"cohort-export:{export.pk}:run:1"))
    fresh = worker_factory(**FAST)
    assert outbox_relay() >= 1  # the first run's message again: the resumed run or this one writes it, once
    fresh.wait_for(lambda: CohortExport.objects.filter(pk=export.pk, status="done").exists())
    fresh.wait_for(lambda: OutboxMessage.objects.filter(key__startswith=f"cohort-export:{export.pk}:", status="done").count() == 2)

    export.refresh_from_db()
    assert (export.status, export.progress, export.rows_done, export.attempts) == ("done", 100, 6, 2)
    assert sorted(p.name for p in folder.iterdir()) == [export.file_path.split("/")[-1]]  # one file, no .part left
    assert len((exports_dir() / export.file_path).read_text(encoding="utf-8-sig").splitlines()) == 1 + 6


def test_a_worker_killed_during_an_email_gives_exactly_one_email(worker_factory, api_as, learner, fast_outbox):
    slow = worker_factory(ESSOR_TEST_SLOW_EMAIL="60", **FAST)
    response, certificate = complete_module(api_as(learner), learner)
    assert response.status_code == 200
    message = OutboxMessage.objects.get(key=f"certificate-email:{certificate.pk}")
    slow.wait_for(lambda: OutboxMessage.objects.filter(pk=message.pk, attempts=1, locked_until__isnull=False).exists())
    slow.kill()  # inside the email backend, before the email is written
    assert slow.mails() == []

    time_passes(message)
    fresh = worker_factory(**FAST)
    assert outbox_relay() >= 1
    mails = fresh.wait_for(fresh.mails)
    assert len(mails) == 1 and learner.email in mails[0]
    # A duplicate of the message, and the task itself delivered again: nothing more is sent.
    outbox_deliver_task.delay(message.pk)
    certificate_email_send_task.delay(certificate.pk, "fr")
    fresh.wait_for(lambda: succeeded(fresh, "outbox_deliver_task") >= 2 and succeeded(fresh, "certificate_email_send_task") >= 1)
    assert len(fresh.mails()) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("done", 2)


def test_the_broker_down_while_a_learner_completes_a_module(worker_factory, broker, api_as, learner, fast_outbox):
    client = api_as(learner)
    with broker.down():
        response, certificate = complete_module(client, learner)
        assert response.status_code == 200  # the learner's success is not a 500
        assert response.json()["enrollment"]["completed_at"]
        message = OutboxMessage.objects.get(key=f"certificate-email:{certificate.pk}")
        assert message.status == "pending" and message.last_error.startswith("broker:")
        healthy, parts = health_report()
        assert not healthy and parts["broker"] != "ok" and parts["database"] == "ok"
        assert outbox_relay() == 0  # still down: kept for later

    worker = worker_factory(**broker.env, **FAST)
    # Every message the outage held back (the certificate's email, and whatever else the change owes).
    held_back = OutboxMessage.objects.filter(status="pending").count()
    assert outbox_relay() == held_back >= 1, message.last_error
    mails = worker.wait_for(worker.mails)
    assert len(mails) == 1 and learner.email in mails[0]
    worker.wait_for(lambda: OutboxMessage.objects.filter(pk=message.pk, status="done").exists())
    assert outbox_relay() == 0
    assert len(worker.mails()) == 1


def test_a_read_only_mail_folder_delays_the_email_until_it_is_writable(worker_factory, api_as, learner, fast_outbox):
    worker = worker_factory(**FAST)
    with unwritable(worker.mail_dir):
        response, certificate = complete_module(api_as(learner), learner)
        assert response.status_code == 200
        message = OutboxMessage.objects.get(key=f"certificate-email:{certificate.pk}")
        worker.wait_for(lambda: OutboxMessage.objects.filter(pk=message.pk, attempts__gte=1, locked_until__isnull=True)
                        .exclude(last_error="").exists())
        message.refresh_from_db()
        assert message.status == "pending" and message.next_attempt_at > timezone.now() - timedelta(seconds=5)
    time_passes(message)  # the backoff's delay
    assert outbox_relay() >= 1
    mails = worker.wait_for(worker.mails)
    assert len(mails) == 1
    worker.wait_for(lambda: OutboxMessage.objects.filter(pk=message.pk, status="done").exists())
    certificate.refresh_from_db()
    assert certificate.email_sent_at is not None


def test_a_read_only_exports_folder_marks_the_export_failed_with_a_reason(worker_factory, staff, fast_outbox):
    cohort = cohort_for(staff, module_list=[module_with_lessons(lessons=1, questions=0, slug="m1")])
    member(cohort)
    worker = worker_factory(**FAST)
    with unwritable(exports_dir()):
        export = export_request(cohort=cohort, requested_by=staff, format="csv", language="en")
        worker.wait_for(lambda: CohortExport.objects.filter(pk=export.pk, status="failed").exists())
    export.refresh_from_db()
    assert export.error.startswith("The file could not be written on the server (")
    assert "Tell the site's administrator" in export.error
    # Recorded as a failure of the export, not retried for ever: the outbox message is done.
    worker.wait_for(lambda: OutboxMessage.objects.filter(key=f"cohort-export:{export.pk}:run:1", status="done").exists())
