"""Issue 10, finding 4 (the cohort parts): the API's join code has the page's guess limit, the CSV dry
run does not tell whether an address has an account, out-of-range ids answer 404, and the coaching
cohort page shows self-diagnostics only as the cohort's average."""
import pytest
from rest_framework.test import APIClient

from cohorts.join_limit import CODE_ATTEMPTS
from cohorts.services import invite_import_create
from tests.factories import UserFactory

from .factories import link

pytestmark = pytest.mark.django_db


def test_the_api_join_code_stops_after_as_many_wrong_guesses_as_the_page(learner, cohort):
    client = APIClient()
    client.force_authenticate(learner)
    good = link(cohort)
    for _ in range(CODE_ATTEMPTS):
        assert client.post("/api/v1/cohorts/join/", {"code": "ZZZZZZZZ"}, format="json").status_code == 404
    blocked = client.post("/api/v1/cohorts/join/", {"code": good.code}, format="json")
    assert blocked.status_code == 429
    assert "quarter of an hour" in blocked.json()["detail"]
    assert not cohort.memberships.filter(user=learner).exists()


def test_the_page_and_the_api_count_wrong_codes_together(learner, other_learner, cohort, client):
    """The counter is per connection: guesses through the page use up the API's tries too (and back)."""
    api = APIClient()
    api.force_authenticate(other_learner)
    for _ in range(CODE_ATTEMPTS // 2):
        client.post("/cohorts/join/", {"code": "ZZZZZZZZ"})
        api.post("/api/v1/cohorts/join/", {"code": "ZZZZZZZZ"}, format="json")
    good = link(cohort)
    assert api.post("/api/v1/cohorts/join/", {"code": good.code}, format="json").status_code == 429
    page = client.post("/cohorts/join/", {"code": good.code})
    assert page.status_code == 200 and "quarter of an hour" in page.content.decode()


def test_a_right_code_within_the_limit_joins(learner, cohort):
    client = APIClient()
    client.force_authenticate(learner)
    for _ in range(CODE_ATTEMPTS - 1):
        client.post("/api/v1/cohorts/join/", {"code": "ZZZZZZZZ"}, format="json")
    assert client.post("/api/v1/cohorts/join/", {"code": link(cohort).code}, format="json").status_code == 201


def test_the_csv_dry_run_answers_the_same_for_an_address_with_an_account_and_without(cohort, staff, client):
    UserFactory(email="known@example.org", preferred_language="zh-hans")
    batch = invite_import_create(cohort=cohort, created_by=staff, data=b"known@example.org,Known,,\nnobody@example.org,Nobody,,\n")
    known, unknown = batch.rows.order_by("line")
    assert (known.action, known.language, known.message) == (unknown.action, unknown.language, unknown.message)
    client.force_login(staff)
    page = client.get(f"/cohorts/{cohort.pk}/invitations/csv/{batch.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Already has an account" not in html and 'data-action="invite_existing"' not in html
    assert html.count('data-action="invite_new"') == 2


def test_the_csv_dry_run_over_the_api_does_not_tell_either(cohort, staff):
    UserFactory(email="known@example.org", preferred_language="zh-hans")
    client = APIClient()
    client.force_authenticate(staff)
    from django.core.files.uploadedfile import SimpleUploadedFile
    upload = SimpleUploadedFile("list.csv", b"known@example.org,Known,,\nnobody@example.org,Nobody,,\n", "text/csv")
    response = client.post(f"/api/v1/cohorts/{cohort.pk}/invitations/csv/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    rows = response.json()["rows"]
    assert [{k: v for k, v in r.items() if k not in ("line", "email", "display_name")} for r in rows][0] == \
        [{k: v for k, v in r.items() if k not in ("line", "email", "display_name")} for r in rows][1]


@pytest.mark.parametrize("path", [
    "/cohorts/99999999999999999999/", "/coaching/requests/99999999999999999999/", "/coaching/cohorts/99999999999999999999/",
    "/api/v1/cohorts/99999999999999999999/", "/api/v1/coaching/requests/99999999999999999999/",
    "/api/v1/coaching/missions/9223372036854775808/", "/api/v1/cohort-memberships/99999999999999999999/leave/",
    "/cohorts/mine/99999999999999999999/leave/",
    "/coaching/missions/99999999999999999999/feedback/",
])
def test_out_of_range_ids_answer_404_never_500(path, staff, client):
    client.force_login(staff)
    response = client.post(path) if path.endswith(("leave/", "feedback/")) else client.get(path)
    assert response.status_code == 404, (path, response.status_code)
