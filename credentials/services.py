"""Writes of the credentials app: a certificate's credential (created with the certificate, signed once),
the files made from it (PDF and poster per language), and the links every document prints."""
from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import ModuleTranslation
from learners.models import Certificate

from . import dataintegrity, keys, openbadges, statuslist
from .models import SITE_STATUS_LIST, Credential
from .selectors import certificate_issuer, status_list_revoked

logger = logging.getLogger(__name__)


# --- Addresses (always from ESSOR_SITE_URL: they are printed, signed and encoded in QR codes) -------

def absolute(path: str) -> str:
    return settings.SITE_URL + path


def verify_url(code: str) -> str:
    return absolute(reverse("verify:certificate", kwargs={"code": code}))


def status_list_url(status_list: str) -> str:
    return absolute(reverse("credentials:status-list", kwargs={"status_list": status_list}))


def module_url(slug: str, language: str) -> str:
    return absolute(reverse("learners:module-detail", kwargs={"module": slug})) + f"?lang={language}"


def issuer_logo_url(intermediary) -> str:
    """A stable address (not a hashed static name): it is signed into credentials."""
    profile = getattr(intermediary, "issuer_profile", None) if intermediary else None
    if profile is not None and profile.logo:
        return absolute(reverse("credentials:issuer-logo", kwargs={"intermediary_id": intermediary.pk}))
    return absolute(reverse("credentials:badge-image"))


# --- The credential ------------------------------------------------------------------------------

def _status_list_key(intermediary_id: int | None) -> str:
    return SITE_STATUS_LIST if intermediary_id is None else str(intermediary_id)


def credential_create(*, certificate: Certificate) -> Credential:
    """The certificate's credential row: issuer, a random free index in the issuer's status list, the
    credential's language. Idempotent. Named in ESSOR_CERTIFICATE_ISSUED_HOOKS, so it runs in the
    transaction that issues the certificate; the signing is queued after commit. The PDF and the poster
    are rendered when first asked for (one task per certificate and language), not for every certificate."""
    from .tasks import credential_sign_task

    existing = Credential.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    issuer = certificate_issuer(user_id=certificate.user_id, module=certificate.module)
    status_list = _status_list_key(issuer.pk if issuer else None)
    language = _credential_language(certificate)
    for _attempt in range(20):
        # Random, not sequential: the position in the list says nothing about when or to whom it was issued.
        index = secrets.randbelow(statuslist.LENGTH)
        try:
            with transaction.atomic():
                credential = Credential.objects.create(
                    certificate=certificate, intermediary=issuer, status_list=status_list, status_index=index,
                    language=language, salt=secrets.token_hex(8))
        except IntegrityError:
            existing = Credential.objects.filter(certificate=certificate).first()
            if existing is not None:
                return existing
            continue  # that index was taken: draw another
        credential_sign_task.delay_on_commit(certificate.pk)
        return credential
    raise RuntimeError(f"No free index in status list {status_list}: start a new list.")


def _credential_language(certificate: Certificate) -> str:
    enrollment = certificate.enrollment
    candidates = [enrollment.content_language if enrollment else "", certificate.user.preferred_language,
                  certificate.module.source_language]
    written = set(ModuleTranslation.objects.filter(module_id=certificate.module_id).exclude(title="")
                  .values_list("language", flat=True))
    return next((code for code in candidates if code in written), certificate.module.source_language)


def _achievement_texts(certificate: Certificate, primary: str) -> list[openbadges.AchievementText]:
    rows = {row.language: row for row in ModuleTranslation.objects.filter(module_id=certificate.module_id).exclude(title="")}
    order = [primary] + [code for code in settings.CONTENT_LANGUAGES if code != primary and code in rows]
    return [openbadges.AchievementText(code, rows[code].title, rows[code].summary, tuple(rows[code].outcomes or ()),
                                       module_url(certificate.module.slug, code))
            for code in order if code in rows]


