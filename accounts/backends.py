"""Log-in by email: Django's ModelBackend that reads, with the user of each request, whether they
are staff of an intermediary (the navigation asks on every page; this saves that query), and the one
spelling of a log-in email under which django-axes counts failures."""
import unicodedata

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from core.db.prepared import PreparedQuery

from .models import IntermediaryStaff, User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _USER_WITH_STAFF_FLAG(user_id=user_id)
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        user._is_intermediary_staff = bool(user.staff_flag)
        return user


# The user of every request, with whether they are staff of an intermediary: compiled once per process
# (core/db/prepared.py). The ORM built and compiled it on every request: 1.5 ms, against 0.4 ms (docs/performance.md).
_USER_WITH_STAFF_FLAG = PreparedQuery(
    lambda user_id: User._default_manager.annotate(staff_flag=Exists(IntermediaryStaff.objects.filter(user_id=OuterRef("pk"))))
    .filter(pk=user_id), user_id=int)


def login_username_normalise(value: str | None) -> str | None:
    """The one spelling of a log-in email: the form's NFKC and strip, then lower case (log-in matches
    emails case-insensitively, so `EMAIL@…`, `Email@…` and ` email@…` are the same account)."""
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


def axes_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: django-axes counts failures under the normalised email, so that every
    spelling of one account's email shares one counter (docs/security.md)."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field)
    return login_username_normalise(value)
