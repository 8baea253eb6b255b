"""The coaching API: object-level permissions for every role, one happy path per endpoint family."""
import pytest
from django.utils import timezone

from coaching import services
from coaching.models import CoachingRequest, CoachProfile

from .factories import coaching_request

pytestmark = pytest.mark.django_db
ROLES = ["learner", "other_learner", "coach", "other_coach", "staff", "other_staff"]
API = "/api/v1/coaching"


@pytest.fixture
def matched(world):
    request = coaching_request(world.learner, cohort=world.cohort, intermediary=world.intermediary)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    mission = services.proposal_accept(proposal=proposal, by=world.coach)
    return request, proposal, mission


def call(api_as, world, role, method, url, data=None):
    client = api_as(getattr(world, role))
    return getattr(client, method)(url, data or {}, format="json")


@pytest.mark.parametrize("role,expected", zip(ROLES, [200, 404, 200, 404, 200, 404], strict=True))
def test_request_detail(api_as, world, matched, role, expected):
    request, _proposal, _mission = matched
    assert call(api_as, world, role, "get", f"{API}/requests/{request.pk}/").status_code == expected


@pytest.mark.parametrize("role,expected", zip(ROLES, [403, 404, 403, 404, 200, 404], strict=True))
def test_ranking_is_for_the_staff_who_follow_the_request(api_as, world, matched, role, expected):
    request, _proposal, _mission = matched
    assert call(api_as, world, role, "get", f"{API}/requests/{request.pk}/ranking/").status_code == expected


@pytest.mark.parametrize("role,expected", zip(ROLES, [200, 404, 200, 404, 200, 404], strict=True))
def test_proposal_detail(api_as, world, matched, role, expected):
    _request, proposal, _mission = matched
    assert call(api_as, world, role, "get", f"{API}/proposals/{proposal.pk}/").status_code == expected


@pytest.mark.parametrize("role,expected", zip(ROLES, [200, 404, 200, 404, 200, 404], strict=True))
def test_mission_and_its_sessions(api_as, world, matched, role, expected):
    _request, _proposal, mission = matched
    assert call(api_as, world, role, "get", f"{API}/missions/{mission.pk}/").status_code == expected
    assert call(api_as, world, role, "get", f"{API}/missions/{mission.pk}/sessions/").status_code == expected


@pytest.mark.parametrize("role,expected", zip(ROLES, [201, 404, 201, 404, 403, 404], strict=True))
def test_only_the_pair_logs_sessions(api_as, world, matched, role, expected):
    _request, _proposal, mission = matched
    response = call(api_as, world, role, "post", f"{API}/missions/{mission.pk}/sessions/",
                    {"held_on": timezone.localdate().isoformat(), "duration_minutes": 60, "notes": "Premier point."})
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role,expected", zip(ROLES, [201, 404, 201, 404, 403, 404], strict=True))
def test_only_the_pair_gives_feedback(api_as, world, matched, role, expected):
    _request, _proposal, mission = matched
    services.session_log(mission=mission, by=world.coach, held_on=timezone.localdate(), duration_minutes=60)
    services.mission_complete(mission=mission, by=world.coach)
    services.mission_complete(mission=mission, by=world.learner)
    response = call(api_as, world, role, "post", f"{API}/missions/{mission.pk}/feedback/", {"rating": 4, "comment": "Bien."})
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role,expected", zip(ROLES, [403, 404, 403, 404, 201, 404], strict=True))
def test_only_following_staff_propose(api_as, world, role, expected):
    request = coaching_request(world.learner, cohort=world.cohort, languages=["en"])
    response = call(api_as, world, role, "post", f"{API}/requests/{request.pk}/propose/", {"coach": world.coach_profile.pk})
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role,expected", zip(ROLES, [403, 404, 200, 404, 403, 404], strict=True))
def test_only_the_proposed_coach_accepts(api_as, world, role, expected):
    # The other coach speaks no English: not in their marketplace.
    request = coaching_request(world.learner, languages=["en"], cohort=world.cohort)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    assert call(api_as, world, role, "post", f"{API}/proposals/{proposal.pk}/accept/").status_code == expected


def test_a_marketplace_coach_sees_the_request_but_cannot_propose(api_as, world):
    request = coaching_request(world.learner, cohort=world.cohort)  # fits the other coach too
    client = api_as(world.other_coach)
    assert client.get(f"{API}/requests/{request.pk}/").status_code == 200
    assert client.post(f"{API}/requests/{request.pk}/propose/", {"coach": world.coach_profile.pk}, format="json").status_code == 403


def test_lists_are_filtered_by_role(api_as, world, matched):
    request, proposal, mission = matched
    for role in ROLES:
        ids = [r["id"] for r in call(api_as, world, role, "get", f"{API}/requests/").json()["results"]]
        assert (request.pk in ids) == (role in ("learner", "coach", "staff")), role
        missions = [m["id"] for m in call(api_as, world, role, "get", f"{API}/missions/").json()["results"]]
        assert (mission.pk in missions) == (role in ("learner", "coach", "staff")), role
        proposals = [p["id"] for p in call(api_as, world, role, "get", f"{API}/proposals/").json()["results"]]
        assert (proposal.pk in proposals) == (role in ("learner", "coach", "staff")), role


