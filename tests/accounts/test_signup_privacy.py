"""Sign-up does not tell whether an email has an account: the same answer, and an email to the address instead."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from core.models import OutboxMessage
from tests.accounts.test_accounts import signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    """The page as a person sees it, without the tokens that differ on every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def signup(client, **overrides):
    response = client.post(reverse("accounts:signup"), signup_data(**overrides))
    return response, client.get(response["Location"]) if response.status_code == 302 else None


def test_signing_up_with_a_taken_address_answers_like_a_new_one(client, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org", display_name="Amina", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        new, new_page = signup(client, email="new@example.org")
    client.cookies.clear()
    with django_capture_on_commit_callbacks(execute=True):
        taken, taken_page = signup(client, email="TAKEN@example.org")
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"]
    assert visible(new_page) == visible(taken_page)
    assert "_auth_user_id" not in client.session
    # The owner is told, in their language, through the outbox like every email.
    assert OutboxMessage.objects.filter(key__startswith="signup-taken:").count() == 1
    owner_mail = next(m for m in mail.outbox if m.to == ["taken@example.org"])
    assert "/accounts/login/" in owner_mail.body and "/accounts/password/reset/" in owner_mail.body
    assert "quelqu" in owner_mail.body.lower()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_the_password_typed_on_a_taken_address_logs_nobody_in(client, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="taken@example.org", password="another-Good-passw0rd")
    response = client.post(reverse("accounts:login"), {"username": "taken@example.org", "password": "another-Good-passw0rd"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_new_account_is_opened_by_the_link_sent_to_its_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="new@example.org", password="un-Bon-mot-de-passe-7")
    user = User.objects.get(email="new@example.org")
    # Until the address is confirmed, its password opens nothing (the same answer as a wrong one).
    assert not user.is_active
    response = client.post(reverse("accounts:login"), {"username": "new@example.org", "password": "un-Bon-mot-de-passe-7"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    link = re.search(r"https?://\S+(/accounts/signup/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200  # a page with a button: a mail scanner opening the link confirms nothing
    assert not User.objects.get(pk=user.pk).is_active
    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert User.objects.get(pk=user.pk).is_active
    # The link is used up.
    client.post(reverse("accounts:logout"))
    assert client.post(link).status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_up_again_before_confirming_sends_a_new_link(client, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            signup(client, email="new@example.org")
    assert User.objects.filter(email="new@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["new@example.org"]]
    assert all("/accounts/signup/confirm/" in m.body for m in mail.outbox)


def test_a_weak_password_is_refused_the_same_way_for_a_taken_address(client):
    UserFactory(email="taken@example.org")
    taken = client.post(reverse("accounts:signup"), signup_data(email="taken@example.org", password="12345678"))
    new = client.post(reverse("accounts:signup"), signup_data(email="new@example.org", password="12345678"))
    assert taken.status_code == new.status_code == 200
    assert visible(taken).replace("taken@", "new@") == visible(new)
