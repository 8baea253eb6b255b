"""Every cohort page and endpoint, asked by staff of ANOTHER intermediary and by a learner (even a
member of the cohort): 404, never the data. Anonymous visitors are sent to log in."""
from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.models import CohortExport, CohortInvitation
from cohorts.services import invite_import_create
from tests.factories import UserFactory

from .factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cohort, staff, module_a, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    insider = member(cohort)
    invitation = CohortInvitation.objects.create(cohort=cohort, kind="link")
    batch = invite_import_create(cohort=cohort, created_by=staff, data=b"new@example.org,New,,fr\n")
    path = tmp_path / "exports" / str(cohort.pk)
    path.mkdir(parents=True)
    (path / "1.csv").write_text("secret")
    export = CohortExport.objects.create(cohort=cohort, status="done", file_path=f"{cohort.pk}/1.csv",
                                         expires_at=timezone.now() + timedelta(days=1))
    return {"c": cohort.pk, "u": insider.pk, "m": module_a.pk, "i": invitation.pk, "b": batch.pk, "e": export.pk, "insider": insider}


PAGES = [
    ("get", "/cohorts/{c}/"), ("get", "/cohorts/{c}/edit/"), ("post", "/cohorts/{c}/edit/"),
    ("get", "/cohorts/{c}/learners/{u}/"), ("post", "/cohorts/{c}/learners/{u}/remove/"),
    ("get", "/cohorts/{c}/modules/{m}/"), ("get", "/cohorts/{c}/invitations/"), ("post", "/cohorts/{c}/invitations/"),
    ("post", "/cohorts/{c}/invitations/{i}/revoke/"), ("post", "/cohorts/{c}/invitations/csv/"),
    ("get", "/cohorts/{c}/invitations/csv/{b}/"), ("post", "/cohorts/{c}/invitations/csv/{b}/"),
    ("get", "/cohorts/{c}/reminders/"), ("post", "/cohorts/{c}/reminders/"), ("get", "/cohorts/{c}/exports/"),
    ("post", "/cohorts/{c}/exports/"), ("get", "/cohorts/{c}/exports/{e}/"), ("get", "/cohorts/{c}/exports/{e}/status/"),
    ("get", "/cohorts/{c}/exports/{e}/download/"),
]
ENDPOINTS = [
    ("get", "/api/v1/cohorts/{c}/"), ("patch", "/api/v1/cohorts/{c}/"), ("get", "/api/v1/cohorts/{c}/memberships/"),
    ("delete", "/api/v1/cohorts/{c}/memberships/{u}/"), ("get", "/api/v1/cohorts/{c}/invitations/"),
    ("post", "/api/v1/cohorts/{c}/invitations/"), ("post", "/api/v1/cohorts/{c}/invitations/{i}/revoke/"),
    ("post", "/api/v1/cohorts/{c}/invitations/csv/"), ("get", "/api/v1/cohorts/{c}/invitations/csv/{b}/"),
    ("post", "/api/v1/cohorts/{c}/invitations/csv/{b}/confirm/"), ("get", "/api/v1/cohorts/{c}/dashboard/"),
    ("get", "/api/v1/cohorts/{c}/matrix/"), ("get", "/api/v1/cohorts/{c}/learners/{u}/"),
    ("get", "/api/v1/cohorts/{c}/modules/{m}/report/"), ("get", "/api/v1/cohorts/{c}/exports/"),
    ("post", "/api/v1/cohorts/{c}/exports/"), ("get", "/api/v1/cohorts/{c}/exports/{e}/"),
    ("get", "/api/v1/cohorts/{c}/exports/{e}/download/"), ("get", "/api/v1/cohorts/{c}/reminders/"),
    ("post", "/api/v1/cohorts/{c}/reminders/"),
]


def _outsiders(other_staff, world):
    return {"staff of another intermediary": other_staff, "learner of the cohort": world["insider"],
            "learner": UserFactory(is_learner=True)}


@pytest.mark.parametrize("method, url", PAGES)
def test_pages_are_404_for_other_staff_and_learners(client, other_staff, world, method, url, staff):
    url = url.format(**world)
    for who, user in _outsiders(other_staff, world).items():
        client.force_login(user)
        response = getattr(client, method)(url, {"name": "hijack", "learners": [world["u"]], "format": "csv"})
        assert response.status_code == 404, f"{who}: {method} {url} -> {response.status_code}"
    client.logout()
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Nothing was changed by the refused requests.
    assert CohortInvitation.objects.get(pk=world["i"]).revoked_at is None
    assert CohortExport.objects.filter(cohort_id=world["c"]).count() == 1


@pytest.mark.parametrize("method, url", ENDPOINTS)
def test_endpoints_are_404_for_other_staff_and_learners(api_as, api_client, other_staff, world, method, url):
    url = url.format(**world)
    for who, user in _outsiders(other_staff, world).items():
        response = getattr(api_as(user), method)(url, {"user_ids": [world["u"]], "format": "csv"}, format="json")
        assert response.status_code == 404, f"{who}: {method} {url} -> {response.status_code}"
        assert "secret" not in response.content.decode(errors="ignore")
    assert getattr(api_client, method)(url).status_code == 401


def test_lists_only_show_the_staffs_own_cohorts(client, api_as, other_staff, world, cohort):
    client.force_login(other_staff)
    assert cohort.name not in client.get("/cohorts/").content.decode()
    assert api_as(other_staff).get("/api/v1/cohorts/").json()["count"] == 0


def test_a_learner_cannot_create_cohorts_or_leave_someone_elses_membership(client, api_as, world, cohort, module_a):
    learner = UserFactory(is_learner=True)
    client.force_login(learner)
    assert client.get("/cohorts/new/").status_code == 404
    response = api_as(learner).post("/api/v1/cohorts/", {"intermediary": cohort.intermediary_id, "name": "x", "language": "fr",
                                                         "modules": [{"module": module_a.pk}]}, format="json")
    # Refused before the body is read (issue 10): a learner is not staff of any intermediary.
    assert response.status_code == 403
    membership = world["insider"].cohort_memberships.get()
    assert client.post(f"/cohorts/mine/{membership.pk}/leave/").status_code == 404
    assert api_as(learner).post(f"/api/v1/cohort-memberships/{membership.pk}/leave/").status_code == 404
    membership.refresh_from_db()
    assert membership.status == "active"


def test_staff_of_another_intermediary_cannot_create_a_cohort_for_ours(api_as, other_staff, cohort, module_a):
    response = api_as(other_staff).post("/api/v1/cohorts/", {"intermediary": cohort.intermediary_id, "name": "x", "language": "fr",
                                                             "modules": [{"module": module_a.pk}]}, format="json")
    assert response.status_code == 400
    assert cohort.intermediary.cohorts.count() == 1


def test_a_site_administrator_sees_every_cohort(client, admin_user, world):
    client.force_login(admin_user)
    assert client.get(f"/cohorts/{world['c']}/").status_code == 200
