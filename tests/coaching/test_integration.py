"""Coaching emails through a real Celery worker: queued on commit, sent once, in the coach's language."""
import re

import pytest

from coaching import services, tasks
from coaching.models import NotificationLog

from .factories import coaching_request

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_proposal_email_reaches_the_coach_once(world, celery_worker):
    world.coach.preferred_language = "zh-hans"
    world.coach.save()
    request = coaching_request(world.learner, cohort=world.cohort, intermediary=world.intermediary)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)  # commits: queued

    mails = celery_worker.wait_for(celery_worker.mails)
    assert len(mails) == 1 and world.coach.email in mails[0]
    assert "Content-Language: zh-hans" in mails[0]
    assert f"/coaching/proposals/{proposal.pk}/" in mails[0]
    assert world.learner.email not in mails[0]

    # Delivered twice (a retry, a duplicate message): still one email.
    tasks.proposal_notify_task.delay(proposal.pk, "fr")
    log = celery_worker.log_path
    # Both deliveries have run: the worker logs "Task ...[<id>] succeeded" for the outbox's and for this one.
    celery_worker.wait_for(lambda: len(re.findall(r"(proposal_notify|outbox_deliver)_task\[[^\]]+\] succeeded", log.read_text())) >= 2)
    assert len(celery_worker.mails()) == 1
    assert NotificationLog.objects.filter(key__startswith=f"proposal:{proposal.pk}:").count() == 1
