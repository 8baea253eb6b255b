"""Coaching emails and periodic jobs: thin wrappers that re-read the database and are idempotent."""
from celery import shared_task
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from core.outbox import outbox_enqueue

from .models import ACTIVE_MISSION_STATUSES, CoachingRequest, Feedback, Mission, Proposal
from .notifications import notify_once


def _staff_of(request: CoachingRequest) -> list[User]:
    """The staff who follow a request, by the rule of the pages (coaching.permissions.staff_request_q):
    the staff of its cohort's intermediary, while the learner is an active member of that cohort."""
    from cohorts.models import CohortMembership

    if request.cohort_id is None or not CohortMembership.objects.filter(
            cohort_id=request.cohort_id, user_id=request.learner_id, status=CohortMembership.Status.ACTIVE).exists():
        return []
    return list(User.objects.filter(staff_memberships__intermediary__cohorts__id=request.cohort_id, is_active=True)
                .distinct())


@shared_task
def proposal_notify_task(proposal_id: int, language: str) -> None:
    """A new proposal goes to the coach; a coach's offer goes to the learner."""
    proposal = Proposal.objects.select_related("request__learner", "request__topic", "coach__user").filter(pk=proposal_id).first()
    if proposal is None or proposal.status != Proposal.Status.PENDING:
        return
    request = proposal.request
    context = {"proposal": proposal, "request": request, "path": reverse("coaching:proposal-detail", args=[proposal.pk])}
    if proposal.kind == Proposal.Kind.PROPOSAL:
        notify_once(key=f"proposal:{proposal.pk}:user:{proposal.coach.user_id}", user=proposal.coach.user,
                    template="coaching/email/proposal", context=context)
    else:
        context["path"] = reverse("coaching:request-detail", args=[request.pk])
        notify_once(key=f"offer:{proposal.pk}:user:{request.learner_id}", user=request.learner,
                    template="coaching/email/offer", context=context)


@shared_task
def match_notify_task(mission_id: int, language: str) -> None:
    """The match is confirmed: the learner, the coach and the following staff are told."""
    mission = Mission.objects.select_related("request__learner", "request__topic", "coach__user").filter(pk=mission_id).first()
    if mission is None:
        return
    context = {"mission": mission, "request": mission.request, "path": reverse("coaching:mission-detail", args=[mission.pk])}
    recipients = [("learner", mission.request.learner), ("coach", mission.coach.user)]
    recipients += [("staff", user) for user in _staff_of(mission.request)]
    for role, user in recipients:
        notify_once(key=f"match:{mission.pk}:user:{user.pk}", user=user, template="coaching/email/match",
                    context={**context, "role": role})


@shared_task
def proposal_expired_notify_task(proposal_id: int, language: str) -> None:
    proposal = Proposal.objects.select_related("request__learner", "request__topic", "coach__user", "created_by") \
        .filter(pk=proposal_id).first()
    if proposal is None or proposal.status != Proposal.Status.EXPIRED:
        return
    request = proposal.request
    recipients = [("coach", proposal.coach.user)]
    if proposal.kind == Proposal.Kind.PROPOSAL:
        recipients += [("staff", user) for user in _staff_of(request)]
    for role, user in recipients:
        path = reverse("coaching:proposal-detail", args=[proposal.pk]) if role == "coach" else \
            reverse("coaching:request-ranking", args=[request.pk])
        notify_once(key=f"expired:{proposal.pk}:user:{user.pk}", user=user, template="coaching/email/proposal_expired",
                    context={"proposal": proposal, "request": request, "role": role, "path": path})


@shared_task
def request_expired_notify_task(request_id: int, language: str) -> None:
    request = CoachingRequest.objects.select_related("learner", "topic").filter(pk=request_id).first()
    if request is None or request.status != CoachingRequest.Status.EXPIRED:
        return
    notify_once(key=f"request-expired:{request.pk}:user:{request.learner_id}", user=request.learner,
                template="coaching/email/request_expired",
                context={"request": request, "path": reverse("coaching:request-detail", args=[request.pk])})


@shared_task
def session_reminder_notify_task(mission_id: int, since: str, language: str) -> None:
    """One reminder per quiet period (`since`: the date of the last session, or of the match)."""
    mission = Mission.objects.select_related("request__learner", "request__topic", "coach__user").filter(pk=mission_id).first()
    if mission is None or mission.request.status not in ACTIVE_MISSION_STATUSES:
        return
    if mission.last_session_on and mission.last_session_on.isoformat() > since:
        return  # a session was logged since the reminder was planned
    context = {"mission": mission, "request": mission.request, "since": since,
               "days": settings.COACHING_SESSION_REMINDER_DAYS,
               "path": reverse("coaching:mission-detail", args=[mission.pk])}
    for user in (mission.request.learner, mission.coach.user):
        notify_once(key=f"reminder:{mission.pk}:{since}:user:{user.pk}", user=user, template="coaching/email/session_reminder",
                    context=context)


@shared_task
def feedback_request_notify_task(mission_id: int, language: str) -> None:
    """At completion, both sides are asked for feedback; the learner is invited to retake the diagnostic."""
    mission = Mission.objects.select_related("request__learner", "request__topic", "coach__user").filter(pk=mission_id).first()
    if mission is None or mission.request.status != CoachingRequest.Status.COMPLETED:
        return
    given = set(Feedback.objects.filter(mission=mission).values_list("role", flat=True))
    context = {"mission": mission, "request": mission.request, "path": reverse("coaching:mission-detail", args=[mission.pk])}
    for role, user in (("learner", mission.request.learner), ("coach", mission.coach.user)):
        if role in given:
            continue
        notify_once(key=f"feedback:{mission.pk}:user:{user.pk}", user=user, template="coaching/email/feedback_request",
                    context={**context, "role": role})


@shared_task
def coaching_expiry_task() -> None:
    """Periodic: unanswered proposals expire, requests whose time frame ended expire."""
    from .services import proposals_expire, requests_expire

    proposals_expire()
    requests_expire()


@shared_task
def session_reminders_task() -> None:
    """Periodic: remind both sides of missions with no session for COACHING_SESSION_REMINDER_DAYS."""
    from .selectors import session_reminders_due

    for mission_id, since in session_reminders_due():
        outbox_enqueue(session_reminder_notify_task, args=[mission_id, since, settings.LANGUAGE_CODE],
                       key=f"coaching-session-reminder:{mission_id}:{since}")
