"""Issue 10, findings 1 and 2: staff reach a learner's coaching data only through a request tied to one
of their own cohorts where the learner's membership is active. Reproduced over the API with two
intermediaries X and Y, then on the pages."""
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching import services
from coaching.models import CoachingRequest, Feedback, Mission, Session
from cohorts.models import CohortInvitation, CohortMembership
from cohorts.services import cohort_join, cohort_leave
from tests.factories import IntermediaryFactory, IntermediaryStaffFactory

from .factories import CohortFactory, coaching_request

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def join(cohort, user) -> CohortMembership:
    invitation = CohortInvitation.objects.create(cohort=cohort, created_by=None)
    return cohort_join(invitation=invitation, user=user)[0]


@pytest.fixture
def xy(world, request_data):
    """X = world.intermediary (staff_x, cohort_x with learner A); Y a second intermediary, its staff and cohort."""
    staff_y = world.other_staff
    cohort_y = CohortFactory(intermediary=world.other_intermediary, name="Cohorte Y")
    # Staff of X open a request for A: it is tied to X's cohort.
    request = services.request_create(by=world.staff, learner=world.learner, module=world.module, data=request_data)
    assert request.cohort_id == world.cohort.pk
    return SimpleNamespace(staff_x=world.staff, staff_y=staff_y, cohort_x=world.cohort, cohort_y=cohort_y,
                           learner=world.learner, request=request, world=world)


def _paths(request_id: int) -> list[str]:
    return [f"/api/v1/coaching/requests/{request_id}/", f"/api/v1/coaching/requests/{request_id}/ranking/"]


def test_finding1_other_intermediary_staff_do_not_reach_a_request_of_a_learner_who_joined_their_cohort(xy):
    membership_y = join(xy.cohort_y, xy.learner)
    client = api(xy.staff_y)
    for path in _paths(xy.request.pk):
        assert client.get(path).status_code == 404, path
    assert xy.request.pk not in [r["id"] for r in client.get("/api/v1/coaching/requests/").json()["results"]]
    response = client.post(f"/api/v1/coaching/requests/{xy.request.pk}/propose/",
                           {"coach": xy.world.coach_profile.pk}, format="json")
    assert response.status_code == 404
    assert client.post(f"/api/v1/coaching/requests/{xy.request.pk}/cancel/", {}, format="json").status_code == 404
    xy.request.refresh_from_db()
    assert xy.request.status == CoachingRequest.Status.OPEN
    assert not xy.request.proposals.exists()
    # ... nor after A leaves Y's cohort.
    cohort_leave(membership=membership_y)
    for path in _paths(xy.request.pk):
        assert client.get(path).status_code == 404, path
    # X's staff still follow it (A is still active in X's cohort).
    for path in _paths(xy.request.pk):
        assert api(xy.staff_x).get(path).status_code == 200, path


def test_finding1_each_intermediary_sees_only_requests_tied_to_its_cohort(xy, request_data):
    join(xy.cohort_y, xy.learner)
    other = coaching_request(xy.learner, topic_key="strategy", cohort=xy.cohort_y, intermediary=xy.cohort_y.intermediary)
    ids_x = {r["id"] for r in api(xy.staff_x).get("/api/v1/coaching/requests/").json()["results"]}
    ids_y = {r["id"] for r in api(xy.staff_y).get("/api/v1/coaching/requests/").json()["results"]}
    assert xy.request.pk in ids_x and other.pk not in ids_x
    assert other.pk in ids_y and xy.request.pk not in ids_y


def test_finding1_staff_cannot_tie_a_new_request_to_another_intermediarys_cohort(xy, request_data):
    """A in X's and Y's cohorts (Y joined last): staff of X open a request; it belongs to X's cohort, not Y's."""
    join(xy.cohort_y, xy.learner)
    xy.request.status = CoachingRequest.Status.CANCELLED
    xy.request.save()
    response = api(xy.staff_x).post("/api/v1/coaching/requests/", {
        **request_data, "learner": xy.learner.pk, "topic": "finance", "languages": ["fr"]}, format="json")
    assert response.status_code == 201, response.content
    created = CoachingRequest.objects.get(pk=response.json()["id"])
    assert created.cohort_id == xy.cohort_x.pk
    assert api(xy.staff_y).get(f"/api/v1/coaching/requests/{created.pk}/").status_code == 404


