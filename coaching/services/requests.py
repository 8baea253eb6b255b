"""Coaching requests: create (pre-filled), edit, send, cancel, expire; every status change is logged."""
import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue
from courses.models import Module, Topic
from learners.models import Certificate

from .. import tasks
from ..models import FINAL_STATUSES, CoachingRequest, Proposal, RequestTransition
from ..permissions import (
    active_memberships_of_staff,
    can_edit_request,
    can_manage_request,
    is_coaching_staff,
    is_request_learner,
)
from ..selectors import request_prefill

Status = CoachingRequest.Status

ALLOWED_TRANSITIONS = {
    Status.DRAFT: {Status.OPEN, Status.CANCELLED},
    Status.OPEN: {Status.PROPOSED, Status.CANCELLED, Status.EXPIRED},
    Status.PROPOSED: {Status.OPEN, Status.MATCHED, Status.CANCELLED, Status.EXPIRED},
    Status.MATCHED: {Status.IN_PROGRESS, Status.CANCELLED},
    Status.IN_PROGRESS: {Status.COMPLETED, Status.CANCELLED},
}
SCOPING_HOURS = 1
REQUEST_FIELDS = ("need", "expected_result", "format", "country", "city", "time_zone", "hours_wanted", "starts_on",
                  "ends_on", "languages")


def request_transition(*, request: CoachingRequest, to: str, by=None, note: str = "") -> CoachingRequest:
    """Move a request to another status and log who did it and when (call inside a transaction)."""
    if to not in ALLOWED_TRANSITIONS.get(request.status, set()):
        raise ValidationError(
            _("This request is “%(current)s” and cannot become “%(target)s”. Reload the page to see its current state.")
            % {"current": Status(request.status).label, "target": Status(to).label}
        )
    RequestTransition.objects.create(request=request, from_status=request.status, to_status=to, by=by, note=note[:300])
    request.status = to
    request.status_changed_at = timezone.now()
    request.save(update_fields=["status", "status_changed_at", "updated_at"])
    return request


