"""Account emails and housekeeping, run by the Celery worker."""
from celery import shared_task
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.mail import email_send
from core.outbox import delivery_once

from .models import User


@shared_task(time_limit=120)
def password_reset_email_send_task(user_id: int, language: str) -> None:
    """Queued through the outbox; a second delivery of the same request sends nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    with delivery_once() as first:
        if first:
            email_send(to=user.email, template="accounts/email/password_reset", context={"user": user, "path": path},
                       language=language)


@shared_task
def login_attempts_prune_task() -> None:
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_logs(age_days=30)


@shared_task
def account_erased_mission_notify_task(mission_id: int, notify: str) -> None:
    """A running mission ended because one side deleted their account: tell the other side (coach or
    learner) without naming the person who left. Idempotent (one email per mission and side)."""
    from coaching.models import Mission
    from coaching.notifications import notify_once

    mission = Mission.objects.select_related("request__learner", "request__topic", "coach__user").filter(pk=mission_id).first()
    if mission is None:
        return
    recipient = mission.coach.user if notify == "coach" else mission.request.learner
    notify_once(key=f"account-erased:mission:{mission.pk}:{notify}", user=recipient,
                template="accounts/email/mission_ended", context={"mission": mission, "topic": mission.request.topic})
