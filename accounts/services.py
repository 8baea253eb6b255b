"""Every write on accounts: sign-up, profile, language, password reset requests."""
import uuid

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Association, Intermediary, IntermediaryStaff, NotificationChannel, User

SIGNUP_ROLES = ("learner", "coach")


@transaction.atomic
def user_create(
    *,
    email: str | None,
    password: str | None,
    display_name: str,
    preferred_language: str = settings.LANGUAGE_CODE,
    is_learner: bool = False,
    is_trainer: bool = False,
    is_coach: bool = False,
    association: Association | None = None,
    phone: str | None = None,
    social: bool = False,
) -> User:
    """A new account. `phone` (E.164) is given only once a code sent to it was typed: it is verified.
    `social`: opened by a WeChat identity (no email, no phone)."""
    email = User.objects.normalize_email(email or "").strip().lower() or None
    if email is None and not phone and not social:
        raise ValidationError({"email": _("An email address or a verified phone number is needed.")})
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists. Log in or reset your password.")})
    if phone:
        phone_release_unverified(phone=phone)
    user = User(
        email=email,
        phone=phone or None,
        phone_verified_at=timezone.now() if phone else None,
        display_name=display_name.strip(),
        preferred_language=preferred_language,
        is_learner=is_learner,
        is_trainer=is_trainer,
        is_coach=is_coach,
        association=association,
    )
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_signup(
    *,
    email: str,
    password: str,
    display_name: str,
    preferred_language: str,
    role: str,
    association_name: str = "",
    association_country: str = "FR",
    association_city: str = "",
) -> User | None:
    """Open an account that the link emailed to its address activates; answer the same when the address is
    taken (its owner gets an email instead), so that sign-up does not tell who has an account.

    Returns the new, inactive user, or None when the address already had an account.
    """
    if not settings.ESSOR_OPEN_SIGNUP:
        raise ValidationError(_("Sign-up is closed on this site. Ask your support organisation for an invitation."))
    if role not in SIGNUP_ROLES:
        raise ValidationError({"role": _("Choose whether you join as an association leader or as a pro bono coach.")})
    email = User.objects.normalize_email(email).strip().lower()
    # The password is judged before the address is looked up: a weak one is refused alike for every address.
    try:
        password_validation.validate_password(password, User(email=email, display_name=display_name.strip()))
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _signup_email_owe(existing, preferred_language)
        return None
    association = None
    if role == "learner" and association_name.strip():
        association = association_create(name=association_name, country=association_country, city=association_city)
    user = user_create(
        email=email,
        password=password,
        display_name=display_name,
        preferred_language=preferred_language,
        is_learner=role == "learner",
        is_coach=role == "coach",
        association=association,
    )
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    _consent_signup(user)
    _signup_email_owe(user, preferred_language)
    return user


def _signup_email_owe(user: User, language: str) -> None:
    """The email a sign-up owes its address: the confirmation link for an account never opened, a warning to
    the owner of an open one (an account closed by an admin gets nothing)."""
    from core.outbox import outbox_enqueue

    from .tasks import signup_confirm_email_send_task, signup_taken_email_send_task

    if not user.is_active and user.last_login is None:
        outbox_enqueue(signup_confirm_email_send_task, args=[user.pk, language], key=f"signup-confirm:{user.pk}:{uuid.uuid4().hex}")
    elif user.is_active:
        outbox_enqueue(signup_taken_email_send_task, args=[user.pk], key=f"signup-taken:{user.pk}:{uuid.uuid4().hex}")


@transaction.atomic
def user_signup_confirm(*, user: User) -> User:
    """The address of a new account is confirmed (its link was opened): the account opens, and the address
    counts as verified (the real-identity rule of docs/phone-and-wechat.md)."""
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(is_active=True, email_verified_at=Coalesce(F("email_verified_at"), now))
    user.is_active = True
    user.email_verified_at = user.email_verified_at or now
    return user


def _consent_signup(user: User) -> None:
    """Data rights: record the notice the sign-up page showed (accounts/data_rights/consent.py)."""
    from .data_rights.consent import consent_record_signup

    consent_record_signup(user=user)


def association_create(*, name: str, country: str = "FR", city: str = "", sector: str = "", size: str = "") -> Association:
    association = Association(name=name.strip(), country=country, city=city.strip(), sector=sector.strip())
    if size:
        association.size = size
    association.full_clean()
    association.save()
    return association


@transaction.atomic
def user_profile_update(*, user: User, data: dict) -> User:
    """Update the fields a person may change about themselves (and their association)."""
    # The phone number is not here: it changes only with a code sent to it (user_phone_set).
    allowed = {"display_name", "preferred_language", "reminders_enabled", "notification_channel"}
    unknown = set(data) - allowed - {"association"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for field in allowed & set(data):
        setattr(user, field, data[field])
    association_data = data.get("association")
    if association_data:
        if user.association_id:
            association = user.association
            for field in ("name", "country", "city", "sector", "size"):
                if field in association_data:
                    setattr(association, field, association_data[field])
            association.full_clean()
            association.save()
        elif association_data.get("name"):
            user.association = association_create(**association_data)
    if user.notification_channel == NotificationChannel.SMS and not user.sms_number:
        raise ValidationError({"notification_channel": _(
            "Add and verify a phone number first: text messages are only sent to a verified number.")})
    user.full_clean()
    user.save()
    return user


def identity_require(user: User) -> None:
    """Publishing text (coaching feedback, session notes, objectives) needs a verified phone or email:
    mainland rules on user-published content require a real-identity check (docs/phone-and-wechat.md)."""
    if not user.has_verified_identity:
        raise ValidationError(_("Before you publish text, verify your phone number or your email address "
                                "(see your profile). This is required for everything people write on the site."),
                              code="identity")


EMAIL_VERIFY_SALT = "essor.accounts.email-verify"


def email_verification_request(*, user: User, language: str) -> None:
    """Owe an email with a link proving the address (after commit, through the outbox)."""
    from core.outbox import outbox_enqueue

    from .tasks import email_verification_send_task

    if user.email and user.email_verified_at is None:
        outbox_enqueue(email_verification_send_task, args=[user.pk, language], key=f"email-verify:{user.pk}:{uuid.uuid4().hex}")


def email_verification_token(user: User) -> str:
    from django.core import signing

    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFY_SALT, compress=True)


