"""The rules of the coaching lifecycle, through the services (real database, eager tasks, locmem mail)."""
import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coaching import services, tasks
from coaching.models import CoachingRequest, Feedback, Mission, NotificationLog, Proposal, RequestTransition
from learners.models import Enrollment
from tests.factories import UserFactory

from .factories import coach_profile, coaching_request, diagnostic_response, topic

Status = CoachingRequest.Status
pytestmark = pytest.mark.django_db


def create(world, request_data, **kwargs):
    return services.request_create(by=world.learner, learner=world.learner, module=world.module, data=request_data, **kwargs)


def history(request):
    return list(RequestTransition.objects.filter(request=request).values_list("from_status", "to_status", "by_id"))


# --- Requests ----------------------------------------------------------------------------------------------

def test_a_request_is_prefilled_from_what_the_learner_did(world, request_data):
    diagnostic_response(world.learner, {"finance": 20, "strategy": 60}, at=timezone.now() - dt.timedelta(days=60))
    latest = diagnostic_response(world.learner, {"finance": 35, "strategy": 70}, at=timezone.now() - dt.timedelta(days=2))
    Enrollment.objects.create(user=world.learner, module=world.module, content_language="zh-hans")

    request = create(world, request_data)

    assert request.status == Status.OPEN
    assert (request.topic.key, request.module, request.certificate) == ("finance", world.module, world.certificate)
    assert request.cohort == world.cohort and request.intermediary == world.intermediary
    assert request.association == world.learner.association
    assert request.diagnostic_before == latest and request.diagnostic_score_before == 35
    assert request.languages == ["fr", "zh-hans"]
    assert (request.country, request.city, request.time_zone) == ("FR", "Lyon", "Europe/Paris")
    assert history(request) == [("", "open", world.learner.id)]


def test_a_learner_needs_the_certificate_of_the_module(world, request_data, other_learner):
    with pytest.raises(ValidationError, match="certificate of this module"):
        services.request_create(by=other_learner, learner=other_learner, module=world.module, data=request_data)
    world.certificate.revoked_at = timezone.now()
    world.certificate.save()
    with pytest.raises(ValidationError, match="certificate"):
        create(world, request_data)


def test_one_live_request_per_topic(world, request_data):
    create(world, request_data)
    with pytest.raises(ValidationError, match="already a coaching request in this topic"):
        create(world, request_data)


def test_a_draft_is_sent_later_and_every_change_is_logged(world, request_data):
    request = create(world, request_data, submit=False)
    assert request.status == Status.DRAFT
    services.request_update(request=request, by=world.learner, data={"hours_wanted": 8})
    services.request_submit(request=request, by=world.learner)
    services.request_cancel(request=request, by=world.staff, reason="Doublon")
    assert history(request) == [("", "draft", world.learner.id), ("draft", "open", world.learner.id),
                                ("open", "cancelled", world.staff.id)]
    with pytest.raises(ValidationError, match="already closed"):
        services.request_cancel(request=request, by=world.learner)


def test_staff_open_a_request_for_a_learner_of_their_cohorts_only(world, request_data):
    request = services.request_create(by=world.staff, learner=world.learner, topic=topic("strategy"), data=request_data)
    assert (request.created_by, request.intermediary, request.status) == (world.staff, world.intermediary, Status.OPEN)
    with pytest.raises(PermissionDenied):
        services.request_create(by=world.other_staff, learner=world.learner, topic=topic("governance"), data=request_data)
    with pytest.raises(PermissionDenied):
        services.request_create(by=world.coach, learner=world.learner, topic=topic("governance"), data=request_data)


def test_in_person_needs_a_city(world, request_data):
    with pytest.raises(ValidationError) as error:
        create(world, {**request_data, "format": "in_person", "city": ""})
    assert "city" in error.value.message_dict


# --- Proposals, offers, the match --------------------------------------------------------------------------

