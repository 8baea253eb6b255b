"""Networks: membership by invitation (accepted, declined, withdrawn by the intermediary's managers),
aggregates only, and no figure below the minimum group size on ANY network page or endpoint."""
from __future__ import annotations

import contextlib
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, get_resolver, reverse

from accounts.models import User
from impact import services
from impact.models import NetworkMembership
from impact.selectors.network import network_view
from tests.factories import IntermediaryStaffFactory, UserFactory

pytestmark = pytest.mark.django_db
K = 5


def network_urls(network) -> list[str]:
    """Every page and endpoint of a network: found from the URL configuration, so a new one is checked too."""
    urls = []
    for pattern in get_resolver("impact.urls").url_patterns:
        if pattern.name and pattern.name.startswith("network"):
            urls.append(reverse(f"impact:{pattern.name}", kwargs={"pk": network.pk}))
    for name in ("network", "network-members"):
        assert reverse(f"impact:{name}", args=[network.pk]) in urls
    for pattern in get_resolver("api.impact_urls").url_patterns:
        if "network" in pattern.name:
            urls.append(reverse(f"api:{pattern.name}", kwargs={"pk": network.pk}))
    with contextlib.suppress(NoReverseMatch):  # the report pages of a network
        for suffix in ("", "?format=csv"):
            urls.append(reverse("impact:report", args=["network", network.pk]) + suffix)
        urls.append(reverse("api:impact-report", args=["network", network.pk]))
    return urls


def assert_no_identity_and_no_small_figure(body: str, *, json_body: bool):
    learners = User.objects.filter(is_learner=True).values_list("display_name", "email")
    assert learners
    for name, email in learners:
        assert name not in body and email not in body, name
    assert "Secretname" not in body and "secret.example.org" not in body
    if json_body:
        def walk(value, key=""):
            if isinstance(value, dict) and "people" in value and "key" in value:  # a report figure
                counts_people = value["people"] and not value["unit"].startswith("/") and value["key"] not in {
                    "coaching.hours", "coaching.value"}
                if counts_people and value["value"] is not None:
                    assert value["value"] >= K, value
                return
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, k)
            elif isinstance(value, list):
                for v in value:
                    walk(v, key)
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and key not in {
                    "id", "scope_id", "min_group_size", "module"}:
                assert value >= K or key in {"before", "after", "hours_given", "change"}, (key, value)
        walk(json.loads(body))
    else:
        figures = "learners|active|completed_all|module|certificates|completed_in_period|coaching|completed"
        for cell in re.findall(rf'data-figure="({figures})"[^>]*>([^<]*)<', body):
            for number in re.findall(r"(?<![<\d.])\b\d+\b", cell[1]):
                assert int(number) >= K, cell


def test_every_network_page_and_endpoint_hides_identities_and_small_cells(network, client_as, api_as, world):
    client = client_as(network.manager)
    api = api_as(network.manager)
    urls = network_urls(network)
    assert len(urls) >= 3
    seen = 0
    for url in urls:
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code == 200, url
        streaming = getattr(response, "streaming", False)
        body = b"".join(response.streaming_content).decode() if streaming else response.content.decode()
        is_json = response["Content-Type"].startswith("application/json")
        assert_no_identity_and_no_small_figure(body, json_body=is_json)
        seen += 1
    assert seen == len(urls)


def test_small_groups_are_suppressed_and_large_ones_shown(network, world, intermediary):
    view = network_view(network=network)
    lines = {line["id"]: line for line in view.intermediaries}
    ours = lines[intermediary.pk]
    assert ours["learners"] == 11 and ours["certificates"] == 7
    assert ours["coaching"]["completed"] == 5 and ours["coaching"]["hours_given"] == 11.0
    other = lines[world["c3"].intermediary_id]
    assert other["learners"] == 6 and other["certificates"] == 5 and other["coaching"]["requested"] is None
    assert other["diagnostic"]["before"] is None
    assert view.total["learners"] == 17


def test_membership_by_invitation_accept_decline_withdraw(network, world, intermediary, staff):
    other = world["c3"].intermediary
    link = NetworkMembership.objects.get(network=network, intermediary=intermediary)
    link.status = NetworkMembership.Status.INVITED
    link.save()
    assert intermediary.pk not in {line["id"] for line in network_view(network=network).intermediaries}
    plain_staff = IntermediaryStaffFactory(intermediary=intermediary, is_manager=False).user
    with pytest.raises(PermissionDenied):
        services.network_membership_accept(link=link, by=plain_staff)
    with pytest.raises(PermissionDenied):
        services.network_membership_accept(link=link, by=world["other_staff"])
    staff.staff_memberships.update(is_manager=True)
    services.network_membership_accept(link=link, by=staff)
    assert intermediary.pk in {line["id"] for line in network_view(network=network).intermediaries}
    with pytest.raises(ValidationError):
        services.network_membership_accept(link=link, by=staff)
    services.network_membership_withdraw(link=link, by=staff)
    assert intermediary.pk not in {line["id"] for line in network_view(network=network).intermediaries}
    # invited again, declined
    link = services.network_invite(network=network, slug=intermediary.slug, by=network.manager)
    services.network_membership_decline(link=link, by=staff)
    with pytest.raises(ValidationError):
        services.network_invite(network=network, slug=other.slug, by=network.manager)  # already accepted
    with pytest.raises(ValidationError):
        services.network_invite(network=network, slug="no-such-intermediary", by=network.manager)
    with pytest.raises(PermissionDenied):
        services.network_invite(network=network, slug=intermediary.slug, by=staff)


def test_pages_permissions(network, world, intermediary, client_as, staff, learner):
    stranger = UserFactory()
    for user in (stranger, learner, staff):
        assert client_as(user).get(reverse("impact:network", args=[network.pk])).status_code == 404
    # network staff never reach an intermediary's overview or a cohort's dashboard
    manager = client_as(network.manager)
    assert manager.get(reverse("impact:intermediary", args=[intermediary.pk])).status_code == 404
    assert manager.get(reverse("cohorts:dashboard", args=[world["c1"].pk])).status_code == 404
    # the intermediary's page: a manager withdraws through the form
    staff.staff_memberships.update(is_manager=True)
    link = NetworkMembership.objects.get(network=network, intermediary=intermediary)
    url = reverse("impact:intermediary-networks", args=[intermediary.pk])
    response = client_as(staff).post(url, {"link": link.pk, "action": "withdraw"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == NetworkMembership.Status.WITHDRAWN
    assert client_as(staff).post(url, {"link": "x" * 40, "action": "accept"}).status_code == 302
    assert client_as(world["other_staff"]).get(url).status_code == 404


def test_invite_page(network, world, client_as):
    other = world["c3"].intermediary
    NetworkMembership.objects.filter(network=network, intermediary=other).delete()
    url = reverse("impact:network-members", args=[network.pk])
    response = client_as(network.manager).post(url, {"intermediary": other.slug, "message": "Welcome"})
    assert response.status_code == 302
    assert NetworkMembership.objects.get(network=network, intermediary=other).status == "invited"
    response = client_as(network.manager).post(url, {"intermediary": "nope-nope"})
    assert response.status_code == 400 and "No intermediary has this short name" in response.content.decode()
