"""The audit log: django-auditlog's LogEntry table, read by admins in /admin/auditlog/logentry/.

Two kinds of entries land there:

- **model changes**, written by django-auditlog itself for the models and fields listed in
  `settings.AUDITLOG_INCLUDE_TRACKING_MODELS` (roles, intermediary staff, coach vetting);
- **events** (something read or done that changes no audited field: a learner's drill-down opened, an
  export requested or downloaded, a certificate revoked, an account deleted), written by `record()`.

Any app calls `record()`; core imports no app, so the target is passed in::

    from core.audit import record
    record(request.user, "learner-drilldown", learner, cohort=cohort.pk)
    record(None, "account-deleted", (User, user_id), reason="asked by the user")   # actor from the request

The actor and the client's address come from the request (AuditMiddleware below) when `actor` is None.
Events are `LogEntry.Action.ACCESS` entries whose `additional_data` is `{"event": action, **details}`:
details must be JSON values, short, and name ids rather than copy personal data.
"""
from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .client_ip import client_ip

__all__ = ["record", "audit_entries", "AuditMiddleware"]


def record(actor, action: str, target, **details) -> LogEntry:
    """Write one audit event: `actor` (a user, or None for the request's user or the system) did `action`
    (a short kebab-case name) to `target` (a model instance, or a `(model class, pk)` pair when the instance is
    not at hand or no longer exists), with `details` (JSON values). Call it inside the transaction of the
    change it records, so that a rolled-back change leaves no entry."""
    if isinstance(target, tuple):
        model, pk = target
        object_repr = f"{model._meta.verbose_name} {pk}"
    else:
        model, pk, object_repr = type(target), target.pk, str(target)[:200]
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None:
        try:
            actor = auditlog_value.get().get("actor")
        except LookupError:
            actor = None
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=object_repr,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={"event": action, **details},
    )


def audit_entries(*, target: models.Model | None = None, event: str | None = None):
    """The entries about one object (newest first), or of one event."""
    entries = LogEntry.objects.select_related("actor", "content_type")
    if target is not None:
        entries = entries.filter(content_type=ContentType.objects.get_for_model(type(target)), object_pk=str(target.pk))
    if event is not None:
        entries = entries.filter(additional_data__event=event)
    return entries.order_by("-timestamp", "-pk")


class AuditlogMiddlewareWithClientIp(AuditlogMiddleware):
    """django-auditlog's middleware (the actor of every entry written during a request), with the client's
    address read like the throttles and the lock-out do (core.client_ip): auditlog's own reading trusts the
    left-most X-Forwarded-For, which any client writes."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request) or None

    def __call__(self, request):
        try:
            return super().__call__(request)
        finally:
            # auditlog sets its context variable and never resets it: the next request, task or test run in
            # this thread would otherwise take this request's user as its actor (record() reads it).
            auditlog_value.set({})


AuditMiddleware = AuditlogMiddlewareWithClientIp
