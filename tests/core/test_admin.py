"""The Django admin (issue 12, item 6): every domain changelist opens for a superuser, modules and the
workflow objects are read-only (their writes go through services), certificates are revoked by the
service, and the admin is branded in the three languages."""
import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from coaching.models import CoachingRequest, CoachProfile, Mission, Proposal, Session
from cohorts.models import Cohort, CohortInvitation, CohortMembership
from courses.models import Module
from learners.models import Certificate, Enrollment
from tests.coaching.conftest import world  # noqa: F401
from tests.coaching.factories import CertificateFactory, coaching_request

pytestmark = pytest.mark.django_db

REGISTERED = [Module, Cohort, CohortMembership, CohortInvitation, Enrollment, Certificate, CoachProfile, CoachingRequest,
              Proposal, Mission, Session]
READ_ONLY = REGISTERED


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True, email="root@example.org")


@pytest.fixture
def mission(world):  # noqa: F811
    from coaching import services

    request = coaching_request(world.learner, cohort=world.cohort)
    mission = services.proposal_accept(proposal=services.proposal_create(request=request, coach=world.coach_profile,
                                                                         by=world.staff), by=world.coach)
    services.session_log(mission=mission, by=world.coach, held_on=timezone.localdate(), duration_minutes=60)
    Enrollment.objects.get_or_create(user=world.learner, module=world.module)
    CohortInvitation.objects.create(cohort=world.cohort, kind="personal", email="invitee@example.org")
    return mission


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_each_changelist_and_change_page_opens(client, superuser, mission, model):
    assert model in admin.site._registry, model
    client.force_login(superuser)
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model.objects.first()
    assert obj is not None, model
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_workflow_objects_are_read_only(rf, superuser, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_the_revoke_action_revokes_through_the_service(client, superuser, world, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(superuser)
    certificate = world.certificate
    url = reverse("admin:learners_certificate_changelist")
    data = {"action": "revoke_certificates", ACTION_CHECKBOX_NAME: [certificate.pk]}
    response = client.post(url, data)
    assert response.status_code == 200 and b'name="reason"' in response.content  # asks for the reason first
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirm": "1", "reason": "Attestation délivrée par erreur."})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_reason == "Attestation délivrée par erreur."
    # The service's rule (a reason is required) answers a blank reason: the action goes through the service.
    other = CertificateFactory(user=world.other_learner, module=world.module)
    response = client.post(url, {"action": "revoke_certificates", ACTION_CHECKBOX_NAME: [other.pk], "confirm": "1",
                                 "reason": "   "}, follow=True)
    assert "Say why the certificate is revoked." in response.content.decode()
    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.parametrize("language", ["fr", "zh-hans", "en"])
def test_the_admin_is_branded_in_each_language(client, superuser, language):
    client.force_login(superuser)
    superuser.preferred_language = language
    superuser.save()
    client.cookies["django_language"] = language
    html = client.get(reverse("admin:index")).content.decode()
    with translation.override(language):
        header = str(admin.site.site_header)
        title = str(admin.site.site_title)
    assert "Django" not in header and escape(header) in html and escape(title) in html
    if language != "en":
        with translation.override("en"):
            assert str(admin.site.site_header) != header