@pytest.fixture
def left_b(world, request_data):
    """Learner B in cohort 1 with a completed mission (sessions, feedback), then B leaves cohort 1."""
    request = services.request_create(by=world.staff, learner=world.learner, module=world.module, data=request_data)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    mission = services.proposal_accept(proposal=proposal, by=world.coach)
    services.session_log(mission=mission, by=world.coach, held_on=timezone.localdate(mission.created_at), duration_minutes=60,
                         notes="Budget notes, private to the pair and their staff.")
    services.mission_complete(mission=mission, by=world.coach)
    services.mission_complete(mission=mission, by=world.learner)
    services.feedback_give(mission=mission, by=world.learner, rating=4, comment="Très utile.")
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.learner)
    return SimpleNamespace(world=world, request=request, mission=mission, membership=membership)


def test_finding2_staff_lose_a_learners_coaching_data_when_the_learner_leaves(left_b, client):
    world, request, mission = left_b.world, left_b.request, left_b.mission
    staff = api(world.staff)
    paths = [f"/api/v1/coaching/requests/{request.pk}/", f"/api/v1/coaching/missions/{mission.pk}/",
             f"/api/v1/coaching/missions/{mission.pk}/sessions/", f"/api/v1/coaching/missions/{mission.pk}/feedback/"]
    for path in paths:
        assert staff.get(path).status_code == 200, path
    client.force_login(world.staff)
    assert world.learner.display_name in client.get(f"/coaching/cohorts/{world.cohort.pk}/").content.decode()

    cohort_leave(membership=left_b.membership)
    for path in paths:
        assert staff.get(path).status_code == 404, path
    assert staff.get("/api/v1/coaching/requests/").json()["results"] == []
    assert staff.get("/api/v1/coaching/missions/").json()["results"] == []
    assert client.get(f"/coaching/requests/{request.pk}/").status_code == 404
    assert client.get(f"/coaching/missions/{mission.pk}/").status_code == 404
    page = client.get(f"/coaching/cohorts/{world.cohort.pk}/").content.decode()
    assert world.learner.display_name not in page
    # The pair keep their mission.
    assert api(world.learner).get(f"/api/v1/coaching/missions/{mission.pk}/").status_code == 200
    assert api(world.coach).get(f"/api/v1/coaching/missions/{mission.pk}/").status_code == 200
    assert Session.objects.filter(mission=mission).exists() and Feedback.objects.filter(mission=mission).exists()


def test_finding2_staff_cannot_open_a_request_in_the_name_of_a_learner_who_left(world, request_data, client):
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.learner)
    cohort_leave(membership=membership)
    response = api(world.staff).post("/api/v1/coaching/requests/", {
        **request_data, "learner": world.learner.pk, "topic": "finance", "languages": ["fr"]}, format="json")
    assert response.status_code == 404
    assert not CoachingRequest.objects.filter(learner=world.learner).exists()
    client.force_login(world.staff)
    page = client.get("/coaching/requests/open-for/").content.decode()
    assert world.learner.display_name not in page


def test_finding2_reach_comes_back_when_the_learner_rejoins(left_b):
    world = left_b.world
    cohort_leave(membership=left_b.membership)
    assert api(world.staff).get(f"/api/v1/coaching/missions/{left_b.mission.pk}/").status_code == 404
    join(world.cohort, world.learner)
    assert api(world.staff).get(f"/api/v1/coaching/missions/{left_b.mission.pk}/").status_code == 200


def test_a_request_without_cohort_is_not_followed_by_staff(world):
    """A learner outside every cohort asks for coaching: only they, the coaches and admins see it."""
    CohortMembership.objects.filter(user=world.learner).delete()
    request = coaching_request(world.learner, intermediary=world.intermediary)
    assert api(world.staff).get(f"/api/v1/coaching/requests/{request.pk}/").status_code == 404
    assert not Mission.objects.exists()


def test_staff_of_an_intermediary_with_no_link_see_nothing(world, request_data):
    services.request_create(by=world.staff, learner=world.learner, module=world.module, data=request_data)
    stranger = IntermediaryStaffFactory(intermediary=IntermediaryFactory()).user
    assert api(stranger).get("/api/v1/coaching/requests/").json()["results"] == []


def test_emails_go_to_the_staff_who_follow_the_request_only(world, request_data, django_capture_on_commit_callbacks):
    """The match email names the learner: it goes to the staff of the request's cohort while the learner
    is an active member — not after the learner left (nor to the staff of another intermediary)."""
    from django.core import mail

    request = services.request_create(by=world.learner, learner=world.learner, module=world.module, data=request_data)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    cohort_leave(membership=CohortMembership.objects.get(cohort=world.cohort, user=world.learner))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(proposal=proposal, by=world.coach)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.learner.email, world.coach.email])
    assert world.staff.email not in recipients and world.other_staff.email not in recipients
