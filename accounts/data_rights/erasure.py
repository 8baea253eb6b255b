"""Delete my account: the person's data erased or anonymised everywhere, in one transaction, by the
policies of accounts/data_rights/policies.py. Running it twice changes nothing the second time.

The account row itself stays as an anonymous placeholder (no name, email, phone, association or
usable password; inactive), so that rows kept without identity still count: cohort aggregates agree
with a recount before and after (tests/accounts/test_data_rights_erasure.py)."""
from __future__ import annotations

import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.outbox import outbox_enqueue

from ..models import Association, User
from .policies import ERASE, POLICIES

logger = logging.getLogger(__name__)

ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: never delivered
REVOCATION_REASON = "account deleted"


def _audit_entries_anonymise(user: User) -> None:
    """The audit log keeps what was done, not by or to whom: entries about the account lose its name, entries
    by it their email (policy of auditlog.LogEntry.actor)."""
    try:
        from auditlog.models import LogEntry
    except ImportError:
        return
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk)).update(
        object_repr=f"#{user.pk}")
    LogEntry.objects.filter(actor=user).update(actor_email="")


def _audit_account_deleted(*, actor: User, user_id: int) -> None:
    """The audit log's entry for an account deletion (the single call site)."""
    from core import audit

    audit.record(actor, "account-deleted", (User, user_id), user_id=user_id)


# --- Handlers of the ANONYMISE policies (same keys as POLICIES) --------------------------------------

def _quiz_attempts(user: User, ctx: dict) -> None:
    from learners.models import QuizAttempt

    QuizAttempt.objects.filter(user=user).exclude(client_key="").update(client_key="")


def _certificates(user: User, ctx: dict) -> None:
    """Revoked through the learner service (the status list says so, cohort figures follow), then the
    name blanked and the signed credential dropped: /verify/ signs an anonymous one again on demand."""
    from credentials.models import Credential
    from learners.models import Certificate
    from learners.services import certificate_revoke

    for certificate in Certificate.objects.filter(user=user, revoked_at__isnull=True):
        certificate_revoke(certificate=certificate, reason=REVOCATION_REASON)
    Certificate.objects.filter(user=user).exclude(learner_name="").update(learner_name="")
    Credential.objects.filter(certificate__user=user, document__isnull=False).update(document=None, signed_at=None)


def _diagnostics(user: User, ctx: dict) -> None:
    from learners.models import DiagnosticResponse

    DiagnosticResponse.objects.filter(user=user, association__isnull=False).update(association=None)


def _memberships(user: User, ctx: dict) -> None:
    from cohorts.models import CohortMembership

    CohortMembership.objects.filter(user=user).update(sort_name="", sort_association="")


def _coach_profile(user: User, ctx: dict) -> None:
    from coaching.models import CoachLanguage, CoachProfile, CoachSkill, Proposal

    profile = CoachProfile.objects.filter(user=user).first()
    if profile is None:
        return
    CoachSkill.objects.filter(profile=profile).delete()
    CoachLanguage.objects.filter(profile=profile).delete()
    CoachProfile.objects.filter(pk=profile.pk).update(city="", employer="", bio="", is_vetted=False, available_from=None,
                                                      available_until=None)
    Proposal.objects.filter(coach=profile, status=Proposal.Status.PENDING).update(
        status=Proposal.Status.WITHDRAWN, responded_at=timezone.now())
    _close_live_requests(ctx, {"mission__coach": profile}, note="coach account deleted", notify="learner")


def _coaching_requests(user: User, ctx: dict) -> None:
    from coaching.models import CoachingRequest

    _close_live_requests(ctx, {"learner": user}, note="learner account deleted", notify="coach")
    CoachingRequest.objects.filter(learner=user).update(need="", expected_result="", city="", association=None,
                                                        diagnostic_before=None)


def _close_live_requests(ctx: dict, where: dict, *, note: str, notify: str) -> None:
    """Live requests (and their missions) end; the other side is told by email, through the outbox."""
    from coaching.models import FINAL_STATUSES, CoachingRequest, Proposal
    from coaching.services.requests import request_transition

    from ..tasks import account_erased_mission_notify_task

    for request in CoachingRequest.objects.select_for_update().filter(**where).exclude(status__in=FINAL_STATUSES):
        had_mission = hasattr(request, "mission")
        Proposal.objects.filter(request=request, status=Proposal.Status.PENDING).update(
            status=Proposal.Status.WITHDRAWN, responded_at=timezone.now())
        request_transition(request=request, to=CoachingRequest.Status.CANCELLED, by=None, note=note)
        if had_mission:
            outbox_enqueue(account_erased_mission_notify_task, args=[request.mission.pk, notify],
                           key=f"account-erased:mission:{request.mission.pk}:{notify}")
        ctx["requests_closed"] += 1


def _transitions(user: User, ctx: dict) -> None:
    from coaching.models import RequestTransition

    RequestTransition.objects.filter(by=user).exclude(note="").update(note="")


def _proposals_created(user: User, ctx: dict) -> None:
    from coaching.models import Proposal

    Proposal.objects.filter(created_by=user).exclude(message="").update(message="")


def _proposals_answered(user: User, ctx: dict) -> None:
    from coaching.models import Proposal

    Proposal.objects.filter(responded_by=user).exclude(decline_reason="").update(decline_reason="")


