"""The coaching loop as the pro bono platforms run it (issue #17): a cap on a coach's pending proposals
and a response deadline in business days shown to the coach."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching.models import Proposal, business_days_after
from coaching.services import proposal_create
from tests.factories import AssociationFactory, UserFactory

from .factories import coaching_request

pytestmark = pytest.mark.django_db


def test_business_days_skip_the_weekend():
    friday = dt.datetime(2026, 12, 4, 10, 0)
    assert business_days_after(friday, 2) == dt.datetime(2026, 12, 8, 10, 0)  # Tuesday
    assert business_days_after(dt.datetime(2026, 12, 1, 9, 0), 2) == dt.datetime(2026, 12, 3, 9, 0)


def test_a_coach_has_at_most_three_pending_proposals(world, settings):
    settings.ESSOR_COACH_MAX_PENDING_PROPOSALS = 3
    topics = ["finance", "strategy", "communication", "volunteers"]
    from coaching.models import CoachSkill
    from tests.coaching.factories import topic
    from tests.cohorts.factories import member

    for key in topics[1:]:
        CoachSkill.objects.get_or_create(profile=world.coach_profile, topic=topic(key), defaults={"level": 3})
    requests = []
    for key in topics:
        learner = UserFactory(is_learner=True, association=AssociationFactory(city="Lyon"))
        member(world.cohort, learner)  # staff follow a request through the learner's active membership
        requests.append(coaching_request(learner, topic_key=key, cohort=world.cohort, intermediary=world.intermediary))
    for request in requests[:3]:
        proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    with pytest.raises(ValidationError) as error:
        proposal_create(request=requests[3], coach=world.coach_profile, by=world.staff)
    assert "already has 3 proposals waiting for an answer" in " ".join(error.value.messages)
    Proposal.objects.filter(coach=world.coach_profile).update(status=Proposal.Status.DECLINED)
    proposal_create(request=requests[3], coach=world.coach_profile, by=world.staff)  # room again


def test_the_coach_sees_the_response_deadline(world, client_as):
    request = coaching_request(world.learner, cohort=world.cohort, intermediary=world.intermediary)
    proposal = proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    assert proposal.respond_by == business_days_after(proposal.created_at, 2)
    response = client_as(world.coach).get(reverse("coaching:proposal-detail", args=[proposal.pk]))
    assert response.status_code == 200
    assert b"Please answer within 2 business days" in response.content


def _run_to_completion(world, request):
    from coaching import services

    proposal = proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    mission = services.proposal_accept(proposal=proposal, by=world.coach)
    services.session_log(mission=mission, by=world.coach, held_on=timezone.localdate(), duration_minutes=60)
    services.mission_complete(mission=mission, by=world.coach)
    return services.mission_complete(mission=mission, by=world.learner)


def test_scoping_session_then_a_mission_from_it_with_the_same_coach(world, request_data):
    from coaching import services
    from coaching.models import CoachingRequest

    scoping = services.request_create(by=world.learner, learner=world.learner, module=world.module,
                                      data={**request_data, "hours_wanted": 12}, kind=CoachingRequest.Kind.SCOPING)
    assert scoping.kind == "scoping" and scoping.hours_wanted == 1
    with pytest.raises(ValidationError, match="once this scoping session"):
        services.request_follow_up(previous=scoping, by=world.learner)
    _run_to_completion(world, scoping)
    with pytest.raises(PermissionDenied):
        services.request_follow_up(previous=scoping, by=world.other_staff)
    mission_request = services.request_follow_up(previous=scoping, by=world.learner, data={"hours_wanted": 10})
    assert (mission_request.kind, mission_request.follows_id, mission_request.hours_wanted) == ("mission", scoping.pk, 10)
    assert mission_request.preferred_coach_id == world.coach_profile.pk and mission_request.status == "proposed"
    proposal = Proposal.objects.get(request=mission_request)
    assert proposal.coach_id == world.coach_profile.pk and proposal.status == "pending"
    # the coach accepts: sticky coaching, the same coach again
    mission = services.proposal_accept(proposal=proposal, by=world.coach)
    assert mission.coach_id == world.coach_profile.pk


def test_sticky_coaching_the_coach_may_decline(world, request_data):
    from coaching import services

    first = services.request_create(by=world.learner, learner=world.learner, module=world.module, data=request_data)
    _run_to_completion(world, first)
    again = services.request_follow_up(previous=first, by=world.learner)
    proposal = Proposal.objects.get(request=again)
    services.proposal_decline(proposal=proposal, by=world.coach, reason="Not available this quarter.")
    again.refresh_from_db()
    assert again.status == "open"  # back to the other coaches


def test_the_pages_scoping_request_and_follow_up(world, request_data, client_as):
    from coaching.models import CoachingRequest

    client = client_as(world.learner)
    url = reverse("coaching:request-create") + f"?module={world.module.slug}"
    today = timezone.localdate()
    response = client.post(url, {**request_data, "module": world.module.slug, "country": "FR", "city": "Lyon",
                                 "time_zone": "Europe/Paris", "starts_on": today.isoformat(),
                                 "ends_on": (today + dt.timedelta(days=60)).isoformat(), "languages": ["fr"],
                                 "request_kind": "scoping", "send": "1"})
    assert response.status_code == 302, response.content[:2000]
    scoping = CoachingRequest.objects.get(learner=world.learner)
    assert scoping.kind == "scoping" and scoping.hours_wanted == 1
    mission = _run_to_completion(world, scoping)
    page = client.get(reverse("coaching:mission-detail", args=[mission.pk])).content.decode()
    from .conftest import fr

    assert fr("Ask the same coach for a new mission") in page  # the learner reads in French
    coach_page = client_as(world.coach).get(reverse("coaching:mission-detail", args=[mission.pk])).content.decode()
    assert fr("Ask the same coach for a new mission") not in coach_page and "Ask the same coach" not in coach_page
    client = client_as(world.learner)  # the test client is shared: log the learner in again
    response = client.post(reverse("coaching:mission-follow-up", args=[mission.pk]), {"same_coach": "1"}, follow=True)
    assert CoachingRequest.objects.filter(follows=scoping).exists(), (response.status_code, response.redirect_chain)
    follow_up = CoachingRequest.objects.get(follows=scoping)
    assert response.redirect_chain[-1][0] == reverse("coaching:request-detail", args=[follow_up.pk])
    assert follow_up.preferred_coach_id == world.coach_profile.pk
