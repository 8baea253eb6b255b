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


def test_a_spoofed_forwarded_for_does_not_reset_the_lock_out(client, settings):
    UserFactory(email="amina@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_lock_out_counts_per_client_address(client, settings):
    settings.ESSOR_NUM_PROXIES = 1
    UserFactory(email="amina@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR="203.0.113.9")
    # Another client behind the same proxy (the same REMOTE_ADDR) is not locked out of its own account.
    response = client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302
