"""Background work of the credentials app: sign a certificate's credential, render its PDF and poster."""
from celery import shared_task


@shared_task
def credential_sign_task(certificate_id: int) -> None:
    """Sign the credential of a new certificate (once: the row lock makes a retry a no-op)."""
    from .models import Credential
    from .services import credential_sign

    credential = Credential.objects.filter(certificate_id=certificate_id, document__isnull=True).first()
    if credential is not None:
        credential_sign(credential_id=credential.pk)


@shared_task
def certificate_files_render_task(certificate_id: int, language: str) -> None:
    """Sign the credential (once) and render the PDF and the poster in one language (once each): safe to
    run twice, or after a page already did part of it."""
    from learners.models import Certificate

    from .rendering import certificate_files_render
    from .services import credential_for_certificate

    certificate = Certificate.objects.select_related("module", "user").filter(pk=certificate_id, revoked_at__isnull=True).first()
    if certificate is None:
        return
    credential_for_certificate(certificate=certificate)
    certificate_files_render(certificate=certificate, language=language)
