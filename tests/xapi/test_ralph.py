"""xAPI statements reach a real LRS (Ralph), are read back and checked; an LRS outage loses none and
nothing is stored twice (deterministic statement ids, sent through the outbox)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import outbox_deliver
from learners.services import enrollment_create, lesson_progress_record, quiz_attempt_submit
from tests.factories import UserFactory
from tests.learners.factories import module_with_lessons, quiz_answers
from xapi import hooks
from xapi.statements import VERBS

pytestmark = pytest.mark.django_db(transaction=True)


def learn(user, module) -> None:
    enrollment_create(user=user, module=module)
    for lesson in module.lessons.all():
        lesson_progress_record(user=user, lesson=lesson)
    quiz_attempt_submit(user=user, quiz=module.quiz, answers=quiz_answers(module, correct=False))
    quiz_attempt_submit(user=user, quiz=module.quiz, answers=quiz_answers(module))


def deliver_all() -> int:
    """What the relay and the worker do: run every xAPI message that is due."""
    OutboxMessage.objects.filter(task__startswith="xapi.", status=OutboxMessage.Status.PENDING).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1), locked_until=None)
    done = 0
    for message_id in OutboxMessage.objects.filter(task__startswith="xapi.", status=OutboxMessage.Status.PENDING).values_list(
            "pk", flat=True):
        done += outbox_deliver(message_id=message_id)
    return done


def test_off_by_default_nothing_recorded(settings):
    settings.XAPI_LRS_URL = ""
    module = module_with_lessons(lessons=2, questions=1)
    learn(UserFactory(is_learner=True), module)
    assert not OutboxMessage.objects.filter(task__startswith="xapi.").exists()


def test_statements_reach_ralph_and_read_back(ralph):
    module = module_with_lessons(lessons=2, questions=1)
    user = UserFactory(is_learner=True, display_name="Ada Secret", email="ada.secret@example.org")
    learn(user, module)
    messages = list(OutboxMessage.objects.filter(task__startswith="xapi."))
    sent = [m.args[0] for m in messages]
    verbs = sorted(s["verb"]["id"] for s in sent)
    assert verbs.count(VERBS["progressed"]) >= 2 and verbs.count(VERBS["failed"]) == 1 and verbs.count(VERBS["passed"]) == 1
    assert verbs.count(VERBS["completed"]) == 1 and verbs.count(VERBS["earned"]) == 1
    deliver_all()  # (in the test settings the after-commit hand-off already ran them, eagerly)
    assert OutboxMessage.objects.filter(task__startswith="xapi.", status=OutboxMessage.Status.DONE).count() == len(messages)
    stored = {s["id"]: s for s in ralph.statements()}
    assert set(stored) == {s["id"] for s in sent}
    for statement in sent:
        back = stored[statement["id"]]
        assert back["verb"]["id"] == statement["verb"]["id"] and back["object"]["id"] == statement["object"]["id"]
        assert back["actor"]["account"] == {"homePage": "https://essor.example", "name": f"user-{user.pk}"}
    passed = next(s for s in stored.values() if s["verb"]["id"] == VERBS["passed"])
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1.0
    body = str(list(stored.values()))
    assert "Ada Secret" not in body and "ada.secret" not in body  # pseudonymous actor
    # Sent again (a relay that lost its record, a duplicate event): the LRS still holds each once.
    OutboxMessage.objects.filter(task__startswith="xapi.").update(status=OutboxMessage.Status.PENDING)
    with transaction.atomic():
        hooks.certificate_issued(certificate=user.certificates.get())  # the same event again: the same key
    assert deliver_all() == len(messages)
    assert len(ralph.statements()) == len(messages)


def test_an_lrs_outage_loses_no_statement(ralph):
    module = module_with_lessons(lessons=2, questions=1)
    ralph.stop()
    for _ in range(2):
        learn(UserFactory(is_learner=True), module)
    messages = OutboxMessage.objects.filter(task__startswith="xapi.")
    count = messages.count()
    assert count >= 10
    assert deliver_all() == 0  # the LRS is down: every delivery fails, and is kept to try again
    assert messages.filter(status=OutboxMessage.Status.PENDING).count() == count
    assert all("LRS unreachable" in error for error in messages.values_list("last_error", flat=True))
    ralph.start()
    assert deliver_all() == count
    assert messages.filter(status=OutboxMessage.Status.DONE).count() == count
    assert {s["id"] for s in ralph.statements()} == {m.args[0]["id"] for m in messages}


def test_coaching_milestones(ralph):
    from tests.coaching.factories import coach_profile
    from tests.cohorts.factories import cohort_for
    from tests.factories import IntermediaryStaffFactory
    from tests.impact.conftest import mission

    staff = IntermediaryStaffFactory(is_manager=True).user
    cohort = cohort_for(staff, module_list=[module_with_lessons(lessons=1, questions=0)])
    learner = UserFactory(is_learner=True)
    m = mission(learner, cohort, coach_profile(UserFactory(is_coach=True)))
    with transaction.atomic():
        hooks.coaching_milestone(kind="matched", mission=m)
        hooks.coaching_milestone(kind="completed", mission=m)
    deliver_all()
    verbs = {s["verb"]["id"] for s in ralph.statements() if s["object"]["id"].endswith(f"/coaching/missions/{m.pk}")}
    assert verbs == {VERBS["registered"], VERBS["completed"]}


def learner_with_statements(module):
    """A learner who completed a module (progress, a failed and a passed quiz, a certificate) and a coaching
    mission (matched, completed): every kind of statement about them."""
    from tests.coaching.factories import coach_profile
    from tests.cohorts.factories import cohort_for
    from tests.factories import IntermediaryStaffFactory
    from tests.impact.conftest import mission

    learner = UserFactory(is_learner=True, display_name="Erased Person", email="erased.person@example.org")
    learn(learner, module)
    staff = IntermediaryStaffFactory(is_manager=True).user
    m = mission(learner, cohort_for(staff, module_list=[module]), coach_profile(UserFactory(is_coach=True)))
    with transaction.atomic():
        hooks.coaching_milestone(kind="matched", mission=m)
        hooks.coaching_milestone(kind="completed", mission=m)
    return learner


def statements_about(user) -> set[str]:
    return {m.args[0]["id"] for m in OutboxMessage.objects.filter(task__startswith="xapi.")
            if m.args[0]["actor"].get("account", {}).get("name") == f"user-{user.pk}"}


def voided_by(stored: list[dict]) -> dict[str, dict]:
    """Voiding statements found in the LRS, by the id of the statement each voids."""
    return {s["object"]["id"]: s for s in stored if s["verb"]["id"] == VERBS["voided"]}


def test_account_erasure_voids_every_statement_sent_about_the_learner(ralph):
    from accounts.data_rights import account_erase
    from xapi.models import StatementRecord

    module = module_with_lessons(lessons=2, questions=1)
    learner = learner_with_statements(module)
    other = UserFactory(is_learner=True)
    learn(other, module)
    deliver_all()
    originals, others = statements_about(learner), statements_about(other)
    assert len(originals) >= 8 and {s["id"] for s in ralph.statements()} == originals | others
    assert StatementRecord.objects.filter(user=learner).count() == len(originals)

    result = account_erase(user=learner)
    assert result["xapi.hooks.account_erased"] == len(originals)
    deliver_all()  # (in the test settings the after-commit hand-off already ran them, eagerly)
    void_messages = OutboxMessage.objects.filter(task__startswith="xapi.").exclude(key__in=[f"xapi:{i}" for i in originals | others])
    assert void_messages.count() == len(originals)
    assert void_messages.filter(status=OutboxMessage.Status.DONE).count() == len(originals)
    stored = ralph.statements()
    voids = voided_by(stored)
    assert set(voids) == originals  # one for each statement about the learner, none for the other learner's
    assert len(stored) == len(originals) * 2 + len(others)
    for original_id, void in voids.items():
        assert void["object"] == {"objectType": "StatementRef", "id": original_id}
        assert void["actor"]["account"] == {"homePage": "https://essor.example", "name": "essor"}
    # What is kept names no one: no record links the person to the statements, no voiding statement names them.
    assert not StatementRecord.objects.filter(user=learner).exists()
    assert f"user-{learner.pk}" not in str(list(voids.values()))
    assert StatementRecord.objects.filter(user=other).count() == len(others)
    # A second erasure owes nothing more.
    count = OutboxMessage.objects.count()
    assert account_erase(user=learner) == {"already_erased": True}
    assert OutboxMessage.objects.count() == count


def test_erasure_during_an_lrs_outage_loses_no_voiding_and_sends_nothing_new_about_the_learner(ralph):
    from accounts.data_rights import account_erase

    module = module_with_lessons(lessons=2, questions=1)
    learner = UserFactory(is_learner=True)
    enrollment_create(user=learner, module=module)
    lesson_progress_record(user=learner, lesson=module.lessons.first())
    deliver_all()
    sent = statements_about(learner)
    assert sent and {s["id"] for s in ralph.statements()} == sent

    ralph.stop()
    for lesson in module.lessons.all()[1:]:
        lesson_progress_record(user=learner, lesson=lesson)
    quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module))
    unsent = statements_about(learner) - sent
    assert unsent and OutboxMessage.objects.filter(
        key__in=[f"xapi:{i}" for i in unsent], status=OutboxMessage.Status.PENDING).count() == len(unsent)

    account_erase(user=learner)
    # The statements that never left are not sent at all now; all of them are voided (an unsent one may have
    # reached the LRS before a timeout), and the voiding waits for the LRS.
    assert not OutboxMessage.objects.filter(key__in=[f"xapi:{i}" for i in unsent]).exists()
    voids = OutboxMessage.objects.filter(task__startswith="xapi.", status=OutboxMessage.Status.PENDING)
    assert {m.args[0]["object"]["id"] for m in voids} == sent | unsent
    assert deliver_all() == 0 and voids.count() == len(sent | unsent)
    ralph.start()
    assert deliver_all() == len(sent | unsent)
    stored = ralph.statements()
    assert set(voided_by(stored)) == sent | unsent
    assert not {s["id"] for s in stored} & unsent  # the learner's unsent records never reached the LRS


def test_erasure_without_statements_owes_no_xapi_work(settings, db):
    from accounts.data_rights import account_erase

    settings.XAPI_LRS_URL = ""
    learner = UserFactory(is_learner=True)
    learn(learner, module_with_lessons(lessons=1, questions=1))
    assert account_erase(user=learner)["xapi.hooks.account_erased"] == 0
    assert not OutboxMessage.objects.filter(task__startswith="xapi.").exists()
