"""The intermediary overview: its cohorts side by side from the stored aggregates, in a fixed number of queries."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from impact.selectors.overview import Period, intermediary_overview
from tests.cohorts.factories import cohort_for

from .conftest import populate

pytestmark = pytest.mark.django_db


def test_cohorts_side_by_side_and_total(world, intermediary, module_a, module_b):
    overview = intermediary_overview(intermediary=intermediary)
    lines = {line.name: line for line in overview.lines}
    assert set(lines) == {"Lyon spring", "Lyon autumn"}  # not the other intermediary's cohort
    spring, autumn = lines["Lyon spring"], lines["Lyon autumn"]
    assert (spring.learners, spring.started, spring.active) == (8, 7, 7)
    assert spring.modules[module_a.pk]["completed"] == 6 and spring.modules[module_b.pk]["completed"] == 0
    assert spring.certificates == 6 and autumn.certificates == 1
    assert module_b.pk not in autumn.modules
    assert spring.completed_in_period == 6 and spring.certificates_in_period == 6
    assert spring.coaching["requested"] == 5 and spring.coaching["completed"] == 5 and spring.hours_given == 10.0
    assert autumn.coaching["matched"] == 1 and autumn.coaching["completed"] == 0
    assert overview.total.learners == 11 and overview.total.certificates == 7
    assert overview.total.modules[module_a.pk]["completed"] == 7
    this_month = timezone.localdate().replace(day=1)
    assert [m for m in overview.months if m["month"] == this_month][0]["completed"] == 7
    assert len(overview.months) == 12


def test_period_and_module_filters(world, intermediary, module_a, module_b):
    long_ago = Period(dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    old = intermediary_overview(intermediary=intermediary, period=long_ago)
    assert all(line.completed_in_period == 0 and line.coaching["requested"] == 0 for line in old.lines)
    only_b = intermediary_overview(intermediary=intermediary, module_id=module_b.pk)
    assert [mid for mid, _title in only_b.modules] == [module_b.pk]
    assert only_b.total.completed_in_period == 0  # nobody completed module B


def _queries(intermediary) -> int:
    with CaptureQueriesContext(connection) as ctx:
        intermediary_overview(intermediary=intermediary)
    return len(ctx.captured_queries)


def test_fixed_number_of_queries_with_2_and_20_cohorts(staff, intermediary, module_a, module_b, django_assert_max_num_queries):
    for n in range(2):
        populate(cohort_for(staff, module_list=[module_a, module_b], name=f"C{n}"), learners=2, complete=1)
    two = _queries(intermediary)
    for n in range(2, 20):
        populate(cohort_for(staff, module_list=[module_a, module_b], name=f"C{n}"), learners=1, complete=1)
    assert _queries(intermediary) == two
    with django_assert_max_num_queries(8):
        overview = intermediary_overview(intermediary=intermediary)
    assert len(overview.lines) == 20 and overview.total.learners == 22


def test_page_and_api_for_staff_only(world, intermediary, client_as, api_as, learner, django_assert_max_num_queries):
    url = reverse("impact:intermediary", args=[intermediary.pk])
    staff_client = client_as(intermediary.memberships.first().user)
    with django_assert_max_num_queries(20):
        response = staff_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lyon spring" in body and "Shanghai cohort" not in body and "<svg" in body
    assert client_as(world["other_staff"]).get(url).status_code == 404
    assert client_as(learner).get(url).status_code == 404
    api = reverse("api:impact-intermediary-overview", args=[intermediary.pk])
    data = api_as(intermediary.memberships.first().user).get(api).json()
    assert data["total"]["learners"] == 11
    assert api_as(world["other_staff"]).get(api).status_code == 404


def test_bad_filters_are_a_clear_error_not_a_500(world, intermediary, client_as, api_as):
    staff_user = intermediary.memberships.first().user
    url = reverse("impact:intermediary", args=[intermediary.pk])
    response = client_as(staff_user).get(url, {"start": "2026-05-01", "end": "2026-01-01", "module": "abc"})
    assert response.status_code == 200 and "The end of the period must come after its start." in response.content.decode()
    api = reverse("api:impact-intermediary-overview", args=[intermediary.pk])
    assert api_as(staff_user).get(api, {"start": "nope"}).status_code == 400
    assert api_as(staff_user).get(api, {"start": "2000-01-01", "end": "2026-01-01"}).status_code == 400