def _apply_fields(request: CoachingRequest, data: dict) -> None:
    unknown = set(data) - set(REQUEST_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in data.items():
        if name == "languages":
            value = list(dict.fromkeys(value or []))
        setattr(request, name, value.strip() if isinstance(value, str) else value)


def _save_new(request: CoachingRequest) -> None:
    """Validate and save a new request; the partial unique constraint settles a race."""
    if CoachingRequest.objects.filter(learner=request.learner, topic=request.topic).exclude(status__in=FINAL_STATUSES).exists():
        raise ValidationError(_("There is already a coaching request in this topic for this learner. "
                                "Open it from the coaching page to follow it, or cancel it before asking again."))
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Two submissions at once: the constraint keeps one.
        raise ValidationError(_("There is already a coaching request in this topic for this learner. "
                                "Open it from the coaching page to follow it, or cancel it before asking again."))


@transaction.atomic
def request_create(
    *,
    by,
    learner,
    data: dict,
    module: Module | None = None,
    topic: Topic | None = None,
    submit: bool = True,
    kind: str = CoachingRequest.Kind.MISSION,
) -> CoachingRequest:
    """A learner asks for coaching after a module they hold the certificate of; staff may open a
    request for a learner of their cohorts. Pre-filled from the learner's record, then `data`."""
    if by.id == learner.id:
        if module is None:
            raise ValidationError(_("Choose the module you completed: coaching follows a module whose certificate you hold."))
        if not Certificate.objects.filter(user=learner, module=module, revoked_at__isnull=True).exists():
            raise ValidationError(_("You can ask for coaching in this topic once you hold the certificate of this module. "
                                    "Finish the module and pass its quiz first."))
        staff_cohort = None
    else:
        if not is_coaching_staff(by):
            raise PermissionDenied(_("Only the staff of an intermediary can open a coaching request for someone else."))
        # Staff open a request through one of their cohorts in which the learner is an active member;
        # the request is tied to that cohort, so that only that intermediary's staff follow it.
        staff_cohorts = [m.cohort for m in active_memberships_of_staff(by).filter(user=learner).select_related("cohort")
                         .order_by("-joined_at", "-id")]
        if not staff_cohorts and not by.is_superuser:
            raise PermissionDenied(_("This person is not in one of your cohorts. Invite them to a cohort first."))
        staff_cohort = staff_cohorts[0] if staff_cohorts else None
    if module is not None:
        topic = module.topic
    if topic is None:
        raise ValidationError({"topic": _("Choose the topic in which the learner wants coaching.")})

    prefill = request_prefill(user=learner, module=module, topic=topic)
    cohort = prefill.cohort
    if staff_cohort is not None and (cohort is None or cohort.pk not in {c.pk for c in staff_cohorts}):
        cohort = staff_cohort
    request = CoachingRequest(
        learner=learner, created_by=by, topic=topic, module=module, certificate=prefill.certificate,
        cohort=cohort, association=prefill.association, diagnostic_before=prefill.diagnostic,
        diagnostic_score_before=prefill.diagnostic_score, languages=prefill.languages, country=prefill.country,
        city=prefill.city, time_zone=prefill.time_zone,
        intermediary_id=cohort.intermediary_id if cohort else None,
        status=Status.OPEN if submit else Status.DRAFT,
    )
    today = timezone.localdate()
    request.starts_on, request.ends_on = today, today + dt.timedelta(days=90)
    if kind == CoachingRequest.Kind.SCOPING:  # about an hour, to define the need before a full mission
        request.kind, request.hours_wanted, request.ends_on = kind, SCOPING_HOURS, today + dt.timedelta(days=30)
        data = {key: value for key, value in data.items() if key != "hours_wanted"}
    _apply_fields(request, data)
    _save_new(request)
    RequestTransition.objects.create(request=request, from_status="", to_status=request.status, by=by)
    request.status_changed_at = timezone.now()
    request.save(update_fields=["status_changed_at"])
    return request


@transaction.atomic
def request_update(*, request: CoachingRequest, by, data: dict) -> CoachingRequest:
    """Edit a request while it is a draft or open (afterwards a coach has already read it)."""
    request = CoachingRequest.objects.select_for_update().get(pk=request.pk)
    if not can_edit_request(by, request):
        raise PermissionDenied(_("This request can no longer be changed: a coach has already been proposed or matched. "
                                 "Cancel it and ask again if your need has changed."))
    _apply_fields(request, data)
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def request_submit(*, request: CoachingRequest, by) -> CoachingRequest:
    request = CoachingRequest.objects.select_for_update().get(pk=request.pk)
    if not (is_request_learner(by, request) or can_manage_request(by, request)):
        raise PermissionDenied(_("Only the learner or the staff who follow this request can send it."))
    request.full_clean()
    return request_transition(request=request, to=Status.OPEN, by=by)


def _close_pending(request: CoachingRequest, status: str) -> list[int]:
    ids = list(Proposal.objects.filter(request=request, status=Proposal.Status.PENDING).values_list("id", flat=True))
    Proposal.objects.filter(id__in=ids).update(status=status, responded_at=timezone.now())
    return ids


@transaction.atomic
def request_cancel(*, request: CoachingRequest, by, reason: str = "") -> CoachingRequest:
    """The learner or the following staff cancel a request (a running mission too: its hours are freed)."""
    request = CoachingRequest.objects.select_for_update().get(pk=request.pk)
    if not (is_request_learner(by, request) or can_manage_request(by, request)):
        raise PermissionDenied(_("Only the learner or the staff who follow this request can cancel it."))
    if request.status in FINAL_STATUSES:
        raise ValidationError(_("This request is already closed."))
    _close_pending(request, Proposal.Status.WITHDRAWN)
    return request_transition(request=request, to=Status.CANCELLED, by=by, note=reason)


def requests_expire(*, today: dt.date | None = None) -> list[int]:
    """Open requests whose time frame has ended without a match become expired (periodic)."""
    today = today or timezone.localdate()
    expired = []
    for pk in CoachingRequest.objects.filter(status__in=[Status.OPEN, Status.PROPOSED], ends_on__lt=today) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            request = CoachingRequest.objects.select_for_update().get(pk=pk)
            if request.status not in (Status.OPEN, Status.PROPOSED) or request.ends_on >= today:
                continue
            _close_pending(request, Proposal.Status.EXPIRED)
            request_transition(request=request, to=Status.EXPIRED, note="time frame ended")
            outbox_enqueue(tasks.request_expired_notify_task, args=[request.pk, get_language() or "fr"],
                           key=f"coaching-request-expired:{request.pk}")
            expired.append(pk)
    return expired


def milestone_notify(*, kind: str, mission) -> None:
    """Tell the observers named in settings.ESSOR_COACHING_MILESTONE_HOOKS (e.g. xAPI statements) that a
    mission was matched or completed, in the transaction of the change."""
    from django.utils.module_loading import import_string

    for dotted in getattr(settings, "ESSOR_COACHING_MILESTONE_HOOKS", ()):
        import_string(dotted)(kind=kind, mission=mission)


@transaction.atomic
def request_follow_up(*, previous: CoachingRequest, by, same_coach: bool = True, data: dict | None = None) -> CoachingRequest:
    """A new mission after a completed one: the full mission after a scoping session, or another mission
    with the same coach (sticky coaching). With `same_coach`, the previous coach is proposed first, and
    accepts or declines as for any proposal (a decline reopens the request to other coaches)."""
    from .proposals import _proposal_record

    previous = CoachingRequest.objects.select_for_update(of=("self",)).select_related("mission__coach").get(pk=previous.pk)
    if not (is_request_learner(by, previous) or can_manage_request(by, previous)):
        raise PermissionDenied(_("Only the learner or the staff who follow this request can ask for a new mission."))
    mission = getattr(previous, "mission", None)
    if previous.status != Status.COMPLETED or mission is None:
        raise ValidationError(_("A new mission can follow once this scoping session or mission is completed."))
    today = timezone.localdate()
    request = CoachingRequest(
        learner=previous.learner, created_by=by, topic=previous.topic, module=previous.module, certificate=previous.certificate,
        cohort=previous.cohort, intermediary=previous.intermediary, association=previous.association,
        diagnostic_before=previous.diagnostic_before, diagnostic_score_before=previous.diagnostic_score_before,
        languages=previous.languages, need=previous.need, expected_result=previous.expected_result, format=previous.format,
        country=previous.country, city=previous.city, time_zone=previous.time_zone,
        hours_wanted=previous.hours_wanted if previous.kind == CoachingRequest.Kind.MISSION else 6,
        starts_on=today, ends_on=today + dt.timedelta(days=90), status=Status.OPEN, kind=CoachingRequest.Kind.MISSION,
        follows=previous, preferred_coach=mission.coach if same_coach else None,
    )
    _apply_fields(request, data or {})
    _save_new(request)
    RequestTransition.objects.create(request=request, from_status="", to_status=request.status, by=by,
                                     note=f"follows {previous.pk}")
    request.status_changed_at = timezone.now()
    request.save(update_fields=["status_changed_at"])
    if same_coach:
        _proposal_record(request=request, coach=mission.coach, kind=Proposal.Kind.PROPOSAL, by=by,
                         message=_("The learner asks you again, after your previous mission together."))
    return request