def test_staff_propose_the_coach_declines_with_a_reason_then_another_accepts(world, request_data, django_capture_on_commit_callbacks):
    request = create(world, request_data)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.proposal_create(request=request, coach=world.other_coach_profile, by=world.staff, message="Merci !")
    request.refresh_from_db()
    assert request.status == Status.PROPOSED
    assert first.score is not None and {c["key"] for c in first.breakdown["components"]} == {
        "skill", "language", "proximity", "load", "feedback", "recency"}
    assert [m.to for m in mail.outbox] == [[world.other_coach.email]]
    assert world.learner.email not in mail.outbox[0].body

    with pytest.raises(ValidationError, match="why you decline"):
        services.proposal_decline(proposal=first, by=world.other_coach, reason="  ")
    services.proposal_decline(proposal=first, by=world.other_coach, reason="Pas disponible en mars.")
    request.refresh_from_db()
    assert request.status == Status.OPEN
    with pytest.raises(ValidationError, match="Already declined"):
        services.proposal_create(request=request, coach=world.other_coach_profile, by=world.staff)

    second = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=second, by=world.other_coach)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mission = services.proposal_accept(proposal=second, by=world.coach)
    request.refresh_from_db()
    assert request.status == Status.MATCHED and mission.coach == world.coach_profile
    assert mission.monthly_hours == request.monthly_hours == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.learner.email, world.coach.email, world.staff.email])
    assert [t[1] for t in history(request)] == ["open", "proposed", "open", "proposed", "matched"]


def test_only_vetted_coaches_fitting_the_request_are_proposed(world, request_data):
    request = create(world, request_data)
    unvetted = coach_profile(vetted=False)
    with pytest.raises(ValidationError, match="not been vetted"):
        services.proposal_create(request=request, coach=unvetted, by=world.staff)
    chinese_only = coach_profile(languages={"zh-hans": 3})
    with pytest.raises(ValidationError, match="No language in common"):
        services.proposal_create(request=request, coach=chinese_only, by=world.staff)
    with pytest.raises(PermissionDenied):
        services.proposal_create(request=request, coach=world.coach_profile, by=world.other_staff)
    with pytest.raises(PermissionDenied):
        services.proposal_create(request=request, coach=world.coach_profile, by=world.learner)


def test_a_coach_offers_from_the_marketplace_and_the_learner_confirms(world, request_data, django_capture_on_commit_callbacks):
    request = create(world, request_data)
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.offer_create(request=request, by=world.coach, message="J'ai été trésorier dix ans.")
    assert offer.kind == Proposal.Kind.OFFER
    assert [m.to for m in mail.outbox] == [[world.learner.email]]
    assert world.coach.email not in mail.outbox[0].body
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=offer, by=world.coach)  # an offer is confirmed by the other side
    with pytest.raises(PermissionDenied):
        services.offer_confirm(proposal=offer, by=world.other_learner)
    mission = services.offer_confirm(proposal=offer, by=world.learner)
    assert mission.request.status == Status.MATCHED


def test_a_coach_who_does_not_fit_cannot_offer(world, request_data):
    request = create(world, request_data)
    chinese = coach_profile(UserFactory(is_coach=True), languages={"zh-hans": 3})
    with pytest.raises(PermissionDenied, match="does not match"):
        services.offer_create(request=request, by=chinese.user)
    unvetted = coach_profile(UserFactory(is_coach=True), vetted=False)
    with pytest.raises(PermissionDenied, match="vetted"):
        services.offer_create(request=request, by=unvetted.user)


def test_a_request_is_never_matched_twice(world, request_data):
    request = create(world, request_data)
    first = services.offer_create(request=request, by=world.coach)
    second = services.offer_create(request=request, by=world.other_coach)
    services.offer_confirm(proposal=first, by=world.staff)
    with pytest.raises(ValidationError, match="already has a coach"):
        services.offer_confirm(proposal=second, by=world.learner)
    assert Mission.objects.filter(request=request).count() == 1
    second.refresh_from_db()
    assert second.status == Proposal.Status.WITHDRAWN


