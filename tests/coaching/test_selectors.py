"""Reads: who sees which request, the marketplace, the ranking from the database, the cohort summary."""
import datetime as dt

import pytest
from django.utils import timezone

from coaching import selectors, services
from coaching.models import CoachingRequest, Feedback, Mission
from tests.factories import IntermediaryStaffFactory, UserFactory

from .factories import CohortFactory, CohortMembershipFactory, coach_profile, coaching_request, diagnostic_response, topic

Status = CoachingRequest.Status
pytestmark = pytest.mark.django_db


def _cohort_of(user):
    from cohorts.models import CohortMembership

    return CohortMembership.objects.filter(user=user).first().cohort


def test_staff_see_requests_of_their_cohorts_only(world):
    """Issue 10: through a request tied to one of their cohorts where the learner is active — not
    because they opened it, nor because the learner is somewhere in their intermediary."""
    mine = coaching_request(world.learner, cohort=world.cohort)
    elsewhere = coaching_request(world.other_learner, cohort=_cohort_of(world.other_learner))
    draft = coaching_request(world.learner, topic_key="strategy", status=Status.DRAFT, cohort=world.cohort)
    no_cohort = coaching_request(world.learner, topic_key="volunteers", intermediary=world.intermediary)
    assert list(selectors.request_list_for_staff(user=world.staff)) == [mine]
    assert list(selectors.request_list_for_staff(user=world.other_staff)) == [elsewhere]
    # A draft staff opened in one of their cohorts is theirs; one for someone outside them is not.
    opened = coaching_request(world.learner, topic_key="governance", status=Status.DRAFT, created_by=world.staff,
                              cohort=world.cohort)
    outside = coaching_request(world.other_learner, topic_key="governance", status=Status.DRAFT, created_by=world.staff,
                               cohort=_cohort_of(world.other_learner))
    assert set(selectors.request_list_for_staff(user=world.staff)) == {mine, opened}
    assert draft not in selectors.request_list_for_staff(user=world.staff)
    assert no_cohort not in selectors.request_list_for_staff(user=world.staff)
    assert outside not in selectors.request_list_for_staff(user=world.staff)
    assert list(selectors.request_list_for_staff(user=world.coach)) == []


def test_a_coach_sees_the_requests_proposed_to_them_and_the_marketplace_that_fits(world):
    fits = coaching_request(world.learner, cohort=world.cohort)
    chinese = coaching_request(world.other_learner, languages=["zh-hans"])
    other_topic = coaching_request(world.other_learner, topic_key="communication")
    far_in_person = coaching_request(UserFactory(is_learner=True), format="in_person", city="Chengdu", country="CN")
    market = [item.request for item in selectors.marketplace_list(user=world.coach)]
    assert market == [fits]
    assert selectors.request_roles(user=world.coach, request=fits) == {"coach"}
    for request in (chinese, other_topic, far_in_person):
        assert selectors.request_roles(user=world.coach, request=request) == set()
    assert list(selectors.request_list_for_coach(user=world.coach)) == []
    # Once proposed to them, a request is theirs to see even when it no longer fits the marketplace.
    services.proposal_create(request=fits, coach=world.coach_profile, by=world.staff)
    assert list(selectors.request_list_for_coach(user=world.coach)) == [fits]
    assert list(selectors.request_list_for_coach(user=world.other_coach)) == []


def test_unvetted_coaches_have_no_marketplace(world):
    coaching_request(world.learner)
    world.coach_profile.is_vetted = False
    world.coach_profile.save()
    assert selectors.marketplace_list(user=world.coach) == []


