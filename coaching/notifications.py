"""Send a coaching email once per key, in the recipient's language (called from Celery tasks only)."""
from django.db import transaction
from django.utils import timezone

from core.mail import email_send

from .models import NotificationLog


def notify_once(*, key: str, user, template: str, context: dict) -> bool:
    """Send `template` to `user` unless an email with this key was already sent. True when sent.

    The log row is locked while sending, so a task delivered twice at the same time sends once."""
    if user is None or not user.is_active or not user.email:
        return False
    with transaction.atomic():
        log, _created = NotificationLog.objects.select_for_update().get_or_create(key=key)
        if log.sent_at is not None:
            return False
        email_send(to=user.email, template=template, context={"recipient": user, **context}, language=user.preferred_language)
        log.sent_at = timezone.now()
        log.save(update_fields=["sent_at"])
    return True
