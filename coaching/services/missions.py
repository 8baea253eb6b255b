"""Missions: agreed objectives, the session log, completion by one side confirmed by the other, feedback."""
import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.services import identity_require
from core.outbox import outbox_enqueue

from .. import tasks
from ..models import ACTIVE_MISSION_STATUSES, CoachingRequest, Feedback, Mission, Session
from ..permissions import mission_side
from .requests import milestone_notify, request_transition

Status = CoachingRequest.Status


def _lock(mission: Mission) -> Mission:
    # Lock the request first, as every other service does, then the mission.
    CoachingRequest.objects.select_for_update().get(pk=mission.request_id)
    return Mission.objects.select_for_update().select_related("request", "coach").get(pk=mission.pk)


def _side_or_deny(user, mission: Mission) -> str:
    side = mission_side(user, mission)
    if side is None:
        raise PermissionDenied(_("Only the learner and the coach of this mission can do this."))
    return side


def _ensure_running(mission: Mission) -> None:
    if mission.request.status not in ACTIVE_MISSION_STATUSES:
        raise ValidationError(_("This mission is “%(status)s”: it can no longer be changed.")
                              % {"status": Status(mission.request.status).label})


@transaction.atomic
def mission_objectives_set(*, mission: Mission, by, objectives: str) -> Mission:
    """One side writes the objectives; the other side agrees to them (a change asks again)."""
    mission = _lock(mission)
    _side_or_deny(by, mission)
    _ensure_running(mission)
    objectives = objectives.strip()
    if not objectives:
        raise ValidationError({"objectives": _("Write the objectives you agreed on, for example three results to reach.")})
    identity_require(by)
    mission.objectives = objectives
    mission.objectives_set_by = by
    mission.objectives_agreed_at = None
    mission.full_clean()
    mission.save(update_fields=["objectives", "objectives_set_by", "objectives_agreed_at"])
    return mission


@transaction.atomic
def mission_objectives_agree(*, mission: Mission, by) -> Mission:
    mission = _lock(mission)
    _side_or_deny(by, mission)
    _ensure_running(mission)
    if not mission.objectives:
        raise ValidationError(_("There are no objectives to agree to yet. Write them first."))
    if mission.objectives_set_by_id == by.id:
        raise ValidationError(_("You wrote these objectives: the other side of the mission agrees to them."))
    mission.objectives_agreed_at = timezone.now()
    mission.save(update_fields=["objectives_agreed_at"])
    return mission


@transaction.atomic
def session_log(*, mission: Mission, by, held_on: dt.date, duration_minutes: int, notes: str = "") -> Session:
    """Log a session (the pair only); the first one moves the mission to "in progress"."""
    mission = _lock(mission)
    _side_or_deny(by, mission)
    _ensure_running(mission)
    if notes.strip():
        identity_require(by)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Log a session once it has taken place: the date cannot be in the future.")})
    if held_on < timezone.localtime(mission.created_at).date():
        raise ValidationError({"held_on": _("This date is before the match was confirmed. Check the date of the session.")})
    session = Session(mission=mission, held_on=held_on, duration_minutes=duration_minutes, notes=notes.strip(), logged_by=by)
    session.full_clean()
    session.save()
    mission.minutes_logged += duration_minutes
    mission.session_count += 1
    mission.last_session_on = max(filter(None, [mission.last_session_on, held_on]))
    mission.save(update_fields=["minutes_logged", "session_count", "last_session_on"])
    if mission.request.status == Status.MATCHED:
        request_transition(request=mission.request, to=Status.IN_PROGRESS, by=by, note="first session")
    return session


@transaction.atomic
def mission_complete(*, mission: Mission, by) -> Mission:
    """Ask to close the mission, or confirm the other side's request: then it is completed."""
    mission = _lock(mission)
    _side_or_deny(by, mission)
    if mission.request.status != Status.IN_PROGRESS:
        if mission.request.status == Status.MATCHED:
            raise ValidationError(_("Log at least one session before closing the mission."))
        _ensure_running(mission)
    now = timezone.now()
    if mission.completion_requested_by_id is None:
        mission.completion_requested_by = by
        mission.completion_requested_at = now
        mission.save(update_fields=["completion_requested_by", "completion_requested_at"])
        return mission
    if mission.completion_requested_by_id == by.id:
        raise ValidationError(_("You have already asked to close this mission. The other side needs to confirm it."))
    mission.completed_at = now
    mission.save(update_fields=["completed_at"])
    request_transition(request=mission.request, to=Status.COMPLETED, by=by, note="completion confirmed")
    outbox_enqueue(tasks.feedback_request_notify_task, args=[mission.pk, get_language() or settings.LANGUAGE_CODE],
                   key=f"coaching-feedback-request:{mission.pk}")
    milestone_notify(kind="completed", mission=mission)
    return mission


@transaction.atomic
def mission_completion_decline(*, mission: Mission, by) -> Mission:
    """The other side is not done yet: the request to close is withdrawn."""
    mission = _lock(mission)
    _side_or_deny(by, mission)
    _ensure_running(mission)
    if mission.completion_requested_by_id in (None, by.id):
        raise ValidationError(_("There is no request from the other side to close this mission."))
    mission.completion_requested_by = None
    mission.completion_requested_at = None
    mission.save(update_fields=["completion_requested_by", "completion_requested_at"])
    return mission


@transaction.atomic
def feedback_give(*, mission: Mission, by, rating: int, comment: str = "", share_consent: bool = False) -> Feedback:
    """Each side rates the completed mission once, from 1 to 5, with an optional comment (quoted in impact
    reports, without a name, only with the author's consent)."""
    mission = _lock(mission)
    side = _side_or_deny(by, mission)
    if mission.request.status != Status.COMPLETED:
        raise ValidationError(_("You can give your feedback once both sides have confirmed the mission is completed."))
    if comment.strip():
        identity_require(by)
    feedback = Feedback(mission=mission, author=by, role=side, rating=rating, comment=comment.strip(),
                        share_consent=bool(share_consent and comment.strip()))
    feedback.full_clean()
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise ValidationError(_("You have already given your feedback on this mission."))
    return feedback