def _issuer(credential: Credential) -> openbadges.Issuer:
    intermediary = credential.intermediary
    did = keys.issuer_did(intermediary.pk if intermediary else None)
    if intermediary is None:
        return openbadges.Issuer(did=did, name="Essor", url=absolute("/"), image_url=issuer_logo_url(None))
    profile = getattr(intermediary, "issuer_profile", None)
    return openbadges.Issuer(did=did, name=intermediary.name, url=(profile.website if profile and profile.website else absolute("/")),
                             image_url=issuer_logo_url(intermediary), email=profile.email if profile else "")


def credential_document(credential: Credential) -> dict:
    """The unsigned Open Badges document of a credential (texts in the credential's language)."""
    certificate = credential.certificate
    issuer = _issuer(credential)
    slug = certificate.module.slug
    texts = _achievement_texts(certificate, credential.language) or [
        openbadges.AchievementText(credential.language, slug, slug, (), module_url(slug, credential.language))]
    has_quiz = hasattr(certificate.module, "quiz")
    with translation.override(credential.language):
        name = _("Certificate of completion: %(module)s") % {"module": texts[0].name}
        description = _("%(issuer)s certifies that %(name)s has completed the module %(module)s on Essor.") % {
            "issuer": issuer.name, "name": certificate.learner_name, "module": texts[0].name}
        closing = (_("Every lesson of the module completed and its quiz passed.") if has_quiz
                   else _("Every lesson of the module completed."))
    return openbadges.credential_document(
        credential_id=verify_url(certificate.code), name=name, description=description, issuer=issuer,
        awarded=certificate.issued_at, texts=texts, criteria_closing=closing,
        badge_image_url=absolute(reverse("credentials:badge-image")), learner_name=certificate.learner_name,
        email=certificate.user.email, salt=credential.salt,
        status=openbadges.status_entry(list_url=status_list_url(credential.status_list), index=credential.status_index))


def credential_sign(*, credential_id: int) -> Credential:
    """Sign the credential once (row lock: a second caller finds it signed and changes nothing)."""
    with transaction.atomic():
        # Lock the row alone (PostgreSQL refuses FOR UPDATE across the issuer's outer join), then read it whole.
        if Credential.objects.select_for_update().filter(pk=credential_id, document__isnull=True).first() is None:
            return Credential.objects.get(pk=credential_id)
        credential = (Credential.objects
                      .select_related("certificate__module", "certificate__user", "intermediary__issuer_profile")
                      .get(pk=credential_id))
        key = keys.signing_key()
        did = keys.issuer_did(credential.intermediary_id)
        credential.document = dataintegrity.sign(
            credential_document(credential), key=key.private,
            verification_method=keys.verification_method(did, key.public_multibase),
            created=openbadges.xsd_datetime(timezone.now()))
        credential.signed_at = timezone.now()
        credential.save(update_fields=["document", "signed_at"])
        return credential


def credential_for_certificate(*, certificate: Certificate) -> Credential:
    """The signed credential of a certificate, created and signed now if the worker has not done it yet
    (certificates issued before credentials existed get theirs the first time they are asked for)."""
    credential = Credential.objects.filter(certificate=certificate).first()
    if credential is None:
        with transaction.atomic():
            credential = credential_create(certificate=certificate)
    if credential.document is None:
        credential = credential_sign(credential_id=credential.pk)
    return credential


def status_list_credential(*, status_list: str, intermediary_id: int | None) -> dict:
    """The signed BitstringStatusListCredential of one issuer. Signed again only when its bits change
    (cached by content); the caller says who the issuer is (selectors.status_list_issuer)."""
    from django.core.cache import cache

    encoded = statuslist.encode(status_list_revoked(status_list))
    key = keys.signing_key()
    did = keys.issuer_did(intermediary_id)
    cache_key = "credentials:status:" + hashlib.sha256(
        f"{status_list}|{did}|{key.public_multibase}|{encoded}|{settings.SITE_URL}".encode()).hexdigest()
    signed = cache.get(cache_key)
    if signed is None:
        now = timezone.now()
        document = openbadges.status_list_document(list_url=status_list_url(status_list), issuer_did=did,
                                                   encoded_list=encoded, valid_from=now)
        signed = dataintegrity.sign(document, key=key.private, verification_method=keys.verification_method(
            did, key.public_multibase), created=openbadges.xsd_datetime(now))
        cache.set(cache_key, signed, 60 * 60 * 24)
    return signed
