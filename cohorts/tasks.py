"""Cohort tasks run by the Celery worker (thin: each calls a service with ids and a language)."""
from celery import shared_task
from django.utils import translation

from core.outbox import delivery_once

from . import services


@shared_task(time_limit=120)
def cohort_invitation_email_send_task(invitation_id: int, language: str) -> None:
    with delivery_once() as first:  # the outbox key: a second delivery sends nothing
        if first:
            services.invitation_email_send(invitation_id=invitation_id, language=language)


@shared_task
def cohort_export_run_task(export_id: int, language: str) -> None:
    services.export_generate(export_id=export_id, language=language)


@shared_task
def cohort_exports_purge_task() -> int:
    return services.exports_purge()


@shared_task
def cohort_exports_recover_task() -> dict:
    """Periodic: resume (or fail, with a reason) the exports whose worker died."""
    return services.exports_recover()


@shared_task
def cohort_reminders_send_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind the learners who stalled, once per period."""
    return services.reminders_due_send()


@shared_task(time_limit=120)
def cohort_reminder_email_send_task(reminder_id: int, language: str) -> None:
    with delivery_once(f"cohort-reminder-email:{reminder_id}") as first:
        if first:
            services.reminder_email_send(reminder_id=reminder_id, language=language)


@shared_task
def cohort_enrolments_sync_task(cohort_id: int, language: str) -> int:
    with translation.override(language):
        return services.cohort_enrolments_sync(cohort_id=cohort_id)