def test_ranking_from_the_database_uses_load_feedback_and_recency(world, django_assert_num_queries):
    request = coaching_request(world.learner)
    # The first coach is busy with a mission that went well, long ago.
    past = coaching_request(world.other_learner, status=Status.COMPLETED)
    done = Mission.objects.create(request=past, coach=world.coach_profile, monthly_hours=2)
    Mission.objects.filter(pk=done.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    Feedback.objects.create(mission=done, role="learner", rating=5)
    running = coaching_request(UserFactory(is_learner=True), status=Status.IN_PROGRESS)
    current = Mission.objects.create(request=running, coach=world.coach_profile, monthly_hours=4)
    Mission.objects.filter(pk=current.pk).update(created_at=timezone.now() - dt.timedelta(days=30, hours=1))
    for _ in range(5):
        coach_profile(topics={"finance": 2}, languages={"fr": 2})
    with django_assert_num_queries(8):
        ranking = selectors.coach_ranking(request=request)
    first = ranking.candidate_for(world.coach_profile.pk)
    parts = {c.key: c.details for c in first.components}
    assert parts["load"] == {"committed": 4, "capacity": 10}
    assert parts["feedback"] == {"mean": 5.0, "count": 1}
    assert parts["recency"] == {"days": 30}  # the latest mission counts
    assert ranking.eligible[0].coach.profile_id == world.coach_profile.pk
    assert len(ranking.eligible) == 7


def _completed_mission(learner, coach, cohort, *, before, after, minutes, rating, area="finance"):
    request = coaching_request(learner, topic_key=area, status=Status.COMPLETED, cohort=cohort, diagnostic_before=before,
                               diagnostic_score_before=before.scores.get(area) if before else None)
    completed_at = timezone.now() - dt.timedelta(days=10)
    mission = Mission.objects.create(request=request, coach=coach, monthly_hours=2, minutes_logged=minutes, completed_at=completed_at)
    if after is not None:
        diagnostic_response(learner, after, at=completed_at + dt.timedelta(days=2))
    if rating:
        Feedback.objects.create(mission=mission, role="learner", rating=rating)
        Feedback.objects.create(mission=mission, role="coach", rating=1)  # coaches' ratings are not the learners' satisfaction
    return mission


def test_cohort_coaching_summary(world, django_assert_num_queries):
    cohort, other = world.cohort, CohortFactory(intermediary=world.intermediary)
    empty = CohortFactory(intermediary=world.intermediary)
    CohortMembershipFactory(cohort=other, user=world.learner)
    a, b, c = (UserFactory(is_learner=True) for _ in range(3))
    for learner in (a, b, c):
        CohortMembershipFactory(cohort=cohort, user=learner)
    before_a = diagnostic_response(a, {"finance": 30}, at=timezone.now() - dt.timedelta(days=100))
    before_b = diagnostic_response(b, {"finance": 50, "strategy": 20}, at=timezone.now() - dt.timedelta(days=100))
    _completed_mission(a, world.coach_profile, cohort, before=before_a, after={"finance": 55}, minutes=240, rating=5)
    _completed_mission(b, world.other_coach_profile, cohort, before=before_b, after={"finance": 45}, minutes=90, rating=4)
    # Completed, but no diagnostic after: counted as completed, not in the change.
    _completed_mission(c, world.coach_profile, cohort, before=None, after=None, minutes=60, rating=None)
    running = coaching_request(world.learner, status=Status.IN_PROGRESS, cohort=cohort)
    Mission.objects.create(request=running, coach=world.coach_profile, monthly_hours=2, minutes_logged=30)
    coaching_request(world.learner, topic_key="strategy", status=Status.OPEN, cohort=cohort)
    coaching_request(world.learner, topic_key="volunteers", status=Status.DRAFT, cohort=cohort)
    coaching_request(world.learner, topic_key="governance", status=Status.OPEN, cohort=other)

    with django_assert_num_queries(4):
        summary = selectors.cohort_coaching_summary(cohort_ids=[cohort.pk, other.pk, empty.pk])

    assert summary[cohort.pk] == {"requested": 5, "matched": 4, "in_progress": 1, "completed": 3, "hours_given": 7.0,
                                  "satisfaction": 4.5, "diagnostic_change": 10.0}  # (+25 and −5) / 2
    assert summary[other.pk] == {"requested": 1, "matched": 0, "in_progress": 0, "completed": 0, "hours_given": 0.0,
                                 "satisfaction": None, "diagnostic_change": None}
    assert summary[empty.pk]["requested"] == 0
    assert selectors.cohort_coaching_summary(cohort_ids=[]) == {}


def test_the_summary_takes_a_fixed_number_of_queries_whatever_the_size(world, django_assert_num_queries):
    cohorts = [CohortFactory(intermediary=world.intermediary) for _ in range(4)]
    for index in range(24):
        learner = UserFactory(is_learner=True)
        CohortMembershipFactory(cohort=cohorts[index % 4], user=learner)
        before = diagnostic_response(learner, {"finance": 40}, at=timezone.now() - dt.timedelta(days=90))
        _completed_mission(learner, world.coach_profile, cohorts[index % 4], before=before, after={"finance": 60},
                           minutes=60, rating=4)
    with django_assert_num_queries(4):
        summary = selectors.cohort_coaching_summary(cohort_ids=[c.pk for c in cohorts])
    assert all(entry["diagnostic_change"] == 20 and entry["completed"] == 6 for entry in summary.values())


def test_prefill_chooses_the_cohort_that_has_the_module(world):
    from cohorts.models import CohortModule

    later = CohortFactory(intermediary=world.other_intermediary)
    CohortMembershipFactory(cohort=later, user=world.learner)
    prefill = selectors.request_prefill(user=world.learner, module=world.module)
    assert prefill.cohort == later  # the most recent membership
    CohortModule.objects.create(cohort=world.cohort, module=world.module)
    prefill = selectors.request_prefill(user=world.learner, module=world.module)
    assert prefill.cohort == world.cohort
    assert prefill.topic == topic("finance") and prefill.certificate == world.certificate
    assert prefill.module_title == "Gestion financière de base"


def test_staff_of_several_intermediaries(world):
    IntermediaryStaffFactory(intermediary=world.other_intermediary, user=world.staff)
    world.staff.__dict__.pop("_coaching_intermediary_ids", None)
    a = coaching_request(world.learner, cohort=world.cohort)
    b = coaching_request(world.other_learner, cohort=_cohort_of(world.other_learner))
    assert set(selectors.request_list_for_staff(user=world.staff)) == {a, b}


def test_the_cohort_dashboard_shows_the_missions_and_the_change(world, client):
    """The cohort dashboard (cohorts app) reads these figures through ESSOR_COHORT_COACHING_SUMMARY."""
    cohort = world.cohort
    learner = UserFactory(is_learner=True)
    CohortMembershipFactory(cohort=cohort, user=learner)
    before = diagnostic_response(learner, {"finance": 30}, at=timezone.now() - dt.timedelta(days=100))
    _completed_mission(learner, world.coach_profile, cohort, before=before, after={"finance": 55}, minutes=240, rating=5)
    client.force_login(world.staff)
    html = client.get(f"/cohorts/{cohort.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<dd data-figure="coaching">1 / 1</dd>' in html
    assert "1 mission completed" in html and "25 points" in html
    assert f'href="/coaching/cohorts/{cohort.pk}/"' in html
