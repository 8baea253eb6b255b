"""Log-in by email: Django's ModelBackend that reads, with the user of each request, whether they
are staff of an intermediary (the navigation asks on every page; this saves that query), and the one
spelling of a log-in email under which django-axes counts failures."""
import functools
import unicodedata

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models.expressions import RawSQL

from .models import IntermediaryStaff, User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.annotate(staff_flag=_staff_flag()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user._is_intermediary_staff = bool(user.staff_flag)
        return user


@functools.cache
def _staff_flag() -> RawSQL:
    """`EXISTS (… intermediary staff row of this user)`, written once: the same SQL as
    `Exists(IntermediaryStaff.objects.filter(user_id=OuterRef("pk")))`, which the ORM compiled anew on
    every request (a third of the user's query time, docs/performance.md). Table and column names
    come from the models."""
    quote = connection.ops.quote_name
    staff, user = IntermediaryStaff._meta, User._meta
    staff_user = f"{quote(staff.db_table)}.{quote(staff.get_field('user').column)}"
    user_pk = f"{quote(user.db_table)}.{quote(user.pk.column)}"
    # Names from the models, no value from a request: nothing here can carry an injection.
    sql = f"EXISTS (SELECT 1 FROM {quote(staff.db_table)} WHERE {staff_user} = {user_pk})"  # noqa: S608
    return RawSQL(sql, ())  # noqa: S611


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
