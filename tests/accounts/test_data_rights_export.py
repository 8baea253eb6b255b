"""Export my data: one JSON file with every part of a person's data, from the profile page (a POST
button) and over the API (in the OpenAPI schema); only ever the caller's own; every relation to the
user model is covered by a section or excluded with a reason."""
import json

import pytest

from accounts.data_rights import user_relations
from accounts.data_rights.export import COVERED, EXCLUDED, EXPORT_FORMAT
from tests.credentials.conftest import SITE, TEST_KEY
from tests.factories import PASSWORD, UserFactory

from .data_rights_world import COACH_NOTE, SECRETS, build_world

pytestmark = pytest.mark.django_db

PARTS = ["profile", "association", "consents", "cohort_memberships", "enrolments", "lesson_progress", "quiz_attempts",
         "certificates", "diagnostics", "coaching_requests", "missions", "sessions", "feedback_written",
         "reminders_received", "proposals_answered"]


@pytest.fixture(autouse=True)
def signing(settings, tmp_path):
    settings.CREDENTIALS_SIGNING_KEY = TEST_KEY
    settings.CREDENTIALS_RETIRED_KEYS = []
    settings.SITE_URL = SITE
    settings.VAR_DIR = tmp_path


@pytest.fixture
def world(staff):
    return build_world(staff, password=PASSWORD)


def test_every_relation_to_the_user_model_is_exported_or_excluded_with_a_reason():
    relations = [label for label, _model, _field in user_relations()]
    missing = [label for label in relations if label not in COVERED and label not in EXCLUDED]
    assert missing == [], f"Add these to accounts/data_rights/export.py (COVERED or EXCLUDED): {missing}"
    assert all(why.strip() for why in EXCLUDED.values())


def _download(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="essor-my-data-')
    return json.loads(response.content)


def test_the_profile_button_downloads_every_part_of_a_learners_data(world, client_as):
    client = client_as(world.learner)
    assert 'data-export' in client.get("/accounts/profile/").content.decode()
    data = _download(client.post("/accounts/profile/export/"))
    assert data["format"] == EXPORT_FORMAT and data["version"] == 1
    sections = data["sections"]
    assert [part for part in PARTS if not sections.get(part)] == []
    assert sections["profile"]["email"] == SECRETS["email"] and sections["profile"]["phone"] == SECRETS["phone"]
    assert sections["association"]["name"] == SECRETS["association"]
    assert sections["coaching_requests"][0]["need"] == SECRETS["need"]
    assert {s["notes"] for s in sections["sessions"]} == {SECRETS["learner_note"], COACH_NOTE}
    assert [f["comment"] for f in sections["feedback_written"]] == [SECRETS["learner_feedback"]]
    assert sections["certificates"][0]["code"] == world.certificate.code
    assert {c["context"] for c in sections["consents"]} == {"cohort_join"}
    assert len(sections["enrolments"]) == 2 and sections["quiz_attempts"][0]["passed"] is True
    # Every relation is accounted for in the file itself.
    assert set(data["coverage"]) >= {label for label, _m, _f in user_relations()}
    # Nobody else's data: the other member's email is nowhere in the file.
    assert world.other.email not in json.dumps(data)
    assert "password" not in json.dumps(data["sections"]["profile"])


def test_a_coach_and_a_staff_member_get_their_own_data(world, client_as, staff):
    coach_data = _download(client_as(world.coach).post("/accounts/profile/export/"))["sections"]
    assert coach_data["coach_profile"]["city"] == "Lyon"
    assert [m["id"] for m in coach_data["missions"]] == [world.mission.pk]
    assert coach_data["coaching_requests"] == []  # the learner's request is not the coach's data
    staff_data = _download(client_as(staff).post("/accounts/profile/export/"))["sections"]
    assert staff_data["staff_memberships"] and staff_data["cohorts_facilitated"]
    assert staff_data["records_created"]["cohorts.Cohort.created_by"][0]["id"] == world.cohort.pk
    assert SECRETS["email"] not in json.dumps(staff_data)


def test_the_api_exports_the_callers_data_and_documents_it(world, api_as, api_client):
    assert api_client.get("/api/v1/me/export/").status_code == 401
    data = _download(api_as(world.learner).get("/api/v1/me/export/"))
    assert data["sections"]["profile"]["id"] == world.learner.pk
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = json.loads(schema.content)["paths"] if schema["Content-Type"].startswith("application/json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(schema.content)["paths"]
    assert "/api/v1/me/export/" in paths
    assert "PersonalDataExport" in schema.content.decode()


def test_a_link_cannot_trigger_a_download_and_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.post("/accounts/profile/export/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    user = UserFactory()
    client.force_login(user)
    assert client.get("/accounts/profile/export/").status_code == 302
