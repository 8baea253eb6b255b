"""Reads of the credentials app: who issues a certificate, a holder's or the public's certificate, the
revoked indexes of a status list, the published keys of a DID, and the public check of a certificate."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.http import Http404

from accounts.models import Intermediary
from cohorts.models import CohortMembership
from courses.models import Module
from learners.models import Certificate
from learners.permissions import certificate_can_view

from . import keys
from .models import SITE_STATUS_LIST, Credential

CODE_MAX = 40


def certificate_issuer(*, user_id: int, module: Module) -> Intermediary | None:
    """The intermediary whose cohort the learner took the module in (the latest joined, still active),
    else the module's owning organisation, else None: the site issues in its own name."""
    membership = (CohortMembership.objects
                  .filter(user_id=user_id, status=CohortMembership.Status.ACTIVE, cohort__cohort_modules__module=module)
                  .select_related("cohort__intermediary").order_by("-joined_at", "-pk").first())
    if membership is not None:
        return membership.cohort.intermediary
    return module.intermediary if module.intermediary_id else None


def certificate_issuer_name(*, user_id: int, module: Module) -> str | None:
    """Named in settings (ESSOR_CERTIFICATE_ISSUER): learners records this name when it issues a certificate."""
    issuer = certificate_issuer(user_id=user_id, module=module)
    return issuer.name if issuer else None


def certificate_by_code(code: str) -> Certificate | None:
    """Any certificate, valid or revoked, by its code (any letter case); None for a malformed code."""
    code = (code or "").strip().upper()
    if not code or len(code) > CODE_MAX or not code.replace("-", "").isalnum():
        return None
    return (Certificate.objects.select_related("module", "module__intermediary", "user", "credential",
                                               "credential__intermediary", "credential__intermediary__issuer_profile")
            .filter(code=code).first())


def certificate_for_holder(*, user, code: str) -> Certificate:
    """The holder's certificate (or any, for an administrator); 404 for anyone else."""
    certificate = certificate_by_code(code)
    if certificate is None or not certificate_can_view(user, certificate):
        raise Http404
    return certificate


def status_list_revoked(status_list: str) -> list[int]:
    """The indexes set in one status list: credentials whose certificate was revoked (one query)."""
    return list(Credential.objects.filter(status_list=status_list, certificate__revoked_at__isnull=False)
                .order_by("status_index").values_list("status_index", flat=True))


def status_list_issuer(status_list: str) -> Intermediary | None:
    """The issuer of a status list; Http404 for a list that does not exist."""
    if status_list == SITE_STATUS_LIST:
        return None
    if not status_list.isdigit():
        raise Http404
    intermediary = Intermediary.objects.filter(pk=int(status_list)).first()
    if intermediary is None:
        raise Http404
    return intermediary


def intermediary_issuer(intermediary_id: int) -> Intermediary:
    """An intermediary in whose name the site issued at least one credential (else 404: no DID to publish)."""
    intermediary = (Intermediary.objects.filter(pk=intermediary_id)
                    .filter(Q(pk__in=Credential.objects.values("intermediary_id"))).first())
    if intermediary is None:
        raise Http404
    return intermediary


def public_key_for(issuer_did: str):
    """resolve verificationMethod -> the published key, for one issuer DID (in-process did:web resolution)."""
    published = {keys.verification_method(issuer_did, multibase): multibase for multibase in keys.published_keys()}

    def resolve(method: str):
        multibase = published.get(method)
        return keys.public_key(multibase) if multibase else None

    return resolve


@dataclass(frozen=True)
class CertificateCheck:
    """What /verify/<code> shows."""

    certificate: Certificate
    signature_valid: bool
    signed_by: str  # the verification method of the proof
    revoked: bool
    revoked_at: datetime | None
    status_problem: str = ""


def certificate_check(certificate: Certificate, document: dict) -> CertificateCheck:
    """Verify the stored credential as an outside verifier would: its proof against the issuer's published
    keys, then its bit in the issuer's status list (built here instead of fetched)."""
    from . import dataintegrity, statuslist

    issuer = document.get("issuer", {})
    issuer_did = issuer.get("id", "") if isinstance(issuer, dict) else str(issuer)
    proof = dataintegrity.verify(document, public_key_for=public_key_for(issuer_did))
    entry = document.get("credentialStatus") or {}
    revoked, problem = False, ""
    try:
        list_key = entry["statusListCredential"].rstrip("/").rsplit("/", 1)[-1]
        bits = statuslist.decode(statuslist.encode(status_list_revoked(list_key)))
        revoked = statuslist.is_set(bits, int(entry["statusListIndex"]))
    except (KeyError, ValueError, TypeError):
        problem = "no usable credentialStatus"
    return CertificateCheck(certificate, proof.valid, proof.verification_method, revoked,
                            certificate.revoked_at, problem)