def test_capacity_is_never_over_committed(world, request_data):
    world.coach_profile.monthly_capacity_hours = 4
    world.coach_profile.save()
    # 9 hours over 3 months: 3 hours a month each.
    first = coaching_request(world.learner, hours_wanted=9, cohort=world.cohort)
    second = coaching_request(world.other_learner, hours_wanted=9, topic_key="finance")
    p1 = services.proposal_create(request=first, coach=world.coach_profile, by=world.staff)
    p2 = services.offer_create(request=second, by=world.coach)
    services.proposal_accept(proposal=p1, by=world.coach)
    with pytest.raises(ValidationError, match="has 1 hours a month left and this mission needs 3"):
        services.offer_confirm(proposal=p2, by=world.other_learner)
    # Once the first mission is cancelled its hours are free again.
    services.request_cancel(request=first, by=world.learner)
    services.offer_confirm(proposal=p2, by=world.other_learner)


def test_unanswered_proposals_expire_and_the_request_reopens(world, request_data, settings, django_capture_on_commit_callbacks):
    settings.COACHING_PROPOSAL_EXPIRY_DAYS = 3
    request = create(world, request_data)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    assert proposal.expires_at.date() == (timezone.now() + dt.timedelta(days=3)).date()
    assert services.proposals_expire(now=timezone.now() + dt.timedelta(days=2)) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.proposals_expire(now=timezone.now() + dt.timedelta(days=3, minutes=1)) == [proposal.pk]
    request.refresh_from_db()
    proposal.refresh_from_db()
    assert (proposal.status, request.status) == (Proposal.Status.EXPIRED, Status.OPEN)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.coach.email, world.staff.email])
    assert history(request)[-1] == ("proposed", "open", None)
    with pytest.raises(ValidationError, match="already been answered"):
        services.proposal_accept(proposal=proposal, by=world.coach)
    # The next coach can be proposed.
    services.proposal_create(request=request, coach=world.other_coach_profile, by=world.staff)


def test_a_proposal_past_its_date_cannot_be_accepted_even_before_the_periodic_task(world, request_data):
    request = create(world, request_data)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        services.proposal_accept(proposal=proposal, by=world.coach)


def test_requests_whose_time_frame_ended_expire(world, django_capture_on_commit_callbacks):
    old = coaching_request(world.learner, starts_on=timezone.localdate() - dt.timedelta(days=60),
                           ends_on=timezone.localdate() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.coaching_expiry_task()
    old.refresh_from_db()
    assert old.status == Status.EXPIRED
    assert [m.to for m in mail.outbox] == [[world.learner.email]]


# --- Missions ------------------------------------------------------------------------------------------------

@pytest.fixture
def mission(world, request_data):
    request = create(world, request_data)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    return services.proposal_accept(proposal=proposal, by=world.coach)


def test_objectives_are_written_by_one_side_and_agreed_by_the_other(world, mission):
    services.mission_objectives_set(mission=mission, by=world.coach, objectives="1. Budget 2027\n2. Plan de trésorerie")
    with pytest.raises(ValidationError, match="You wrote these objectives"):
        services.mission_objectives_agree(mission=mission, by=world.coach)
    with pytest.raises(PermissionDenied):
        services.mission_objectives_agree(mission=mission, by=world.staff)
    mission = services.mission_objectives_agree(mission=mission, by=world.learner)
    assert mission.objectives_agreed_at is not None
    mission = services.mission_objectives_set(mission=mission, by=world.learner, objectives="1. Budget 2027")
    assert mission.objectives_agreed_at is None


def test_sessions_completion_by_one_side_confirmed_by_the_other_then_feedback(world, mission, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="at least one session"):
        services.mission_complete(mission=mission, by=world.coach)
    with pytest.raises(ValidationError, match="future"):
        services.session_log(mission=mission, by=world.coach, held_on=today + dt.timedelta(days=1), duration_minutes=60)
    with pytest.raises(PermissionDenied):
        services.session_log(mission=mission, by=world.staff, held_on=today, duration_minutes=60)
    services.session_log(mission=mission, by=world.coach, held_on=today, duration_minutes=90, notes="Budget relu.")
    services.session_log(mission=mission, by=world.learner, held_on=today, duration_minutes=45)
    mission.refresh_from_db()
    assert (mission.request.status, mission.minutes_logged, mission.session_count, mission.last_session_on) == (
        Status.IN_PROGRESS, 135, 2, today)

    with pytest.raises(ValidationError, match="once both sides"):
        services.feedback_give(mission=mission, by=world.learner, rating=5)
    services.mission_complete(mission=mission, by=world.coach)
    with pytest.raises(ValidationError, match="already asked"):
        services.mission_complete(mission=mission, by=world.coach)
    services.mission_completion_decline(mission=mission, by=world.learner)
    services.mission_complete(mission=mission, by=world.coach)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mission = services.mission_complete(mission=mission, by=world.learner)
    assert mission.completed_at is not None and mission.request.status == Status.COMPLETED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.learner.email, world.coach.email])

    services.feedback_give(mission=mission, by=world.learner, rating=5, comment="Très utile.")
    services.feedback_give(mission=mission, by=world.coach, rating=4)
    with pytest.raises(ValidationError, match="already given"):
        services.feedback_give(mission=mission, by=world.learner, rating=1)
    with pytest.raises(ValidationError):
        services.feedback_give(mission=mission, by=world.coach, rating=6)
    assert dict(Feedback.objects.filter(mission=mission).values_list("role", "rating")) == {"learner": 5, "coach": 4}
    assert [t[1] for t in history(mission.request)][-3:] == ["matched", "in_progress", "completed"]


