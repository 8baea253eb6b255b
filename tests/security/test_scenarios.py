"""Issue 10: boundaries that change over time, each checked before and after the change, on the API
and on the pages: joining and leaving cohorts, a learner in cohorts of two intermediaries, a mission
cancelled, a coach un-vetted, a trainer removed as author."""
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching import services as coaching
from coaching.models import CoachingRequest
from cohorts.models import CohortMembership
from cohorts.services import cohort_join, cohort_leave
from courses.services.authoring import module_author_add, module_author_remove

from .world import world_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_build()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(user, path: str) -> set[int]:
    return {item["id"] for item in api(user).get(path).json()["results"]}


def test_joining_then_leaving_a_cohort(w, client):
    """Staff of Y see nothing of learner A before A joins, only A's progress in Y's cohort while A is a
    member (never A's coaching tied to X), and nothing again after A leaves."""
    cohort_path = f"/api/v1/cohorts/{w.cohort_y.pk}/learners/{w.learner_a.pk}/"
    assert api(w.staff_y).get(cohort_path).status_code == 404
    membership, _created = cohort_join(invitation=w.link_y, user=w.learner_a)
    assert api(w.staff_y).get(cohort_path).status_code == 200
    assert api(w.staff_y).get(f"/api/v1/coaching/requests/{w.request.pk}/").status_code == 404
    assert ids(w.staff_y, "/api/v1/coaching/requests/") == set()
    cohort_leave(membership=membership)
    assert api(w.staff_y).get(cohort_path).status_code == 404
    client.force_login(w.staff_y)
    assert client.get(f"/cohorts/{w.cohort_y.pk}/learners/{w.learner_a.pk}/").status_code == 404


def test_leaving_ends_the_reach_of_the_cohorts_staff_on_coaching(w, client):
    paths = [f"/api/v1/coaching/requests/{w.request.pk}/", f"/api/v1/coaching/missions/{w.mission.pk}/",
             f"/api/v1/coaching/missions/{w.mission.pk}/sessions/", f"/api/v1/coaching/requests/{w.open_request.pk}/ranking/"]
    assert [api(w.staff_x).get(p).status_code for p in paths] == [200, 200, 200, 200]
    cohort_leave(membership=w.membership_a)
    assert [api(w.staff_x).get(p).status_code for p in paths] == [404, 404, 404, 404]
    assert ids(w.staff_x, "/api/v1/coaching/requests/") == set()
    assert ids(w.staff_x, "/api/v1/coaching/proposals/") == set()
    client.force_login(w.staff_x)
    assert "Learner A" not in client.get(f"/coaching/cohorts/{w.cohort_x.pk}/").content.decode()
    # The learner and the coach keep their mission.
    assert api(w.learner_a).get(f"/api/v1/coaching/missions/{w.mission.pk}/").status_code == 200
    assert api(w.coach).get(f"/api/v1/coaching/missions/{w.mission.pk}/").status_code == 200


def test_a_learner_in_cohorts_of_two_intermediaries(w):
    cohort_join(invitation=w.link_y, user=w.learner_a)
    in_y = coaching.request_create(by=w.staff_y, learner=w.learner_a, topic=w.open_request.topic.__class__.objects.get(
        key="volunteers"), data={"need": "Recruter des bénévoles.", "expected_result": "Dix bénévoles.", "format": "remote"})
    assert in_y.cohort_id == w.cohort_y.pk
    assert ids(w.staff_x, "/api/v1/coaching/requests/") == {w.request.pk, w.open_request.pk}
    assert ids(w.staff_y, "/api/v1/coaching/requests/") == {in_y.pk}
    assert api(w.staff_x).get(f"/api/v1/coaching/requests/{in_y.pk}/").status_code == 404
    assert api(w.staff_y).get(f"/api/v1/coaching/missions/{w.mission.pk}/").status_code == 404
    # Leaving X ends X's reach, not Y's.
    cohort_leave(membership=w.membership_a)
    assert ids(w.staff_x, "/api/v1/coaching/requests/") == set()
    assert ids(w.staff_y, "/api/v1/coaching/requests/") == {in_y.pk}


