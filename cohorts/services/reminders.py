"""Reminders to learners who stopped: a daily task (at most one per learner per inactivity period of
the cohort's threshold) and staff sending one now. Learners who turned reminders off get none."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.notify import notification_channel, notification_send
from core.outbox import outbox_enqueue
from courses.models import Lesson, Module
from learners.models import Enrollment, LessonProgress

from ..models import Cohort, CohortReminder
from ..selectors.dashboard import COMPLETED, NOT_STARTED, STALLED, LearnerRow, cohort_dashboard, cohort_module_columns

# Staff clicking twice, or two colleagues at once, do not send two reminders in a day.
MANUAL_MIN_INTERVAL = timedelta(hours=24)


@dataclass(slots=True)
class Due:
    row: LearnerRow
    inactive_since: datetime
    period_start: datetime


def _due(row: LearnerRow, threshold: timedelta, now: datetime) -> Due | None:
    """A learner who has not finished and has done nothing for `threshold` (since their last
    activity, or since joining if they never started) is due once per period of that length."""
    if row.status == COMPLETED or row.status not in (STALLED, NOT_STARTED) or not row.reminders_enabled:
        return None
    inactive_since = row.last_activity_at or row.joined_at
    idle = now - inactive_since
    if idle < threshold:
        return None
    periods = idle // threshold
    return Due(row=row, inactive_since=inactive_since, period_start=inactive_since + periods * threshold)


def cohort_reminders_due(*, cohort: Cohort, now: datetime | None = None) -> list[Due]:
    now = now or timezone.now()
    dashboard = cohort_dashboard(cohort=cohort, now=now, with_coaching=False)
    threshold = timedelta(days=cohort.stalled_after_days)
    return [due for row in dashboard.rows if (due := _due(row, threshold, now)) is not None]


def reminders_due_send(*, now: datetime | None = None) -> int:
    """The daily run over every running cohort. Running it twice sends nothing twice: each
    reminder is recorded under a unique (cohort, learner, period) before its email is queued."""
    from ..tasks import cohort_reminder_email_send_task

    now = now or timezone.now()
    today = timezone.localdate(now)
    running = Cohort.objects.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today), Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    created_count = 0
    for cohort in running.order_by("pk"):
        due = cohort_reminders_due(cohort=cohort, now=now)
        if not due:
            continue
        threshold = timedelta(days=cohort.stalled_after_days)
        # A reminder staff sent by hand during the period counts as this period's reminder.
        recent_manual = set(CohortReminder.objects.filter(
            cohort=cohort, kind=CohortReminder.Kind.MANUAL, created_at__gte=now - threshold,
            user_id__in=[d.row.user_id for d in due]).values_list("user_id", flat=True))
        with transaction.atomic():
            for item in due:
                if item.row.user_id in recent_manual:
                    continue
                reminder, created = CohortReminder.objects.get_or_create(
                    cohort=cohort, user_id=item.row.user_id, kind=CohortReminder.Kind.AUTOMATIC, period_start=item.period_start,
                    defaults={"inactive_since": item.inactive_since, "language": item.row.language})
                if created:
                    created_count += 1
                    outbox_enqueue(cohort_reminder_email_send_task, args=[reminder.pk, item.row.language],
                                   key=f"cohort-reminder-email:{reminder.pk}")
    return created_count


@dataclass
class SendNowResult:
    sent: list[int] = field(default_factory=list)
    reminders_off: list[int] = field(default_factory=list)
    recently_reminded: list[int] = field(default_factory=list)
    not_members: list[int] = field(default_factory=list)


def reminder_send_now(*, cohort: Cohort, user_ids: list[int], sent_by: User, now: datetime | None = None) -> SendNowResult:
    """Staff send a reminder now to the learners they selected (members of this cohort only)."""
    from ..tasks import cohort_reminder_email_send_task

    now = now or timezone.now()
    rows = {row.user_id: row for row in cohort_dashboard(cohort=cohort, now=now, with_coaching=False).rows}
    result = SendNowResult()
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()  # serialise two colleagues clicking at once
        recent = set(CohortReminder.objects.filter(
            cohort=cohort, user_id__in=user_ids, created_at__gte=now - MANUAL_MIN_INTERVAL).values_list("user_id", flat=True))
        for user_id in dict.fromkeys(user_ids):
            row = rows.get(user_id)
            if row is None:
                result.not_members.append(user_id)
            elif not row.reminders_enabled:
                result.reminders_off.append(user_id)
            elif user_id in recent:
                result.recently_reminded.append(user_id)
            else:
                reminder = CohortReminder.objects.create(
                    cohort=cohort, user_id=user_id, kind=CohortReminder.Kind.MANUAL, created_by=sent_by,
                    inactive_since=row.last_activity_at or row.joined_at, language=row.language)
                outbox_enqueue(cohort_reminder_email_send_task, args=[reminder.pk, row.language],
                               key=f"cohort-reminder-email:{reminder.pk}")
                result.sent.append(user_id)
    return result


def reminder_resume_target(*, cohort: Cohort, user: User, language: str) -> tuple[str, str]:
    """(module title, path) of the first lesson the learner has not finished, in the cohort's order.
    The lesson reader lives at /learn/<module-slug>/<lesson-slug>/."""
    modules = cohort_module_columns(cohort_id=cohort.pk, language=language)
    published = set(Module.objects.filter(pk__in=[m.id for m in modules], status=Module.Status.PUBLISHED).values_list("pk", flat=True))
    completed = set(Enrollment.objects.filter(user=user, module_id__in=published, completed_at__isnull=False)
                    .values_list("module_id", flat=True))
    for module in modules:
        if module.id not in published or module.id in completed:
            continue
        done = set(LessonProgress.objects.filter(user=user, lesson__module_id=module.id, completed_at__isnull=False)
                   .values_list("lesson_id", flat=True))
        for lesson_id, slug in Lesson.objects.filter(module_id=module.id, is_archived=False).order_by("position", "id").values_list(
                "pk", "slug"):
            if lesson_id not in done:
                return module.title, f"/learn/{module.slug}/{slug}/"
        return module.title, f"/learn/{module.slug}/"  # every lesson read: the quiz is what is left
    return "", "/learn/"


def reminder_email_send(*, reminder_id: int, language: str) -> bool:
    """Send one recorded reminder once (the row lock and sent_at make a retried task a no-op)."""
    with transaction.atomic():
        reminder = (CohortReminder.objects.select_for_update().select_related("user", "cohort__intermediary")
                    .filter(pk=reminder_id, sent_at__isnull=True).first())
        if reminder is None:
            return False
        user = reminder.user
        if not user.is_active or not user.reminders_enabled:
            return False
        language = user.preferred_language or language
        module_title, path = reminder_resume_target(cohort=reminder.cohort, user=user, language=language)
        days = (timezone.now() - reminder.inactive_since).days if reminder.inactive_since else None
        if not notification_channel(user):
            return False
        notification_send(user=user, template="cohorts/email/reminder", language=language, context={
            "user": user, "cohort": reminder.cohort, "organisation": reminder.cohort.intermediary.name,
            "module_title": module_title, "path": path, "days": days,
        })
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
        return True
