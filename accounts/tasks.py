"""Account emails and housekeeping, run by the Celery worker."""
from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
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


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """The sign-up confirmation link: valid PASSWORD_RESET_TIMEOUT, used up by the first log-in."""

    key_salt = "essor.accounts.SignupTokenGenerator"


signup_token_generator = SignupTokenGenerator()


@shared_task(time_limit=120)
def signup_confirm_email_send_task(user_id: int, language: str) -> None:
    """The link that opens a new account (sign-up confirms the address before logging anyone in)."""
    user = User.objects.filter(pk=user_id, is_active=False, last_login__isnull=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:signup-confirm", kwargs={"uidb64": uid, "token": signup_token_generator.make_token(user)})
    with delivery_once() as first:
        if first:
            email_send(to=user.email, template="accounts/email/signup_confirm", context={"user": user, "path": path},
                       language=language)


@shared_task(time_limit=120)
def signup_taken_email_send_task(user_id: int) -> None:
    """Someone signed up with the address of an open account: its owner is told (in their own language), the
    person who typed it learns nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    context = {"user": user, "login_path": reverse("accounts:login"), "reset_path": reverse("accounts:password-reset")}
    with delivery_once() as first:
        if first:
            email_send(to=user.email, template="accounts/email/signup_taken", context=context,
                       language=user.preferred_language)


@shared_task
def login_attempts_prune_task() -> None:
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_logs(age_days=30)
    # SMS codes: kept a day after they expire (to read an abuse report), then deleted.
    from datetime import timedelta

    from django.utils import timezone

    from .models import PhoneCode

    PhoneCode.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()


@shared_task(time_limit=60)
def phone_code_sms_send_task(code_id: int, sealed_code: str, language: str) -> None:
    """Send a one-time code once. An expired code (the worker was down too long) is not sent."""
    from django.utils import timezone, translation
    from django.utils.translation import gettext

    from core.sms import SmsMessage, sms_send

    from .models import PhoneCode
    from .phone import code_unseal

    record = PhoneCode.objects.filter(pk=code_id, used_at__isnull=True, expires_at__gt=timezone.now()).first()
    code = code_unseal(sealed_code) if record else None
    if record is None or code is None:
        return
    minutes = max(1, settings.ESSOR_PHONE_CODE_TTL_SECONDS // 60)
    with translation.override(language):
        text = gettext("Essor: your code is %(code)s. It expires in %(minutes)s minutes. Never give it to anyone.") % {
            "code": code, "minutes": minutes}
    with delivery_once() as first:
        if first:
            sms_send(SmsMessage(to=record.phone, text=text, kind="code", params={"code": code, "minutes": str(minutes)},
                                language=language))


@shared_task(time_limit=120)
def email_verification_send_task(user_id: int, language: str) -> None:
    from .services import email_verification_token

    user = User.objects.filter(pk=user_id, is_active=True, email__isnull=False, email_verified_at__isnull=True).first()
    if user is None:
        return
    path = reverse("accounts:email-verify", kwargs={"token": email_verification_token(user)})
    with delivery_once() as first:
        if first:
            email_send(to=user.email, template="accounts/email/verify", context={"user": user, "path": path},
                       language=language)


@shared_task
def sessions_clear_task() -> None:
    """Delete the expired sessions (Django's clearsessions): a log-in ends after ESSOR_SESSION_DAYS anyway."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.filter(expire_date__lt=timezone.now()).delete()


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
