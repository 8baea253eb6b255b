"""The coaching loop as the pro bono platforms run it (issue #17): a cap on a coach's pending proposals
and a response deadline in business days shown to the coach."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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

    for key in topics[1:]:
        CoachSkill.objects.get_or_create(profile=world.coach_profile, topic=topic(key), defaults={"level": 3})
    requests = []
    for key in topics:
        learner = UserFactory(is_learner=True, association=AssociationFactory(city="Lyon"))
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