def test_the_ranking_shows_each_component(api_as, world):
    request = coaching_request(world.learner, cohort=world.cohort)
    body = api_as(world.staff).get(f"{API}/requests/{request.pk}/ranking/").json()
    assert [c["coach"]["id"] for c in body["eligible"]] == [world.coach_profile.pk, world.other_coach_profile.pk]
    first = body["eligible"][0]
    assert [c["key"] for c in first["components"]] == ["skill", "language", "proximity", "load", "feedback", "recency"]
    assert all(c["reason"] for c in first["components"])
    assert round(sum(c["points"] for c in first["components"]), 1) == first["score"]


def test_learner_creates_a_request_then_staff_propose_and_the_coach_accepts(api_as, world):
    created = api_as(world.learner).post(f"{API}/requests/", {
        "module": "basic-finance", "need": "Notre budget n'est pas suivi.", "expected_result": "Un budget voté.",
        "hours_wanted": 6}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["topic"], body["module"], body["status"], body["cohort"]) == ("finance", "basic-finance", "open", world.cohort.name)
    proposal = api_as(world.staff).post(f"{API}/requests/{body['id']}/propose/", {"coach": world.coach_profile.pk}, format="json")
    assert proposal.status_code == 201
    assert proposal.json()["components"][0]["label"]
    accepted = api_as(world.coach).post(f"{API}/proposals/{proposal.json()['id']}/accept/", format="json")
    assert accepted.status_code == 200
    assert accepted.json()["contacts"]["learner"]["email"] == world.learner.email


def test_a_refused_rule_is_a_400_with_a_sentence(api_as, world, other_learner):
    response = api_as(other_learner).post(f"{API}/requests/", {
        "module": "basic-finance", "need": "x", "expected_result": "y"}, format="json")
    assert response.status_code == 400
    assert "certificate" in response.json()["detail"]


def test_staff_create_for_learners_of_their_cohorts_only(api_as, world):
    data = {"learner": world.learner.pk, "topic": "strategy", "need": "Plan", "expected_result": "Un plan"}
    assert api_as(world.staff).post(f"{API}/requests/", data, format="json").status_code == 201
    assert api_as(world.other_staff).post(f"{API}/requests/", {**data, "topic": "governance"}, format="json").status_code == 404


def test_coach_profile_own_only(api_as, world, coach):
    client = api_as(world.other_coach)
    body = client.get(f"{API}/profile/").json()
    assert body["languages"] == [{"language": "fr", "level": 2}]
    response = client.put(f"{API}/profile/", {
        "country": "CN", "city": "Chengdu", "works_remotely": True, "works_in_person": True, "time_zone": "Asia/Shanghai",
        "monthly_capacity_hours": 6, "skills": [{"topic": "communication", "level": 3}, {"tag": "WeChat", "level": 3}],
        "languages": [{"language": "zh-hans", "level": 3}, {"language": "fr", "level": 2}]}, format="json")
    assert response.status_code == 200, response.content
    profile = CoachProfile.objects.get(user=world.other_coach)
    assert (profile.city, profile.monthly_capacity_hours, profile.is_vetted) == ("Chengdu", 6, True)
    assert {s.topic.key if s.topic else s.tag for s in profile.skills.all()} == {"communication", "WeChat"}
    bad = client.patch(f"{API}/profile/", {"time_zone": "Mars/Olympus"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "time_zone"
    assert api_as(world.learner).get(f"{API}/profile/").status_code == 404
    assert api_as(world.learner).put(f"{API}/profile/", {"languages": [], "skills": []}, format="json").status_code == 403


def test_vetting_is_for_staff(api_as, world):
    new = CoachProfile.objects.create(user=world.other_learner, time_zone="Europe/Paris")
    assert api_as(world.coach).post(f"{API}/coaches/{new.pk}/vet/", {"vetted": True}, format="json").status_code == 404
    response = api_as(world.other_staff).post(f"{API}/coaches/{new.pk}/vet/", {"vetted": True}, format="json")
    assert response.status_code == 200
    new.refresh_from_db()
    assert new.is_vetted and new.vetted_by == world.other_staff and new.vetted_at


def test_marketplace_is_for_coaches(api_as, world):
    request = coaching_request(world.learner, cohort=world.cohort)
    items = api_as(world.coach).get(f"{API}/marketplace/").json()
    assert [i["request"]["id"] for i in items] == [request.pk]
    assert api_as(world.learner).get(f"{API}/marketplace/").status_code == 403
    offer = api_as(world.coach).post(f"{API}/requests/{request.pk}/offer/", {"message": "Je peux aider."}, format="json")
    assert offer.status_code == 201
    confirmed = api_as(world.learner).post(f"{API}/proposals/{offer.json()['id']}/confirm/", format="json")
    assert confirmed.status_code == 200
    again = api_as(world.staff).post(f"{API}/proposals/{offer.json()['id']}/confirm/", format="json")
    assert again.status_code == 400
    assert CoachingRequest.objects.get(pk=request.pk).status == "matched"