def _sessions(user: User, ctx: dict) -> None:
    from coaching.models import Session

    Session.objects.filter(logged_by=user).exclude(notes="").update(notes="")


def _feedback(user: User, ctx: dict) -> None:
    from coaching.models import Feedback

    Feedback.objects.filter(author=user).exclude(comment="").update(comment="")


HANDLERS = {
    "learners.QuizAttempt.user": _quiz_attempts,
    "learners.Certificate.user": _certificates,
    "learners.DiagnosticResponse.user": _diagnostics,
    "cohorts.CohortMembership.user": _memberships,
    # The requests' missions end before the coach profile is blanked, and the other way round.
    "coaching.CoachingRequest.learner": _coaching_requests,
    "coaching.CoachProfile.user": _coach_profile,
    "coaching.RequestTransition.by": _transitions,
    "coaching.Proposal.created_by": _proposals_created,
    "coaching.Proposal.responded_by": _proposals_answered,
    "coaching.Session.logged_by": _sessions,
    "coaching.Feedback.author": _feedback,
}


def user_relations() -> list[tuple[str, type, str]]:
    """Every (label, model, field name) whose foreign key or one-to-one points at the user model, in every
    installed app, the tables Django creates for many-to-many fields included (proxies left out)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:  # same table as its concrete model, walked there
            continue
        for field in model._meta.get_fields():
            if (field.is_relation and field.concrete and (field.many_to_one or field.one_to_one)
                    and field.related_model is User):
                found.append((f"{model._meta.app_label}.{model.__name__}.{field.name}", model, field.name))
    return found


def _personal_data_without_foreign_key(user: User, email: str) -> None:
    """Personal data that names the person without pointing at the account row."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from cohorts.models import CohortInvitation, CohortInviteRow

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()
    # Personal invitations addressed to them: the address, name and association given in a CSV file.
    CohortInvitation.objects.filter(email__iexact=email).update(
        email=f"invitation-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}", display_name="", association_name="",
        revoked_at=timezone.now())
    CohortInviteRow.objects.filter(email__iexact=email).update(email="", display_name="", association_name="")
    # Export files of their cohorts name them: expired now and deleted by the purge (owed through the outbox);
    # staff can write a new one, where the person is an anonymous row.
    from cohorts.models import CohortExport, CohortMembership
    from cohorts.tasks import cohort_exports_purge_task

    expired = CohortExport.objects.filter(
        status=CohortExport.Status.DONE, cohort_id__in=CohortMembership.objects.filter(user=user).values("cohort_id"),
    ).update(expires_at=timezone.now())
    if expired:
        outbox_enqueue(cohort_exports_purge_task, args=[], key=f"account-erased:exports-purge:{user.pk}")


@transaction.atomic
def account_erase(*, user: User, actor: User | None = None) -> dict:
    """Erase or anonymise everything of `user` by the policies, in one transaction. Idempotent: an
    account already erased is left as it is. Returns what was done (counts), for the caller and tests."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        return {"already_erased": True}
    ctx = {"requests_closed": 0, "already_erased": False}
    email = user.email
    unknown = [label for label, _model, _field in user_relations() if label not in POLICIES]
    if unknown:  # the registry test fails first; never erase half of an account
        raise RuntimeError(f"No erasure policy for: {', '.join(unknown)}")
    relations = {label: (model, field) for label, model, field in user_relations()}
    for label in HANDLERS:  # anonymise first: they may rely on rows that ERASE deletes
        if label in relations:
            HANDLERS[label](user, ctx)
    # Apps above accounts that owe work elsewhere (xAPI: voiding the statements sent to the LRS), named in
    # settings so that accounts imports none of them; before ERASE deletes the records they read.
    for dotted in getattr(settings, "ESSOR_ACCOUNT_ERASED_HOOKS", ()):
        ctx[dotted] = import_string(dotted)(user_id=user.pk)
    for label, (model, field) in relations.items():
        if POLICIES[label].action == ERASE:
            ctx[label] = model._base_manager.filter(**{field: user}).delete()[0]
    _personal_data_without_foreign_key(user, email)
    _audit_entries_anonymise(user)
    if user.phone:  # one-time codes asked for this number before it was linked to the account
        from ..models import PhoneCode

        PhoneCode.objects.filter(phone=str(user.phone)).delete()

    association_id = user.association_id
    User.objects.filter(pk=user.pk).update(
        email=f"deleted-{user.pk}-{uuid.uuid4().hex[:12]}@{ERASED_EMAIL_DOMAIN}", display_name="", phone=None,
        phone_verified_at=None, email_verified_at=None,
        association=None, is_active=False, is_staff=False, is_superuser=False, is_trainer=False, is_coach=False,
        reminders_enabled=False, password="!" + uuid.uuid4().hex, last_login=None, erased_at=timezone.now())
    if association_id and not User.objects.filter(association_id=association_id).exists():
        Association.objects.filter(pk=association_id).delete()  # nobody else's: its name identified them
    _audit_account_deleted(actor=actor or user, user_id=user.pk)
    return ctx


__all__ = ["ERASED_EMAIL_DOMAIN", "HANDLERS", "account_erase", "user_relations"]
