"""Coaching pages: each role's landing, the pre-filled request, the ranking, the answers, the mission,
and the rule that contact details stay hidden until the match is confirmed."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coaching import services
from coaching.models import CoachingRequest, CoachProfile, Mission, Proposal
from learners.models import Enrollment
from tests.coaching.conftest import fr
from tests.factories import UserFactory

from .factories import coach_profile, coaching_request, diagnostic_response

pytestmark = pytest.mark.django_db
Status = CoachingRequest.Status


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_home_is_role_aware(client_as, world, client):
    assert client.get(reverse("coaching:home")).status_code == 302
    page = html(client_as(world.learner), reverse("coaching:home"))
    assert fr("My coaching requests") in page and "?module=basic-finance" in page
    page = html(client_as(world.coach), reverse("coaching:home"))
    assert "My coaching as a volunteer" in page and reverse("coaching:marketplace") in page
    page = html(client_as(world.staff), reverse("coaching:home"))
    assert "Requests from my cohorts" in page and reverse("coaching:cohort-reports") in page
    # The navigation links the coaching home for these roles.
    assert f'href="{reverse("coaching:home")}"' in page


def test_the_request_form_is_prefilled_from_the_certificate(client_as, world):
    diagnostic_response(world.learner, {"finance": 35})
    Enrollment.objects.create(user=world.learner, module=world.module, content_language="zh-hans")
    client = client_as(world.learner)
    page = html(client, reverse("coaching:request-create") + "?module=basic-finance")
    assert "Gestion financière de base" in page  # the module completed, in the learner's language
    assert fr("%(score)s out of 100", score=35) in page and "Les Jardins" in page and world.cohort.name in page
    assert re.search(r'value="zh-hans"[^>]*checked', page) and re.search(r'name="city"[^>]*value="Lyon"', page)
    response = client.post(reverse("coaching:request-create") + "?module=basic-finance", {
        "module": "basic-finance", "need": "Trésorerie tendue.", "expected_result": "Un plan de trésorerie.",
        "format": "remote", "country": "FR", "city": "Lyon", "time_zone": "Europe/Paris", "hours_wanted": 6,
        "starts_on": timezone.localdate().isoformat(), "ends_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        "languages": ["fr", "zh-hans"], "send": "1"})
    request = CoachingRequest.objects.get(learner=world.learner)
    assert response.status_code == 302 and response["Location"] == reverse("coaching:request-detail", args=[request.pk])
    assert (request.status, request.diagnostic_score_before, request.languages) == (Status.OPEN, 35, ["fr", "zh-hans"])


def test_without_the_certificate_the_form_says_what_to_do(client_as, world):
    page = html(client_as(world.other_learner), reverse("coaching:request-create") + "?module=basic-finance")
    assert "once you hold the certificate of this module" in page and "<textarea" not in page
    html(client_as(world.learner), reverse("coaching:request-create") + "?module=no-such-module", status=404)


def test_staff_rank_and_propose_then_the_coach_accepts(client_as, world):
    request = coaching_request(world.learner, cohort=world.cohort)
    client = client_as(world.staff)
    page = html(client, reverse("coaching:request-ranking", args=[request.pk]))
    assert page.index(world.coach.display_name) < page.index(world.other_coach.display_name)
    assert "Skill fit and level" in page and "Declared level in this topic: Expert." in page
    response = client.post(reverse("coaching:proposal-create", args=[request.pk]), {"coach": world.coach_profile.pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get(request=request)

    client = client_as(world.coach)
    page = html(client, reverse("coaching:proposal-detail", args=[proposal.pk]))
    assert "I accept this mission" in page and "Why this coach" in page
    response = client.post(reverse("coaching:proposal-accept", args=[proposal.pk]))
    mission = Mission.objects.get(request=request)
    assert response["Location"] == reverse("coaching:mission-detail", args=[mission.pk])
    page = html(client, reverse("coaching:mission-detail", args=[mission.pk]))
    assert world.learner.email in page and str(world.learner.phone) in page


def test_ranking_and_mission_pages_are_for_those_who_follow(client_as, world):
    request = coaching_request(world.learner, cohort=world.cohort, languages=["en"])
    url = reverse("coaching:request-ranking", args=[request.pk])
    html(client_as(world.other_staff), url, status=404)
    html(client_as(world.learner), url, status=403)
    html(client_as(world.other_coach), url, status=404)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    mission = services.proposal_accept(proposal=proposal, by=world.coach)
    url = reverse("coaching:mission-detail", args=[mission.pk])
    for user in (world.other_learner, world.other_coach, world.other_staff):
        html(client_as(user), url, status=404)
    page = html(client_as(world.staff), url)
    assert world.learner.email in page and world.coach.email in page


def test_a_declined_proposal_shows_the_reason_to_staff(client_as, world):
    request = coaching_request(world.learner, cohort=world.cohort)
    proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
    client_as(world.coach).post(reverse("coaching:proposal-decline", args=[proposal.pk]), {"reason": "En congé en mars."})
    page = html(client_as(world.staff), reverse("coaching:request-ranking", args=[request.pk]))
    assert "En congé en mars." in page and "Already declined this request." in page


def test_the_mission_page_runs_the_whole_mission(client_as, world):
    request = coaching_request(world.learner, cohort=world.cohort)
    mission = services.proposal_accept(proposal=services.proposal_create(request=request, coach=world.coach_profile,
                                                                         by=world.staff), by=world.coach)
    url = reverse("coaching:mission-detail", args=[mission.pk])
    coach, learner = client_as(world.coach), None
    coach.post(reverse("coaching:mission-objectives", args=[mission.pk]), {"objectives": "Un budget 2027 voté."})
    coach.post(reverse("coaching:session-create", args=[mission.pk]),
               {"held_on": timezone.localdate().isoformat(), "duration_minutes": 90, "notes": "Lecture du budget."})
    response = coach.post(reverse("coaching:session-create", args=[mission.pk]),
                          {"held_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(), "duration_minutes": 60})
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    coach.post(reverse("coaching:mission-complete", args=[mission.pk]))
    learner = client_as(world.learner)
    page = html(learner, url)
    assert "Lecture du budget." in page and fr("I agree with these objectives") in page
    assert fr("%(name)s considers the mission completed. Do you agree?", name=escape(world.coach.display_name)) in page
    learner.post(reverse("coaching:mission-objectives-agree", args=[mission.pk]))
    learner.post(reverse("coaching:mission-complete", args=[mission.pk]))
    learner.post(reverse("coaching:feedback-create", args=[mission.pk]), {"rating": "5", "comment": "Merci !"})
    page = html(learner, url)
    assert "Merci !" in page and fr("Retake the self-diagnostic") in page
    mission.refresh_from_db()
    assert mission.request.status == Status.COMPLETED and mission.objectives_agreed_at


def test_coach_profile_form(client_as, world, coach):
    user = world.other_learner
    user.is_coach = True
    user.save()
    client = client_as(user)
    page = html(client, reverse("coaching:coach-profile"))
    assert 'name="skill_finance"' in page and 'name="language_zh-hans"' in page
    response = client.post(reverse("coaching:coach-profile"), {
        "skill_finance": "3", "skill_communication": "2", "tag_0": "Excel", "tag_0_level": "3", "tag_1_level": "2",
        "tag_2_level": "2", "language_fr": "3", "language_zh-hans": "2", "country": "FR", "city": "Lyon",
        "works_remotely": "on", "time_zone": "Europe/Paris", "monthly_capacity_hours": "6"})
    assert response.status_code == 302, response.content.decode()
    profile = CoachProfile.objects.get(user=user)
    assert not profile.is_vetted
    assert {(s.topic.key if s.topic else s.tag, s.level) for s in profile.skills.all()} == {("finance", 3), ("communication", 2),
                                                                                            ("Excel", 3)}
    response = client.post(reverse("coaching:coach-profile"), {"country": "FR", "time_zone": "Europe/Paris",
                                                               "monthly_capacity_hours": "6", "works_remotely": "on",
                                                               "skill_finance": "3"})
    assert "Add at least one language" in response.content.decode()
    html(client_as(world.learner), reverse("coaching:coach-profile"), status=403)


def test_staff_vet_coaches(client_as, world):
    profile = coach_profile(vetted=False)
    html(client_as(world.coach), reverse("coaching:coach-list"), status=403)
    client = client_as(world.staff)
    assert profile.user.display_name in html(client, reverse("coaching:coach-list"))
    client.post(reverse("coaching:coach-vet", args=[profile.pk]), {"vetted": "1"})
    profile.refresh_from_db()
    assert profile.is_vetted and profile.vetted_by == world.staff


def test_cohort_reports_are_for_the_cohorts_own_staff(client_as, world):
    request = coaching_request(world.learner, cohort=world.cohort)
    services.proposal_accept(proposal=services.proposal_create(request=request, coach=world.coach_profile, by=world.staff),
                             by=world.coach)
    page = html(client_as(world.staff), reverse("coaching:cohort-reports"))
    assert world.cohort.name in page
    page = html(client_as(world.staff), reverse("coaching:cohort-report", args=[world.cohort.pk]))
    assert world.learner.display_name in page and world.coach.display_name in page
    html(client_as(world.other_staff), reverse("coaching:cohort-report", args=[world.cohort.pk]), status=404)
    html(client_as(world.learner), reverse("coaching:cohort-reports"), status=403)


def test_cohort_report_shows_self_diagnostics_only_as_the_cohorts_average(client_as, world):
    """docs/cohorts.md: staff see the cohort's average change in the self-diagnostic, never a learner's scores
    (the attack review found each learner's before → after on this page)."""
    from cohorts.models import CohortMembership

    from .test_selectors import _completed_mission

    a, b = (UserFactory(is_learner=True) for _ in range(2))
    for learner in (a, b):
        CohortMembership.objects.create(cohort=world.cohort, user=learner)
    before_a = diagnostic_response(a, {"finance": 31}, at=timezone.now() - dt.timedelta(days=100))
    before_b = diagnostic_response(b, {"finance": 47}, at=timezone.now() - dt.timedelta(days=100))
    _completed_mission(a, world.coach_profile, world.cohort, before=before_a, after={"finance": 58}, minutes=120, rating=5)
    _completed_mission(b, world.coach_profile, world.cohort, before=before_b, after={"finance": 44}, minutes=60, rating=4)

    page = html(client_as(world.staff), reverse("coaching:cohort-report", args=[world.cohort.pk]))
    assert a.display_name in page and b.display_name in page
    assert "+12" in page  # the average: (+27 and −3) / 2
    cells = re.sub(r"<[^>]+>", " ", page)
    for score in ("31", "58", "+27", "47", "44", "−3", "-3"):
        assert not re.search(rf"(?<![\d.]){re.escape(score)}(?![\d.])", cells), score


# --- Contact details stay hidden until the match is confirmed -------------------------------------------

def _every_response(client, urls: list[str]) -> str:
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def test_no_contact_detail_reaches_the_other_side_before_confirmation(client_as, api_as, world, django_capture_on_commit_callbacks):
    from django.core import mail

    request = coaching_request(world.learner, cohort=world.cohort, intermediary=world.intermediary)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
        offer = services.offer_create(request=request, by=world.other_coach, message="Disponible.")
    learner_secrets = [world.learner.email, str(world.learner.phone)]
    coach_secrets = [world.coach.email, str(world.coach.phone), world.other_coach.email, str(world.other_coach.phone)]
    pages = [reverse("coaching:home"), reverse("coaching:marketplace"), reverse("coaching:request-detail", args=[request.pk]),
             reverse("coaching:proposal-detail", args=[proposal.pk]), reverse("coaching:proposal-detail", args=[offer.pk]),
             reverse("coaching:request-ranking", args=[request.pk])]
    api = ["/api/v1/coaching/requests/", f"/api/v1/coaching/requests/{request.pk}/", "/api/v1/coaching/proposals/",
           f"/api/v1/coaching/proposals/{proposal.pk}/", f"/api/v1/coaching/proposals/{offer.pk}/", "/api/v1/coaching/marketplace/",
           "/api/v1/coaching/missions/"]

    for coach in (world.coach, world.other_coach):
        seen = _every_response(client_as(coach), pages) + _every_response(api_as(coach), api)
        assert world.learner.display_name in seen  # the request is visible...
        for secret in learner_secrets:
            assert secret not in seen  # ...without the learner's contact details
    seen = _every_response(client_as(world.learner), pages) + _every_response(api_as(world.learner), api)
    assert world.other_coach.display_name in seen
    for secret in coach_secrets:
        assert secret not in seen
    # Nor in the emails each side received.
    for message in mail.outbox:
        others = coach_secrets if message.to == [world.learner.email] else learner_secrets
        assert not any(secret in message.body for secret in others)

    # Once confirmed, both sides see each other's details on the mission.
    mission = services.offer_confirm(proposal=offer, by=world.learner)
    page = html(client_as(world.learner), reverse("coaching:mission-detail", args=[mission.pk]))
    assert world.other_coach.email in page and str(world.other_coach.phone) in page
    body = api_as(world.other_coach).get(f"/api/v1/coaching/missions/{mission.pk}/").json()
    assert body["contacts"]["learner"]["email"] == world.learner.email
    # The coach whose proposal was closed still sees nothing of the learner.
    seen = _every_response(client_as(world.coach), pages) + _every_response(api_as(world.coach), api)
    assert not any(secret in seen for secret in learner_secrets)


def test_staff_open_a_request_for_a_learner_from_their_record(client_as, world):
    client = client_as(world.staff)
    page = html(client, reverse("coaching:request-open-for"))
    assert world.learner.display_name in page and world.other_learner.display_name not in page
    response = client.post(reverse("coaching:request-open-for"), {
        "learner": world.learner.pk, "topic": world.module.topic.pk, "need": "Structurer le bureau.",
        "expected_result": "Des statuts à jour.", "format": "in_person", "hours_wanted": 4,
        "starts_on": timezone.localdate().isoformat(), "ends_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()})
    request = CoachingRequest.objects.get(learner=world.learner)
    assert response["Location"] == reverse("coaching:request-ranking", args=[request.pk])
    assert (request.city, request.languages, request.created_by, request.intermediary) == ("Lyon", ["fr"], world.staff,
                                                                                          world.intermediary)


def test_the_ranking_shows_whole_points_without_a_decimal(client_as, world):
    """Scores are sums of whole points: "35 / 35", not "35.0 / 35" (a false precision seen on every ranking)."""
    import re

    request = coaching_request(world.learner, cohort=world.cohort, languages=["en"])
    page = html(client_as(world.staff), reverse("coaching:request-ranking", args=[request.pk]))
    points = re.findall(r'class="points">\s*([^<]*?)\s*</td>', page)
    assert points and not any(".0" in value for value in points), points
    assert not re.search(r'class="score">\s*\d+\.0\b', page)
