"""Proposals and offers, and the match that turns one into a mission.

Locks are always taken in the same order — request, then coach profile, then proposal — so two
confirmations never deadlock: the second waits for the first, then sees the request matched or the
coach's hours taken, and gets a sentence saying so.
"""
import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue

from .. import tasks
from ..models import CoachingRequest, CoachProfile, Mission, Proposal
from ..permissions import can_manage_request, is_request_learner
from ..selectors import coach_committed_hours, coach_ranking, marketplace_list
from .requests import _close_pending, milestone_notify, request_transition

Status = CoachingRequest.Status
OPEN_STATUSES = (Status.OPEN, Status.PROPOSED)


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _expires_at(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.COACHING_PROPOSAL_EXPIRY_DAYS)


def _lock_request(pk: int) -> CoachingRequest:
    return CoachingRequest.objects.select_for_update().get(pk=pk)


def _ensure_open(request: CoachingRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is “%(status)s”: coaches can only be proposed while it is open.")
                              % {"status": Status(request.status).label})


def _eligible_candidate(request: CoachingRequest, coach: CoachProfile):
    candidate = coach_ranking(request=request, profile_ids=[coach.pk]).candidate_for(coach.pk)
    if candidate is None:
        raise ValidationError(_("This coach has not been vetted yet. An intermediary vets a coach before they can be proposed."))
    if not candidate.eligible:
        raise ValidationError(_("This coach does not fit this request: %(reasons)s")
                              % {"reasons": " ".join(candidate.exclusion_reasons)})
    return candidate


@transaction.atomic
def proposal_create(*, request: CoachingRequest, coach: CoachProfile, by, message: str = "") -> Proposal:
    """Staff propose a vetted coach who passes the hard filters; the coach is told and answers."""
    request = _lock_request(request.pk)
    if not can_manage_request(by, request):
        raise PermissionDenied(_("Only the staff who follow this request can propose a coach."))
    _ensure_open(request)
    if Proposal.objects.filter(request=request, coach=coach, status=Proposal.Status.PENDING).exists():
        raise ValidationError(_("This coach has already been proposed for this request and has not answered yet."))
    return _proposal_record(request=request, coach=coach, kind=Proposal.Kind.PROPOSAL, by=by, message=message)


@transaction.atomic
def offer_create(*, request: CoachingRequest, by, message: str = "") -> Proposal:
    """A vetted coach offers to coach an open request of the marketplace; staff or the learner confirm."""
    request = _lock_request(request.pk)
    coach = CoachProfile.objects.filter(user=by).first()
    if coach is None or not coach.is_vetted:
        raise PermissionDenied(_("Your coach profile must be vetted by an intermediary before you can offer to coach."))
    _ensure_open(request)
    if not marketplace_list(user=by, request_ids=[request.pk]):
        raise PermissionDenied(_("This request does not match your skills, languages or place, or you have already answered it."))
    if Proposal.objects.filter(request=request, coach=coach, status=Proposal.Status.PENDING).exists():
        raise ValidationError(_("You have already offered to coach this request. Wait for the answer."))
    return _proposal_record(request=request, coach=coach, kind=Proposal.Kind.OFFER, by=by, message=message)


def _proposal_record(*, request: CoachingRequest, coach: CoachProfile, kind: str, by, message: str) -> Proposal:
    """Store a staff proposal or a coach's offer with its score, move the request on, notify after commit."""
    candidate = _eligible_candidate(request, coach)
    cap = settings.ESSOR_COACH_MAX_PENDING_PROPOSALS
    if Proposal.objects.filter(coach=coach, status=Proposal.Status.PENDING, expires_at__gt=timezone.now()).count() >= cap:
        raise ValidationError(ngettext(
            "This coach already has %(n)s proposal waiting for an answer, the most a coach can have at once. "
            "Wait for the answer, or propose another coach.",
            "This coach already has %(n)s proposals waiting for an answer, the most a coach can have at once. "
            "Wait for the answers, or propose another coach.", cap) % {"n": cap})
    proposal = Proposal(request=request, coach=coach, kind=kind, score=candidate.score, breakdown=candidate.breakdown(),
                        message=message.strip(), created_by=by, expires_at=_expires_at(timezone.now()))
    proposal.full_clean()
    proposal.save()
    if request.status == Status.OPEN:
        request_transition(request=request, to=Status.PROPOSED, by=by, note=f"{kind} {proposal.pk}")
    outbox_enqueue(tasks.proposal_notify_task, args=[proposal.pk, _language()], key=f"coaching-proposal-notify:{proposal.pk}")
    return proposal


