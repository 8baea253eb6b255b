"""Reminders: the daily task sends each reminder once per period, in the learner's language, with a
resume link; staff can send one now; learners who turned reminders off get none."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cohorts.models import CohortMembership, CohortReminder
from cohorts.services import reminder_resume_target, reminder_send_now, reminders_due_send
from cohorts.tasks import cohort_reminders_send_task
from learners.services import lesson_progress_record

from .factories import backdate, member

pytestmark = pytest.mark.django_db


def stalled_member(cohort, module, days=20, **kwargs):
    user = member(cohort, **kwargs)
    lesson_progress_record(user=user, lesson=module.lessons.first())
    backdate(user, days=days)
    return user


def test_the_daily_task_run_twice_sends_each_reminder_once(cohort, module_a, django_capture_on_commit_callbacks):
    stalled = stalled_member(cohort, module_a, preferred_language="zh-hans")
    fresh = member(cohort)
    lesson_progress_record(user=fresh, lesson=module_a.lessons.first())
    with django_capture_on_commit_callbacks(execute=True):
        assert cohort_reminders_send_task.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert cohort_reminders_send_task.apply().get() == 0
    assert [m.to for m in mail.outbox] == [[stalled.email]]
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == "zh-hans"
    second_lesson = module_a.lessons.all()[1]
    assert f"/learn/{module_a.slug}/{second_lesson.slug}/" in message.body  # the first unfinished lesson
    assert "/accounts/profile/" in message.body
    reminder = CohortReminder.objects.get()
    assert reminder.kind == "auto" and reminder.sent_at is not None


def test_one_reminder_per_period_then_another_after_a_new_period(cohort, module_a, django_capture_on_commit_callbacks):
    stalled_member(cohort, module_a, days=15)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_due_send(now=now) == 1
        assert reminders_due_send(now=now + timedelta(days=5)) == 0  # same 14-day period
        assert reminders_due_send(now=now + timedelta(days=14)) == 1  # 29 days idle: the next period
    assert len(mail.outbox) == 2


def test_learners_who_never_started_are_reminded_a_period_after_joining(cohort, django_capture_on_commit_callbacks):
    user = member(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_due_send() == 0
        CohortMembership.objects.filter(user=user).update(joined_at=timezone.now() - timedelta(days=15))
        assert reminders_due_send() == 1
    assert f"/learn/{cohort.cohort_modules.first().module.slug}/lesson-1/" in mail.outbox[0].body


def test_reminders_off_completed_left_or_ended_cohorts_get_nothing(cohort, module_a, django_capture_on_commit_callbacks):
    stalled_member(cohort, module_a, reminders_enabled=False)
    gone = stalled_member(cohort, module_a)
    CohortMembership.objects.filter(user=gone).update(status="left")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_due_send() == 0
    stalled_member(cohort, module_a)
    cohort.ends_on = timezone.localdate() - timedelta(days=1)
    cohort.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_due_send() == 0
    assert mail.outbox == []


def test_a_reminder_is_not_sent_if_the_learner_turns_reminders_off_before_the_email_goes(cohort, module_a,
                                                                                         django_capture_on_commit_callbacks):
    user = stalled_member(cohort, module_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders_due_send()
    user.reminders_enabled = False
    user.save()
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_staff_send_a_reminder_now_to_selected_members_only(cohort, module_a, staff, django_capture_on_commit_callbacks):
    target = member(cohort)
    off = member(cohort, reminders_enabled=False)
    from tests.factories import UserFactory

    stranger = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        result = reminder_send_now(cohort=cohort, user_ids=[target.pk, off.pk, stranger.pk, target.pk], sent_by=staff)
    assert (result.sent, result.reminders_off, result.not_members) == ([target.pk], [off.pk], [stranger.pk])
    assert [m.to for m in mail.outbox] == [[target.email]]
    with django_capture_on_commit_callbacks(execute=True):
        again = reminder_send_now(cohort=cohort, user_ids=[target.pk], sent_by=staff)
    assert again.recently_reminded == [target.pk] and len(mail.outbox) == 1
    # A manual reminder counts for the period: the daily task does not send another one.
    CohortMembership.objects.filter(user=target).update(joined_at=timezone.now() - timedelta(days=15))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_due_send() == 0


def test_resume_target_follows_the_cohorts_order(cohort, module_a, module_b):
    user = member(cohort)
    for lesson in module_a.lessons.all():
        lesson_progress_record(user=user, lesson=lesson)
    # Every lesson of module A read, quiz not passed: back to module A (its quiz).
    assert reminder_resume_target(cohort=cohort, user=user, language="en")[1] == f"/learn/{module_a.slug}/"
    from learners.services import quiz_attempt_submit
    from tests.learners.factories import quiz_answers

    quiz_attempt_submit(user=user, quiz=module_a.quiz, answers=quiz_answers(module_a))
    assert reminder_resume_target(cohort=cohort, user=user, language="en")[1] == f"/learn/{module_b.slug}/lesson-1/"


def test_the_periodic_tasks_are_scheduled_and_registered(settings):
    from config.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cohorts.tasks.cohort_reminders_send_task", "cohorts.tasks.cohort_exports_purge_task"} <= tasks
    app.loader.import_default_modules()
    assert {"cohorts.tasks.cohort_reminders_send_task", "cohorts.tasks.cohort_exports_purge_task"} <= set(app.tasks)


def test_a_learner_who_chose_sms_gets_the_reminder_by_sms_with_the_resume_link(cohort, module_a,
                                                                                django_capture_on_commit_callbacks):
    from core import sms

    sms.outbox.clear()
    stalled = stalled_member(cohort, module_a, preferred_language="fr", phone="+8613800138000",
                             phone_verified_at=timezone.now(), notification_channel="sms")
    with django_capture_on_commit_callbacks(execute=True):
        assert cohort_reminders_send_task.apply().get() == 1
    assert not mail.outbox
    message = sms.outbox[-1]
    second_lesson = module_a.lessons.all()[1]
    assert message.to == str(stalled.phone) and message.language == "fr"
    assert message.text.startswith("Essor") and "vous attend" in message.text
    assert message.text.endswith(f"/learn/{module_a.slug}/{second_lesson.slug}/")
