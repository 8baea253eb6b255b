"""The cohorts API, one happy path per endpoint, and the OpenAPI schema."""
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.models import CohortExport, CohortMembership

from .factories import link, member, seeded_cohort

pytestmark = pytest.mark.django_db


def test_create_list_read_and_update_a_cohort(api_as, staff, module_a, module_b, django_capture_on_commit_callbacks):
    api = api_as(staff)
    response = api.post("/api/v1/cohorts/", {
        "intermediary": staff.staff_memberships.get().intermediary_id, "name": "API cohort", "language": "zh-hans",
        "facilitators": [staff.pk], "modules": [{"module": module_b.pk, "target_date": "2026-07-01"}, {"module": module_a.pk}],
    }, format="json")
    assert response.status_code == 201, response.json()
    cohort = response.json()
    assert [m["slug"] for m in cohort["module_list"]] == ["volunteers", "money-basics"]
    assert cohort["module_list"][0]["target_date"] == "2026-07-01"
    assert api.get("/api/v1/cohorts/").json()["results"][0]["id"] == cohort["id"]
    with django_capture_on_commit_callbacks(execute=True):
        patched = api.patch(f"/api/v1/cohorts/{cohort['id']}/", {"name": "Renamed", "stalled_after_days": 7}, format="json")
    assert patched.status_code == 200 and patched.json()["name"] == "Renamed" and len(patched.json()["module_list"]) == 2
    bad = api.patch(f"/api/v1/cohorts/{cohort['id']}/", {"modules": []}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["message"] == "Choose at least one module for the cohort."


def test_memberships_join_and_leave(api_as, staff, cohort, learner, module_a):
    invitation = link(cohort)
    joined = api_as(learner).post("/api/v1/cohorts/join/", {"code": invitation.code_display}, format="json")
    assert joined.status_code == 201 and joined.json()["cohort"] == cohort.pk
    assert api_as(learner).post("/api/v1/cohorts/join/", {"token": invitation.token}, format="json").status_code == 200
    assert api_as(learner).post("/api/v1/cohorts/join/", {"code": "ZZZZ-ZZZZ"}, format="json").status_code == 404
    members = api_as(staff).get(f"/api/v1/cohorts/{cohort.pk}/memberships/").json()
    assert [m["user_id"] for m in members["results"]] == [learner.pk]
    mine = api_as(learner).get("/api/v1/cohort-memberships/").json()
    assert mine[0]["facilitators"] == [staff.display_name]
    left = api_as(learner).post(f"/api/v1/cohort-memberships/{mine[0]['id']}/leave/")
    assert left.status_code == 200
    assert CohortMembership.objects.get(user=learner).status == "left"


def test_staff_remove_a_member(api_as, staff, cohort):
    user = member(cohort)
    assert api_as(staff).delete(f"/api/v1/cohorts/{cohort.pk}/memberships/{user.pk}/").status_code == 204
    assert api_as(staff).delete(f"/api/v1/cohorts/{cohort.pk}/memberships/{user.pk}/").status_code == 404


def test_invitations_and_csv_dry_run_then_confirm(api_as, staff, cohort, django_capture_on_commit_callbacks):
    api = api_as(staff)
    created = api.post(f"/api/v1/cohorts/{cohort.pk}/invitations/", {"max_uses": 10, "label": "Flyer"}, format="json").json()
    assert created["state"] == "open" and created["url"].endswith(f"/cohorts/join/{created['url'].split('/')[-2]}/")
    assert api.post(f"/api/v1/cohorts/{cohort.pk}/invitations/{created['id']}/revoke/").json()["state"] == "revoked"
    upload = SimpleUploadedFile("people.csv", b"email,name,association,language\na@example.org,A,,fr\nbad,B,,fr\nc@example.org,C,,xx\n")
    dry = api.post(f"/api/v1/cohorts/{cohort.pk}/invitations/csv/", {"file": upload}, format="multipart")
    assert dry.status_code == 201, dry.json()
    body = dry.json()
    assert body["status"] == "dry_run" and body["counts"]["to_send"] == 1 and body["counts"]["error"] == 2
    assert [(r["line"], r["error"]) for r in body["rows"] if r["action"] == "error"] == [(3, "invalid_email"), (4, "unknown_language")]
    assert mail.outbox == []
    assert api.get(f"/api/v1/cohorts/{cohort.pk}/invitations/csv/{body['id']}/").json()["status"] == "dry_run"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(f"/api/v1/cohorts/{cohort.pk}/invitations/csv/{body['id']}/confirm/")
    assert confirmed.json()["status"] == "confirmed" and [m.to for m in mail.outbox] == [["a@example.org"]]
    personal = api.get(f"/api/v1/cohorts/{cohort.pk}/invitations/?kind=personal").json()
    assert [i["email"] for i in personal["results"]] == ["a@example.org"]


def test_csv_without_dry_run_sends_at_once(api_as, staff, cohort, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("people.csv", b"now@example.org,Now,,en\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(staff).post(f"/api/v1/cohorts/{cohort.pk}/invitations/csv/", {"file": upload, "dry_run": "false"},
                                      format="multipart")
    assert response.json()["status"] == "confirmed" and len(mail.outbox) == 1


def test_dashboard_matrix_and_drill_downs(api_as, staff, module_a, module_b):
    cohort, people = seeded_cohort(staff, module_a, module_b)
    api = api_as(staff)
    summary = api.get(f"/api/v1/cohorts/{cohort.pk}/dashboard/").json()
    assert summary["learners"] == 6 and summary["coaching"]["requested"] == 0
    matrix = api.get(f"/api/v1/cohorts/{cohort.pk}/matrix/?status=stalled").json()
    assert [r["name"] for r in matrix["results"]] == ["Learner C"]
    assert matrix["results"][0]["modules"][0]["status"] == "stalled"
    assert api.get(f"/api/v1/cohorts/{cohort.pk}/matrix/?status=bogus").status_code == 400
    detail = api.get(f"/api/v1/cohorts/{cohort.pk}/learners/{people['D'].pk}/").json()
    assert [m["module_id"] for m in detail["modules"]] == [module_a.pk, module_b.pk]
    assert len(detail["modules"][0]["quiz_attempts"]) == 2
    report = api.get(f"/api/v1/cohorts/{cohort.pk}/modules/{module_a.pk}/report/").json()
    assert [lesson["reached"] for lesson in report["lessons"]] == [4, 2, 2]


def test_export_jobs(api_as, staff, cohort, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    member(cohort)
    api = api_as(staff)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(f"/api/v1/cohorts/{cohort.pk}/exports/", {"format": "xlsx"}, format="json")
    assert created.status_code == 202
    export_id = created.json()["id"]
    status = api.get(f"/api/v1/cohorts/{cohort.pk}/exports/{export_id}/").json()
    assert status["status"] == "done" and status["progress"] == 100
    download = api.get(status["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    CohortExport.objects.filter(pk=export_id).update(status="expired")
    assert api.get(f"/api/v1/cohorts/{cohort.pk}/exports/{export_id}/download/").status_code == 410
    assert len(api.get(f"/api/v1/cohorts/{cohort.pk}/exports/").json()) == 1
    assert api.post(f"/api/v1/cohorts/{cohort.pk}/exports/", {"format": "pdf"}, format="json").status_code == 400


def test_reminders(api_as, staff, cohort, django_capture_on_commit_callbacks):
    user = member(cohort)
    api = api_as(staff)
    with django_capture_on_commit_callbacks(execute=True):
        result = api.post(f"/api/v1/cohorts/{cohort.pk}/reminders/", {"user_ids": [user.pk, 999999]}, format="json").json()
    assert result == {"sent": [user.pk], "reminders_off": [], "recently_reminded": [], "not_members": [999999]}
    assert [r["user_id"] for r in api.get(f"/api/v1/cohorts/{cohort.pk}/reminders/").json()] == [user.pk]


def test_the_cohort_endpoints_are_in_the_schema(client):
    import yaml

    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    for path in ["/api/v1/cohorts/", "/api/v1/cohorts/{id}/dashboard/", "/api/v1/cohorts/{id}/matrix/",
                 "/api/v1/cohorts/{id}/invitations/csv/", "/api/v1/cohorts/{id}/exports/{export_id}/download/",
                 "/api/v1/cohorts/{id}/reminders/", "/api/v1/cohorts/join/"]:
        assert path in paths, path