def test_a_cancelled_mission_stays_readable_by_its_pair_and_closes_its_actions(w):
    path = f"/api/v1/coaching/missions/{w.mission.pk}/"
    today = timezone.localdate().isoformat()
    logged = api(w.coach).post(f"{path}sessions/", {"held_on": today, "duration_minutes": 30}, format="json")
    assert logged.status_code == 201, logged.content
    coaching.request_cancel(request=w.request, by=w.staff_x, reason="The association paused its activity.")
    assert CoachingRequest.objects.get(pk=w.request.pk).status == CoachingRequest.Status.CANCELLED
    for user in (w.learner_a, w.coach, w.staff_x):
        assert api(user).get(path).status_code == 200
    for user in (w.learner_b, w.coach_b, w.staff_y, w.trainer):
        assert api(user).get(path).status_code == 404
    # Nothing more can be logged or agreed on a cancelled mission.
    assert api(w.coach).post(f"{path}sessions/", {"held_on": today, "duration_minutes": 30},
                             format="json").status_code == 400
    assert api(w.coach).post(f"{path}complete/", format="json").status_code == 400


def test_an_unvetted_coach_leaves_the_marketplace_and_cannot_be_proposed(w):
    market = api(w.coach).get("/api/v1/coaching/marketplace/").json()
    assert w.open_request.pk in {item["request"]["id"] for item in market}
    coaching.coach_vet(profile=w.coach_profile, by=w.admin, vetted=False)
    assert api(w.coach).get("/api/v1/coaching/marketplace/").json() == []
    assert api(w.coach).get(f"/api/v1/coaching/requests/{w.open_request.pk}/").status_code == 404
    assert api(w.coach).post(f"/api/v1/coaching/requests/{w.open_request.pk}/offer/", {}, format="json").status_code == 404
    response = api(w.staff_x).post(f"/api/v1/coaching/requests/{w.open_request.pk}/propose/",
                                   {"coach": w.coach_profile.pk}, format="json")
    assert response.status_code == 400
    ranking = api(w.staff_x).get(f"/api/v1/coaching/requests/{w.open_request.pk}/ranking/").json()
    assert w.coach_profile.pk not in {c["coach"]["id"] for c in ranking["eligible"] + ranking["excluded"]}
    # The running mission is theirs still.
    assert api(w.coach).get(f"/api/v1/coaching/missions/{w.mission.pk}/").status_code == 200


def test_a_trainer_removed_as_author_loses_the_edit_rights(w, client):
    module_author_add(module=w.module, author=w.trainer_b, user=w.trainer)
    settings_path = f"/courses/{w.module.slug}/settings/"
    client.force_login(w.trainer_b)
    assert client.get(settings_path).status_code == 200
    assert api(w.trainer_b).get(f"/api/v1/modules/{w.module.slug}/quiz/").status_code == 200
    module_author_remove(module=w.module, author=w.trainer_b, user=w.trainer)
    assert client.get(settings_path).status_code == 403
    assert api(w.trainer_b).get(f"/api/v1/modules/{w.module.slug}/quiz/").status_code == 403
    assert api(w.trainer_b).patch(f"/api/v1/modules/{w.module.slug}/", {"level": 2}, format="json").status_code == 403
    client.force_login(w.trainer_b)
    assert client.get(f"/learn/{w.module.slug}/results/").status_code == 403


def test_membership_status_not_the_row_decides(w):
    """A left membership row stays in the database (progress is kept): it gives no reach."""
    cohort_leave(membership=w.membership_a)
    assert CohortMembership.objects.filter(pk=w.membership_a.pk, status=CohortMembership.Status.LEFT).exists()
    assert api(w.staff_x).post("/api/v1/coaching/requests/", {
        "learner": w.learner_a.pk, "topic": "governance", "need": "x", "expected_result": "y"}, format="json").status_code == 404
