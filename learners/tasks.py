"""Learner emails, run by the Celery worker."""
from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import email_send
from core.outbox import delivery_once

from .models import Certificate


@shared_task(time_limit=120)
def certificate_email_send_task(certificate_id: int, language: str) -> None:
    """Send the certificate email once: the delivery record of its key, the row lock and email_sent_at
    make a second delivery a no-op."""
    with delivery_once(f"certificate-email:{certificate_id}") as first, transaction.atomic():
        if not first:
            return
        certificate = (Certificate.objects.select_for_update().select_related("user", "module")
                       .filter(pk=certificate_id, email_sent_at__isnull=True, revoked_at__isnull=True).first())
        if certificate is None:
            return
        path = reverse("verify:certificate", kwargs={"code": certificate.code})
        from courses.models import ModuleTranslation

        titles = dict(ModuleTranslation.objects.filter(module=certificate.module).values_list("language", "title"))
        module_title = titles.get(language) or titles.get(certificate.module.source_language) or certificate.module.slug
        email_send(to=certificate.user.email, template="learners/email/certificate",
                   context={"certificate": certificate, "module_title": module_title, "path": path}, language=language)
        certificate.email_sent_at = timezone.now()
        certificate.save(update_fields=["email_sent_at"])
