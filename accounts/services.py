"""Every write on accounts: sign-up, profile, language, password reset requests."""
import uuid

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Association, Intermediary, IntermediaryStaff, User

SIGNUP_ROLES = ("learner", "coach")


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    display_name: str,
    preferred_language: str = settings.LANGUAGE_CODE,
    is_learner: bool = False,
    is_trainer: bool = False,
    is_coach: bool = False,
    association: Association | None = None,
) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists. Log in or reset your password.")})
    user = User(
        email=email,
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
    """The address of a new account is confirmed (its link was opened): the account opens."""
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
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
    allowed = {"display_name", "preferred_language", "phone", "reminders_enabled"}
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
    user.full_clean()
    user.save()
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