@transaction.atomic
def email_verify(*, token: str) -> User:
    from django.core import signing

    try:
        data = signing.loads(token[:500], salt=EMAIL_VERIFY_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT * 3)
    except signing.BadSignature:
        raise ValidationError(_("This verification link is not valid or has expired. Ask for a new one on your profile.")) from None
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise ValidationError(_("This verification link is not valid or has expired. Ask for a new one on your profile."))
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def phone_release_unverified(*, phone: str) -> None:
    """Whoever proved they hold `phone` takes it from an account that typed it but never verified it."""
    User.objects.filter(phone=phone, phone_verified_at__isnull=True).update(phone=None)


def user_by_verified_phone(*, phone: str) -> User | None:
    return User.objects.filter(phone=phone, phone_verified_at__isnull=False, is_active=True).first()


@transaction.atomic
def user_phone_signup(
    *,
    phone: str,
    display_name: str,
    preferred_language: str,
    role: str,
    association_name: str = "",
    association_country: str = "CN",
    association_city: str = "",
) -> User:
    """An account opened with a phone number whose code was just checked (no email, no password)."""
    if not settings.ESSOR_OPEN_SIGNUP:
        raise ValidationError(_("Sign-up is closed on this site. Ask your support organisation for an invitation."))
    if role not in SIGNUP_ROLES:
        raise ValidationError({"role": _("Choose whether you join as an association leader or as a pro bono coach.")})
    if user_by_verified_phone(phone=phone) is not None:
        raise ValidationError(_("This phone number already has an account: log in with it."))
    association = None
    if role == "learner" and association_name.strip():
        association = association_create(name=association_name, country=association_country or "CN", city=association_city)
    return user_create(email=None, password=None, display_name=display_name, preferred_language=preferred_language,
                       is_learner=role == "learner", is_coach=role == "coach", association=association, phone=phone)


@transaction.atomic
def user_phone_set(*, user: User, phone: str) -> User:
    """Give `user` the number whose code they just typed (verified now)."""
    holder = User.objects.filter(phone=phone, phone_verified_at__isnull=False).exclude(pk=user.pk).first()
    if holder is not None:
        raise ValidationError({"phone": _("This phone number is already verified on another account. "
                                          "Log in with it there, or remove it from that account first.")})
    phone_release_unverified(phone=phone)
    user.phone = phone
    user.phone_verified_at = timezone.now()
    user.save(update_fields=["phone", "phone_verified_at"])
    return user


def user_wechat_unlink(*, user: User, identity_id: int) -> None:
    """Remove a linked WeChat identity, unless it is the only way left to log in."""
    identity = user.social_auth.filter(pk=identity_id).first()
    if identity is None:
        raise ValidationError(_("This WeChat identity is not linked to your account."))
    other_ways = (user.email and user.has_usable_password()) or user.sms_number or user.social_auth.exclude(pk=identity_id).exists()
    if not other_ways:
        raise ValidationError(_("WeChat is how you log in: add a phone number or an email address and a password before unlinking it."))
    identity.delete()


@transaction.atomic
def user_phone_remove(*, user: User) -> User:
    if not (user.email and user.has_usable_password()) and not user.social_identities_count():
        raise ValidationError(_("This phone number is how you log in: add an email address or WeChat before removing it."))
    user.phone = None
    user.phone_verified_at = None
    if user.notification_channel == NotificationChannel.SMS:
        user.notification_channel = NotificationChannel.EMAIL
    user.save(update_fields=["phone", "phone_verified_at", "notification_channel"])
    return user


def user_language_set(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("This language is not available.")})
    if user.preferred_language != language:
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        user.preferred_language = language


def password_reset_request(*, email: str, language: str) -> None:
    """Queue a reset email for every active account with this address (silently none if unknown)."""
    from core.outbox import outbox_enqueue

    from .tasks import password_reset_email_send_task

    for user_id in User.objects.filter(email__iexact=email.strip(), is_active=True).values_list("id", flat=True):
        # Each request owes its own email (a new link): a key of its own.
        outbox_enqueue(password_reset_email_send_task, args=[user_id, language], key=f"password-reset:{user_id}:{uuid.uuid4().hex}")


@transaction.atomic
def intermediary_staff_add(*, intermediary: Intermediary, user: User, is_manager: bool = False) -> IntermediaryStaff:
    membership, _created = IntermediaryStaff.objects.get_or_create(
        intermediary=intermediary, user=user, defaults={"is_manager": is_manager}
    )
    return membership