def test_publishing_text_needs_a_verified_phone_or_email(world, mission):
    """Real-identity rule: objectives, session notes and feedback comments need a verified identity."""
    today = timezone.localdate()
    world.coach.email_verified_at = None
    world.coach.save()
    with pytest.raises(ValidationError, match="verify your phone number or your email"):
        services.mission_objectives_set(mission=mission, by=world.coach, objectives="1. Un budget")
    with pytest.raises(ValidationError, match="verify your phone number or your email"):
        services.session_log(mission=mission, by=world.coach, held_on=today, duration_minutes=60, notes="Budget relu.")
    services.session_log(mission=mission, by=world.coach, held_on=today, duration_minutes=60)   # no text: allowed
    world.coach.phone, world.coach.phone_verified_at = "+8613800138000", timezone.now()
    world.coach.save()
    services.session_log(mission=mission, by=world.coach, held_on=today, duration_minutes=30, notes="Budget relu.")


# --- Notifications ----------------------------------------------------------------------------------------

def test_notifications_are_idempotent_and_in_the_recipients_language(world, mission):
    world.coach.preferred_language = "zh-hans"
    world.coach.save()
    mail.outbox.clear()
    tasks.match_notify_task(mission.pk, "fr")
    tasks.match_notify_task(mission.pk, "fr")
    assert len(mail.outbox) == 3
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient[world.coach.email].extra_headers["Content-Language"] == "zh-hans"
    assert by_recipient[world.learner.email].extra_headers["Content-Language"] == "fr"
    assert NotificationLog.objects.filter(key__startswith=f"match:{mission.pk}:").count() == 3


def test_session_reminders_once_per_quiet_period(world, mission, settings, django_capture_on_commit_callbacks):
    settings.COACHING_SESSION_REMINDER_DAYS = 14
    Mission.objects.filter(pk=mission.pk).update(created_at=timezone.now() - dt.timedelta(days=20))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the reminders go through the outbox
        tasks.session_reminders_task()
        tasks.session_reminders_task()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.learner.email, world.coach.email])
    services.session_log(mission=mission, by=world.coach, held_on=timezone.localdate(), duration_minutes=60)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.session_reminders_task()
    assert mail.outbox == []
