"""Log-in by email: Django's ModelBackend that reads, with the user of each request, whether they
are staff of an intermediary (the navigation asks on every page; this saves that query), and the one
spelling of a log-in email under which django-axes counts failures."""
import functools
import unicodedata

from django.contrib.auth.backends import ModelBackend
from django.db import connection, connections

from .models import IntermediaryStaff, User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = next(iter(User._default_manager.raw(_user_select(connection.alias), [user_id])), None)  # noqa: S611
        if user is None or not self.user_can_authenticate(user):
            return None
        user._is_intermediary_staff = bool(user.staff_flag)
        return user


@functools.cache
def _user_select(alias: str) -> str:
    """Every column of the user and `EXISTS (… intermediary staff row of this user)`, by id: the statement of
    `User.objects.annotate(staff_flag=Exists(IntermediaryStaff.objects.filter(user_id=OuterRef("pk"))))
    .filter(pk=…)`, written once per process. The ORM built and compiled it on every request: 1.5 ms, against
    0.4 ms for this with the user built (docs/performance.md). Table and column names come from the models."""
    quote = connections[alias].ops.quote_name
    staff, user = IntermediaryStaff._meta, User._meta
    table = quote(user.db_table)
    columns = ", ".join(f"{table}.{quote(field.column)}" for field in user.concrete_fields)
    staff_user = f"{quote(staff.db_table)}.{quote(staff.get_field('user').column)}"
    user_pk = f"{table}.{quote(user.pk.column)}"
    # Names from the models, the id as a parameter: nothing here can carry an injection.
    return (f"SELECT {columns}, EXISTS (SELECT 1 FROM {quote(staff.db_table)} WHERE {staff_user} = {user_pk}) "  # noqa: S608
            f"AS staff_flag FROM {table} WHERE {user_pk} = %s")


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
