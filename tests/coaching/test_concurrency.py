"""Races on PostgreSQL: parallel confirmations of one request, and over one coach's hours.

Each thread has its own database connection and waits at a barrier, so the confirmations really
overlap; the service locks the request then the coach (select_for_update) and re-checks inside the
lock. One wins; the other gets a sentence saying why."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import User
from coaching import services
from coaching.models import CoachingRequest, Mission, Proposal

from .factories import coaching_request

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 5


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (select_for_update) need PostgreSQL: run with DATABASE_URL=postgres://... to test the races.")


def race(calls: list[tuple]) -> list[str]:
    """Run (service, proposal id, user id) calls at the same moment; return "ok" or the error, in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = [""] * len(calls)

    def run(index, service, proposal_id, user_id):
        try:
            proposal = Proposal.objects.select_related("request", "coach").get(pk=proposal_id)
            user = User.objects.get(pk=user_id)
            barrier.wait(timeout=10)
            services.__dict__[service](proposal=proposal, by=user)
            results[index] = "ok"
        except ValidationError as error:
            results[index] = " ".join(error.messages)
        except Exception as error:  # noqa: BLE001 - reported to the test, which then fails
            results[index] = f"unexpected {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_confirmations_of_the_same_request(world):
    for _round in range(ROUNDS):
        request = coaching_request(world.learner, cohort=world.cohort, intermediary=world.intermediary)
        first = services.offer_create(request=request, by=world.coach)
        second = services.offer_create(request=request, by=world.other_coach)
        results = race([("offer_confirm", first.pk, world.staff.pk), ("offer_confirm", second.pk, world.learner.pk)])
        refused = "This request already has a coach or is closed: there is nothing left to confirm."
        assert sorted(results) == sorted(["ok", refused]), results
        assert Mission.objects.filter(request=request).count() == 1
        request.refresh_from_db()
        assert request.status == CoachingRequest.Status.MATCHED
        assert request.transitions.filter(to_status="matched").count() == 1
        services.request_cancel(request=request, by=world.learner)  # frees the coach for the next round


def test_two_acceptances_over_one_coachs_capacity(world, other_learner):
    world.coach_profile.monthly_capacity_hours = 4
    world.coach_profile.save()
    for _round in range(ROUNDS):
        # Each request takes 3 hours a month: the coach can take one, not both.
        # Each is tied to the cohort of the staff who propose (issue 10: staff follow their cohorts' requests only).
        other_cohort = world.other_learner.cohort_memberships.get().cohort
        a = coaching_request(world.learner, hours_wanted=9, cohort=world.cohort)
        b = coaching_request(world.other_learner, hours_wanted=9, cohort=other_cohort)
        pa = services.proposal_create(request=a, coach=world.coach_profile, by=world.staff)
        pb = services.proposal_create(request=b, coach=world.coach_profile, by=world.other_staff)
        results = race([("proposal_accept", pa.pk, world.coach.pk), ("proposal_accept", pb.pk, world.coach.pk)])
        assert results.count("ok") == 1, results
        [error] = [r for r in results if r != "ok"]
        assert "has 1 hours a month left and this mission needs 3" in error
        assert Mission.objects.filter(coach=world.coach_profile, request__status="matched").count() == 1
        for request in (a, b):
            request.refresh_from_db()
            services.request_cancel(request=request, by=request.learner)


def test_a_confirmation_and_an_acceptance_racing_on_the_same_request(world):
    for _round in range(ROUNDS):
        request = coaching_request(world.learner, cohort=world.cohort, intermediary=world.intermediary)
        proposal = services.proposal_create(request=request, coach=world.coach_profile, by=world.staff)
        offer = services.offer_create(request=request, by=world.other_coach)
        results = race([("proposal_accept", proposal.pk, world.coach.pk), ("offer_confirm", offer.pk, world.learner.pk)])
        assert results.count("ok") == 1, results
        assert Mission.objects.filter(request=request).count() == 1
        services.request_cancel(request=request, by=world.learner)
