"""The log-in lock-out holds whatever the case or the spaces of the email typed (one account = one counter)."""
import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VARIANTS = ["AMINA@EXAMPLE.ORG", "Amina@Example.org", " amina@example.org", "amina@example.org  ", "\tAmina@example.ORG "]


def fail(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": "wrong"})


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_locked_account_stays_locked_under_another_spelling_of_its_email(client, settings, variant):
    UserFactory(email="amina@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "amina@example.org")
    response = client.post(reverse("accounts:login"), {"username": variant, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_several_spellings_add_up_to_one_counter(client, settings):
    UserFactory(email="amina@example.org")
    spellings = (VARIANTS * 2)[: settings.AXES_FAILURE_LIMIT]
    for username in spellings:
        fail(client, username)
    response = client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": PASSWORD})
    assert response.status_code == 429


def test_the_admin_log_in_shares_the_counter(client, settings):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "ROOT@example.org ")
    response = client.post(reverse("admin:login"), {"username": "Root@Example.org", "password": PASSWORD})
    assert response.status_code == 429


def test_a_success_under_another_spelling_resets_the_counter(client, settings):
    UserFactory(email="amina@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(client, "amina@example.org")
    response = client.post(reverse("accounts:login"), {"username": "AMINA@example.org", "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(client, "amina@example.org").status_code == 200
