"""Sign-up, log-in (with lock-out), profile, language preference, password reset by the worker."""
import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "role": "learner",
        "display_name": "Léa Dupont",
        "email": "Lea@Example.org",
        "password": "un-Bon-mot-de-passe-7",
        "preferred_language": "fr",
        "association_name": "Les Amis du Quartier",
        "association_country": "FR",
        "association_city": "Lyon",
    }
    return data | overrides


def test_signup_creates_a_learner_with_an_association_opened_by_its_email_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup-sent")
    user = User.objects.get(email="lea@example.org")
    assert user.is_learner and not user.is_coach and not user.is_active
    assert user.association.name == "Les Amis du Quartier"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/signup/confirm/" in line)
    client.post(link.split("127.0.0.1:8000", 1)[-1])
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signup_as_coach(client):
    client.post(reverse("accounts:signup"), signup_data(role="coach", email="coach@example.org", association_name=""))
    user = User.objects.get(email="coach@example.org")
    assert user.is_coach and not user.is_learner and user.association is None


def test_signup_with_an_existing_email_emails_its_owner_in_their_language(client, django_capture_on_commit_callbacks):
    UserFactory(email="lea@example.org", preferred_language="zh-hans")
    client.cookies["django_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302
    assert "注册" in mail.outbox[0].subject
    assert User.objects.filter(email="lea@example.org").count() == 1


def test_signup_with_a_weak_password_keeps_what_was_typed(client):
    response = client.post(reverse("accounts:signup"), signup_data(password="12345678"))
    assert response.status_code == 200
    assert 'value="Léa Dupont"' in response.content.decode()
    assert not User.objects.filter(email="lea@example.org").exists()


def test_signup_can_be_closed(client, settings):
    settings.ESSOR_OPEN_SIGNUP = False
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302
    assert not User.objects.exists()


def test_login_with_email_and_logout(client):
    user = UserFactory(email="amina@example.org")
    response = client.post(reverse("accounts:login"), {"username": "Amina@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_five_failures(client, settings):
    UserFactory(email="amina@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked, with a clear message.
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


def test_profile_update_changes_language_and_association(client):
    user = UserFactory(is_learner=True)
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {
        "display_name": "Amina D.", "preferred_language": "zh-hans", "phone": "", "reminders_enabled": "",
        "association_name": "Jardin solidaire", "association_country": "FR", "association_city": "Lille",
        "association_sector": "", "association_size": "1-5",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    assert user.reminders_enabled is False
    assert user.association.name == "Jardin solidaire"
    # The preferred language now wins for every page.
    assert '<html lang="zh-hans">' in client.get("/", follow=True).content.decode()


def test_switching_language_keeps_the_page_and_saves_the_preference(client):
    user = UserFactory(preferred_language="fr")
    client.force_login(user)
    response = client.post(reverse("accounts:set-language"), {"language": "en", "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_switching_language_anonymously_uses_a_cookie(client):
    response = client.post(reverse("accounts:set-language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_password_reset_email_is_queued_after_commit_and_sent_by_the_task(client, django_capture_on_commit_callbacks):
    UserFactory(email="amina@example.org", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("accounts:password-reset"), {"email": "amina@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_link_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": "amina@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("127.0.0.1:8000", 1)[1] if "127.0.0.1:8000" in link else link
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Nouveau-mot-2-passe", "new_password2": "Nouveau-mot-2-passe"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-2-passe")


@pytest.mark.integration
def test_password_reset_email_is_written_by_a_real_worker(client, celery_worker):
    UserFactory(email="amina@example.org", preferred_language="zh-hans")
    response = client.post(reverse("accounts:password-reset"), {"email": "amina@example.org"})
    assert response.status_code == 302
    mails = celery_worker.wait_for(celery_worker.mails)
    assert len(mails) == 1
    assert "amina@example.org" in mails[0]
    assert "/accounts/password/reset/" in mails[0]
