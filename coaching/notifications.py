"""Send a coaching notification once per key, in the recipient's language, on their channel (email or SMS).
Called from Celery tasks only."""
from django.db import transaction
from django.utils import timezone

from core.notify import notification_channel, notification_send

from .models import NotificationLog


def notify_once(*, key: str, user, template: str, context: dict) -> bool:
    """Send `template` to `user` unless an email with this key was already sent. True when sent.

    The log row is locked while sending, so a task delivered twice at the same time sends once."""
    if user is None or not user.is_active or not notification_channel(user):
        return False
    with transaction.atomic():
        log, _created = NotificationLog.objects.select_for_update().get_or_create(key=key)
        if log.sent_at is not None:
            return False
        notification_send(user=user, template=template, context={"recipient": user, **context}, language=user.preferred_language)
        log.sent_at = timezone.now()
        log.save(update_fields=["sent_at"])
    return True
