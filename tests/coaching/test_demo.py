"""The coaching demo data: defensive without content, idempotent, something real for every role."""
import io

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from coaching import demo
from coaching.models import CoachingRequest, CoachProfile, Feedback, Mission, Proposal, Session
from tests.coaching.conftest import fr

from .factories import CertificateFactory, ModuleFactory, all_topics, topic

pytestmark = pytest.mark.django_db


def run_seed() -> tuple[dict, str]:
    context: dict = {}
    accounts_demo.seed(context)
    out = io.StringIO()
    demo.seed(context, stdout=out)
    return context, out.getvalue()


def test_without_content_it_skips_with_a_message():
    from courses.models import Topic

    Topic.objects.all().delete()  # a migration creates them; a broken site may not have them
    _context, output = run_seed()
    assert "import_content" in output
    assert CoachProfile.objects.count() == 0


def test_without_the_module_the_request_is_created_without_it(client):
    all_topics()
    context, output = run_seed()
    assert "basic-finance not found" in output
    users = context["users"]
    assert CoachProfile.objects.filter(is_vetted=True).count() == 4
    coach = CoachProfile.objects.get(user=users["coach"])
    assert {s.topic.key for s in coach.skills.all() if s.topic} == {"finance", "communication"}
    assert {lang.language for lang in coach.languages.all()} == {"fr", "zh-hans"}
    assert (coach.city, coach.works_remotely) == ("Lyon", True)
    request = CoachingRequest.objects.get(learner=users["learner"])
    assert (request.module, request.status) == (None, CoachingRequest.Status.PROPOSED)
    assert Proposal.objects.get(request=request).coach == coach
    mission = Mission.objects.get(request__learner=users["learner_zh"])
    assert mission.request.status == CoachingRequest.Status.COMPLETED
    assert Session.objects.filter(mission=mission).count() == 3 and Feedback.objects.filter(mission=mission).count() == 2

    # Every demo role finds something real on the coaching pages.
    client.force_login(users["learner"])
    assert "Finance" in client.get(reverse("coaching:home")).content.decode()
    client.force_login(users["coach"])
    assert fr("Please answer") in client.get(reverse("coaching:home")).content.decode()
    client.force_login(users["staff"])
    page = client.get(reverse("coaching:home")).content.decode()
    assert users["learner"].display_name in page
    client.force_login(users["learner_zh"])
    assert client.get(reverse("coaching:mission-detail", args=[mission.pk])).status_code == 200


def test_with_a_certificate_it_is_used_and_a_second_run_changes_nothing():
    all_topics()
    context: dict = {}
    accounts_demo.seed(context)
    module = ModuleFactory(slug="basic-finance", topic=topic("finance"))
    certificate = CertificateFactory(user=context["users"]["learner"], module=module)
    demo.seed(context)
    demo.seed(context)
    request = CoachingRequest.objects.get(learner=context["users"]["learner"])
    assert (request.module, request.certificate) == (module, certificate)
    assert CoachingRequest.objects.count() == 2 and Mission.objects.count() == 1 and Proposal.objects.count() == 2
    assert CoachProfile.objects.count() == 4