def _match(*, proposal: Proposal, by) -> Mission:
    """Confirm a proposal: one mission per request, never more hours than the coach has (in a transaction)."""
    request = _lock_request(proposal.request_id)
    coach = CoachProfile.objects.select_for_update().get(pk=proposal.coach_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    now = timezone.now()
    if proposal.status == Proposal.Status.PENDING and proposal.expires_at <= now:
        raise ValidationError(_("This proposal has expired. The intermediary can propose the coach again."))
    if proposal.status != Proposal.Status.PENDING:
        if request.status not in OPEN_STATUSES:
            raise ValidationError(_("This request already has a coach or is closed: there is nothing left to confirm."))
        raise ValidationError(_("This proposal has already been answered (%(status)s).")
                              % {"status": Proposal.Status(proposal.status).label})
    if request.status not in OPEN_STATUSES or Mission.objects.filter(request=request).exists():
        raise ValidationError(_("This request already has a coach or is closed: there is nothing left to confirm."))
    committed = coach_committed_hours(profile_ids=[coach.pk]).get(coach.pk, 0)
    left = coach.monthly_capacity_hours - committed
    if request.monthly_hours > left:
        raise ValidationError(
            _("%(name)s has %(left)s hours a month left and this mission needs %(needed)s: it cannot be confirmed. "
              "Propose another coach, or the coach can raise their monthly hours.")
            % {"name": coach.user.display_name, "left": max(left, 0), "needed": request.monthly_hours}
        )
    try:
        with transaction.atomic():
            mission = Mission.objects.create(request=request, coach=coach, proposal=proposal,
                                             monthly_hours=request.monthly_hours)
    except IntegrityError:
        raise ValidationError(_("This request already has a coach or is closed: there is nothing left to confirm."))
    proposal.status = Proposal.Status.ACCEPTED
    proposal.responded_by = by
    proposal.responded_at = now
    proposal.save(update_fields=["status", "responded_by", "responded_at"])
    _close_pending(request, Proposal.Status.WITHDRAWN)
    request_transition(request=request, to=Status.MATCHED, by=by, note=f"{proposal.kind} {proposal.pk}")
    outbox_enqueue(tasks.match_notify_task, args=[mission.pk, _language()], key=f"coaching-match-notify:{mission.pk}")
    milestone_notify(kind="matched", mission=mission)
    return mission


@transaction.atomic
def proposal_accept(*, proposal: Proposal, by) -> Mission:
    """The coach accepts a proposal made by the intermediary: the match is confirmed."""
    if proposal.kind != Proposal.Kind.PROPOSAL or proposal.coach.user_id != by.id:
        raise PermissionDenied(_("Only the coach this proposal was made to can accept it."))
    return _match(proposal=proposal, by=by)


@transaction.atomic
def offer_confirm(*, proposal: Proposal, by) -> Mission:
    """The learner or the following staff confirm a coach's offer: the match is confirmed."""
    if proposal.kind != Proposal.Kind.OFFER:
        raise PermissionDenied(_("Only a coach's offer is confirmed this way; the coach answers an intermediary's proposal."))
    if not (is_request_learner(by, proposal.request) or can_manage_request(by, proposal.request)):
        raise PermissionDenied(_("Only the learner or the staff who follow this request can confirm an offer."))
    return _match(proposal=proposal, by=by)


@transaction.atomic
def proposal_decline(*, proposal: Proposal, by, reason: str) -> Proposal:
    """The coach declines a proposal, or the learner or staff decline an offer, always with a reason."""
    request = _lock_request(proposal.request_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.kind == Proposal.Kind.PROPOSAL:
        allowed = proposal.coach.user_id == by.id
    else:
        allowed = is_request_learner(by, request) or can_manage_request(by, request)
    if not allowed:
        raise PermissionDenied(_("You cannot answer this proposal."))
    if proposal.status != Proposal.Status.PENDING:
        raise ValidationError(_("This proposal has already been answered (%(status)s).")
                              % {"status": Proposal.Status(proposal.status).label})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say in a few words why you decline: it helps the next proposal fit better.")})
    proposal.status = Proposal.Status.DECLINED
    proposal.decline_reason = reason[:1000]
    proposal.responded_by = by
    proposal.responded_at = timezone.now()
    proposal.save(update_fields=["status", "decline_reason", "responded_by", "responded_at"])
    _reopen_if_idle(request, by=by, note=f"{proposal.kind} {proposal.pk} declined")
    return proposal


def _reopen_if_idle(request: CoachingRequest, *, by=None, note: str = "") -> None:
    if request.status == Status.PROPOSED and not request.proposals.filter(status=Proposal.Status.PENDING).exists():
        request_transition(request=request, to=Status.OPEN, by=by, note=note)


def proposals_expire(*, now: dt.datetime | None = None) -> list[int]:
    """Pending proposals and offers nobody answered in time expire; the request reopens (periodic)."""
    now = now or timezone.now()
    expired = []
    for pk, request_id in Proposal.objects.filter(status=Proposal.Status.PENDING, expires_at__lte=now) \
            .values_list("pk", "request_id"):
        with transaction.atomic():
            request = _lock_request(request_id)
            proposal = Proposal.objects.select_for_update().get(pk=pk)
            if proposal.status != Proposal.Status.PENDING or proposal.expires_at > now:
                continue
            proposal.status = Proposal.Status.EXPIRED
            proposal.responded_at = now
            proposal.save(update_fields=["status", "responded_at"])
            _reopen_if_idle(request, note=f"{proposal.kind} {proposal.pk} expired")
            outbox_enqueue(tasks.proposal_expired_notify_task, args=[proposal.pk, _language()],
                           key=f"coaching-proposal-expired:{proposal.pk}")
            expired.append(pk)
    return expired
