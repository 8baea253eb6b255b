"""The audit log (django-auditlog): role, vetting and revocation changes, staff reading a learner's drill-down,
every export; core.audit.record for explicit events; admin pages for admins only."""
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import User
from coaching.services.profiles import coach_vet
from cohorts.models import CohortExport
from core.audit import audit_entries, record
from learners.services import certificate_revoke
from tests.coaching.factories import CertificateFactory, coach_profile
from tests.cohorts.factories import cohort_for, member
from tests.factories import IntermediaryStaffFactory, UserFactory
from tests.learners.factories import module_with_lessons

pytestmark = pytest.mark.django_db


def entries(event: str) -> list[LogEntry]:
    return list(LogEntry.objects.filter(additional_data__event=event).order_by("pk"))


def test_record_writes_an_access_entry_with_actor_target_and_details(staff, learner):
    entry = record(staff, "learner-drilldown", learner, cohort=7)
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == staff and entry.content_type == ContentType.objects.get_for_model(User)
    assert entry.object_pk == str(learner.pk)
    assert entry.additional_data == {"event": "learner-drilldown", "cohort": 7}
    assert list(audit_entries(target=learner, event="learner-drilldown")) == [entry]
    assert entry in audit_entries(target=learner)  # with the model changes (its creation)


def test_role_changes_are_logged_with_their_author(client, admin_user):
    user = UserFactory()
    client.force_login(admin_user)
    user.is_trainer = True
    user.save()
    entry = LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["is_trainer"] == ["False", "True"]
    # A change to fields that are not roles (the last log-in, the name) writes nothing.
    user.display_name = "Someone else"
    user.save()
    assert LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE).count() == 1
    staff_member = IntermediaryStaffFactory(user=user)
    assert LogEntry.objects.get_for_object(staff_member).filter(action=LogEntry.Action.CREATE).exists()


def test_vetting_and_unvetting_a_coach_are_logged(staff, coach):
    profile = coach_profile(coach, vetted=False)
    coach_vet(profile=profile, by=staff)
    coach_vet(profile=profile, by=staff, vetted=False)
    changes = [entry.changes_dict["is_vetted"] for entry in
               LogEntry.objects.get_for_object(profile).filter(action=LogEntry.Action.UPDATE).order_by("pk")]
    assert changes == [["False", "True"], ["True", "False"]]


def test_a_certificate_revocation_is_logged_with_its_reason(admin_user):
    certificate = CertificateFactory()
    certificate_revoke(certificate=certificate, reason="Copied answers")
    [entry] = entries("certificate-revoked")
    assert entry.object_pk == str(certificate.pk) and entry.additional_data["reason"] == "Copied answers"


def test_staff_opening_a_learners_drill_down_is_logged_on_the_page_and_the_api(client, api_as, staff):
    cohort = cohort_for(staff, module_list=[module_with_lessons(lessons=1, questions=0, slug="audit-m")])
    learner = member(cohort, display_name="Léa")
    client.force_login(staff)
    assert client.get(f"/cohorts/{cohort.pk}/learners/{learner.pk}/", HTTP_X_FORWARDED_FOR="6.6.6.6").status_code == 200
    assert api_as(staff).get(f"/api/v1/cohorts/{cohort.pk}/learners/{learner.pk}/").status_code == 200
    logged = entries("learner-drilldown")
    assert [(e.actor_id, e.object_pk, e.additional_data["cohort"]) for e in logged] == [(staff.pk, str(learner.pk), cohort.pk)] * 2
    assert logged[0].remote_addr == "127.0.0.1"  # the real address, not the spoofed header


def test_every_export_request_and_download_is_logged(client, staff, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    cohort = cohort_for(staff, module_list=[module_with_lessons(lessons=1, questions=0, slug="audit-e")])
    member(cohort)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cohorts/{cohort.pk}/exports/", {"format": "csv"})
    export = CohortExport.objects.get()
    assert client.get(f"/cohorts/{cohort.pk}/exports/{export.pk}/download/").status_code == 200
    assert [(e.actor_id, e.additional_data["format"]) for e in entries("export-requested")] == [(staff.pk, "csv")]
    assert [e.object_pk for e in entries("export-downloaded")] == [str(export.pk)]


def test_the_audit_log_is_browsed_by_admins_only(client, admin_user, staff):
    entry = record(admin_user, "export-downloaded", staff, note="x")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:auditlog_logentry_changelist") + "?q=export")
    assert listing.status_code == 200 and "export-downloaded" in listing.content.decode()
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code == 200
    # A site-staff account that is not an admin, even with every permission on log entries, sees nothing.
    clerk = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="auditlog"))
    client.force_login(clerk)
    # /admin/ lets superusers only in (config/urls.py): anyone else is sent to the admin's log-in page.
    response = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
