"""Issue #17, "fast at scale": the intermediary overview and the network view (selector, page, API) make
the same number of queries for 2 cohorts and for 20, for a network of 2 intermediaries and of 10 — they
read the stored per-cohort aggregates, never the learners' rows. bench/run.py measures them at 20,000
learners (docs/performance.md)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impact.models import Network, NetworkMembership, NetworkStaff
from impact.selectors.network import network_view
from impact.selectors.overview import intermediary_overview
from tests.cohorts.factories import cohort_for
from tests.factories import IntermediaryStaffFactory, UserFactory

from .conftest import populate

pytestmark = pytest.mark.django_db

# The selectors' own queries, and the pages' (session, user, permission, filter choices), as in bench/run.py.
OVERVIEW_SELECTOR, OVERVIEW_PAGE, OVERVIEW_API = 8, 20, 14
NETWORK_SELECTOR, NETWORK_PAGE, NETWORK_API = 12, 22, 16


def count(function) -> int:
    with CaptureQueriesContext(connection) as ctx:
        function()
    return len(ctx.captured_queries)


def get(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, url
        return response
    return call


def test_the_intermediary_overview_costs_the_same_for_2_and_20_cohorts(staff, intermediary, module_a, module_b, client_as, api_as,
                                                                       django_assert_max_num_queries):
    page, api = client_as(staff), api_as(staff)
    page_url = reverse("impact:intermediary", args=[intermediary.pk])
    api_url = reverse("api:impact-intermediary-overview", args=[intermediary.pk])
    measures = {"selector": lambda: intermediary_overview(intermediary=intermediary), "page": get(page, page_url),
                "api": get(api, api_url)}
    for n in range(2):
        populate(cohort_for(staff, module_list=[module_a, module_b], name=f"C{n}"), learners=3, complete=2, start=1)
    for measure in measures.values():
        measure()  # warm (the cohorts' stored rows, the session)
    small = {name: count(measure) for name, measure in measures.items()}
    for n in range(2, 20):
        populate(cohort_for(staff, module_list=[module_b, module_a] if n % 2 else [module_a], name=f"C{n}"), learners=2,
                 complete=1, start=1)
    for measure in measures.values():
        measure()
    large = {name: count(measure) for name, measure in measures.items()}
    assert large == small
    for name, budget in (("selector", OVERVIEW_SELECTOR), ("page", OVERVIEW_PAGE), ("api", OVERVIEW_API)):
        with django_assert_max_num_queries(budget):
            result = measures[name]()
    assert len(intermediary_overview(intermediary=intermediary).lines) == 20
    assert result.json()["total"]["learners"] == 6 + 18 * 2


def _intermediary_with_cohort(module, *, learners: int):
    staff = IntermediaryStaffFactory(is_manager=True).user
    cohort = cohort_for(staff, module_list=[module])
    populate(cohort, learners=learners, complete=learners // 2, start=1)
    return cohort.intermediary


def test_the_network_view_costs_the_same_for_2_and_10_intermediaries(module_a, client_as, api_as, django_assert_max_num_queries):
    network = Network.objects.create(name="Fondation", slug="fondation")
    manager = UserFactory(display_name="Funder")
    NetworkStaff.objects.create(network=network, user=manager, is_manager=True)

    def join(count_: int, learners: int) -> None:
        for _ in range(count_):
            NetworkMembership.objects.create(network=network, intermediary=_intermediary_with_cohort(module_a, learners=learners),
                                             status=NetworkMembership.Status.ACCEPTED)

    page, api = client_as(manager), api_as(manager)
    measures = {"selector": lambda: network_view(network=network),
                "page": get(page, reverse("impact:network", args=[network.pk])),
                "members page": get(page, reverse("impact:network-members", args=[network.pk])),
                "api": get(api, reverse("api:impact-network-overview", args=[network.pk]))}
    join(2, learners=5)
    for measure in measures.values():
        measure()
    small = {name: count(measure) for name, measure in measures.items()}
    join(8, learners=2)
    for measure in measures.values():
        measure()
    large = {name: count(measure) for name, measure in measures.items()}
    assert large == small
    for name, budget in (("selector", NETWORK_SELECTOR), ("page", NETWORK_PAGE), ("api", NETWORK_API)):
        with django_assert_max_num_queries(budget):
            result = measures[name]()
    assert len(network_view(network=network).intermediaries) == 10
    assert result.json()["total"]["learners"] == 2 * 5 + 8 * 2
