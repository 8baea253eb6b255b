"""Fixtures of the impact tests: an intermediary with cohorts whose learners progress through the
real services (so the stored aggregates are the ones events keep), coaching rows, a network."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coaching.models import CoachingRequest, Feedback, Mission, Session
from impact.models import Network, NetworkMembership, NetworkStaff
from learners.services import lesson_progress_record, quiz_attempt_submit
from tests.coaching.factories import coach_profile, coaching_request
from tests.cohorts.factories import cohort_for, member
from tests.factories import AssociationFactory, IntermediaryStaffFactory, UserFactory
from tests.learners.factories import module_with_lessons, quiz_answers


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def module_a(db):
    return module_with_lessons(lessons=2, questions=1, slug="impact-money")


@pytest.fixture
def module_b(db):
    return module_with_lessons(lessons=1, questions=0, slug="impact-volunteers")


def populate(cohort, *, learners: int, complete: int = 0, start: int = 0, prefix: str = "L") -> list:
    """`learners` members; the first `complete` complete module A (quiz passed: a certificate), the next `start` start it."""
    module = cohort.cohort_modules.order_by("position").first().module
    people = []
    for n in range(learners):
        user = member(cohort, UserFactory(is_learner=True, display_name=f"{prefix} Secretname {cohort.pk}-{n}",
                                          email=f"{prefix.lower()}{cohort.pk}-{n}@secret.example.org",
                                          association=AssociationFactory(name=f"Asso {prefix}{cohort.pk}-{n}", city="Lyon")))
        people.append(user)
        lessons = list(module.lessons.all())
        if n < complete:
            for lesson in lessons:
                lesson_progress_record(user=user, lesson=lesson)
            if hasattr(module, "quiz"):
                quiz_attempt_submit(user=user, quiz=module.quiz, answers=quiz_answers(module))
        elif n < complete + start:
            lesson_progress_record(user=user, lesson=lessons[0])
    return people


def mission(learner, cohort, coach, *, minutes: int = 90, completed: bool = True, comment: str = "", consent: bool = False):
    request = coaching_request(learner, cohort=cohort, intermediary=cohort.intermediary,
                               status=CoachingRequest.Status.COMPLETED if completed else CoachingRequest.Status.MATCHED)
    m = Mission.objects.create(request=request, coach=coach, monthly_hours=2, minutes_logged=minutes, session_count=1,
                               completed_at=timezone.now() if completed else None)
    Session.objects.create(mission=m, held_on=timezone.localdate(), duration_minutes=minutes)
    if comment:
        fields = {"share_consent": consent} if hasattr(Feedback, "share_consent") else {}
        Feedback.objects.create(mission=m, author=learner, role=Feedback.Role.LEARNER, rating=5, comment=comment, **fields)
    return m


@pytest.fixture
def world(db, staff, intermediary, module_a, module_b, coach):
    """Two cohorts of our intermediary (8 and 3 learners) and a third intermediary's cohort of 6."""
    c1 = cohort_for(staff, module_list=[module_a, module_b], name="Lyon spring")
    c2 = cohort_for(staff, module_list=[module_a], name="Lyon autumn")
    p1 = populate(c1, learners=8, complete=6, start=1, prefix="A")
    p2 = populate(c2, learners=3, complete=1, prefix="B")
    other_staff = IntermediaryStaffFactory(is_manager=True).user
    c3 = cohort_for(other_staff, module_list=[module_a], name="Shanghai cohort")
    p3 = populate(c3, learners=6, complete=5, prefix="C")
    profile = coach_profile(coach)
    for user in p1[:5]:
        mission(user, c1, profile, minutes=120, comment=f"Our budget is voted on time now ({len(user.email)})", consent=True)
    mission(p2[0], c2, profile, minutes=60, completed=False, comment="Private words", consent=False)
    return {"c1": c1, "c2": c2, "c3": c3, "p1": p1, "p2": p2, "p3": p3, "other_staff": other_staff, "coach": profile}


@pytest.fixture
def network(world, intermediary):
    """A funder whose network holds our intermediary and the other one (both accepted)."""
    net = Network.objects.create(name="Fondation Solidaire", slug="fondation-solidaire")
    manager = UserFactory(display_name="Network Manager", email="funder@example.org")
    NetworkStaff.objects.create(network=net, user=manager, is_manager=True)
    for inter in (intermediary, world["c3"].intermediary):
        NetworkMembership.objects.create(network=net, intermediary=inter, status=NetworkMembership.Status.ACCEPTED)
    net.manager = manager
    return net


def today() -> dt.date:
    return timezone.localdate()
