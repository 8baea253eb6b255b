"""Consent records at sign-up and at cohort join (the text shown, its version and language, shown on the
profile), the privacy page in fr, zh-hans and en linked from the footer, sign-up and join, and the
delete-my-account confirmation (password, or the typed email address for an account without one)."""
import pytest
from django.urls import reverse

from accounts.data_rights.consent import CONSENT_TEXT_VERSION
from accounts.models import ConsentRecord, User
from cohorts.models import CohortMembership
from tests.cohorts.factories import cohort_for, link
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"role": "learner", "display_name": "Léa Dupont", "email": "lea@example.org", "password": "un-Bon-mot-de-passe-7",
          "preferred_language": "fr", "association_name": "Les Amis", "association_country": "FR", "association_city": "Lyon"}


def test_signup_records_the_notice_shown_in_the_page_language(client):
    page = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'href="/privacy/"' in page.content.decode()
    client.post("/accounts/signup/", SIGNUP, HTTP_ACCEPT_LANGUAGE="zh-hans")
    consent = ConsentRecord.objects.get(user__email="lea@example.org")
    assert (consent.context, consent.language, consent.text_version) == ("signup", "zh-hans", CONSENT_TEXT_VERSION)
    assert consent.text in page.content.decode()  # exactly what the page showed
    assert "Essor" in consent.recipients


def test_joining_a_cohort_records_who_sees_what_in_the_learners_language(client, staff):
    cohort = cohort_for(staff)
    invitation = link(cohort)
    learner = UserFactory(is_learner=True, preferred_language="fr")
    client.force_login(learner)
    page = client.get(f"/cohorts/join/{invitation.token}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'href="/privacy/"' in page
    client.post(f"/cohorts/join/{invitation.token}/")
    assert CohortMembership.objects.filter(cohort=cohort, user=learner).exists()
    consent = ConsentRecord.objects.get(user=learner)
    assert consent.context == "cohort_join" and consent.cohort_id == cohort.pk and consent.language == "fr"
    assert cohort.intermediary.name in consent.text and staff.display_name in consent.text
    assert consent.text.split(" (")[0] in page  # the same sentences as the page, in French
    profile = client.get("/accounts/profile/").content.decode()
    assert cohort.intermediary.name in profile and CONSENT_TEXT_VERSION in profile


def test_joining_with_a_new_account_records_both_consents(client, staff):
    invitation = link(cohort_for(staff))
    client.post(f"/cohorts/join/{invitation.token}/", {**SIGNUP, "email": "new@example.org"})
    assert sorted(ConsentRecord.objects.filter(user__email="new@example.org").values_list("context", flat=True)) == [
        "cohort_join", "signup"]


@pytest.mark.parametrize(("language", "words"), [
    ("fr", ["Vos données personnelles", "RGPD", "PIPL", "/api/v1/me/export/"]),
    ("zh-hans", ["您在 Essor 上的个人数据", "GDPR", "个人信息保护法"]),
    ("en", ["Your personal data on Essor", "GDPR", "PIPL"]),
])
def test_the_privacy_page_is_translated_and_linked_from_the_footer(client, settings, language, words):
    settings.ESSOR_PRIVACY_CONTACT = "dpo@example.org"
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert [word for word in words if word not in html] == []
    assert "mailto:dpo@example.org" in html
    assert 'href="/privacy/"' in client.get("/").content.decode()


def test_deleting_needs_the_password_and_the_confirmation(client):
    user = UserFactory(is_learner=True)
    client.force_login(user)
    page = client.get("/accounts/profile/delete/")
    assert page.status_code == 200
    response = client.post("/accounts/profile/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200 and "This is not your password" in response.content.decode()
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.erased_at is None and user.is_active
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account-deleted")
    user.refresh_from_db()
    assert user.erased_at is not None and not user.is_active
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/profile/").status_code == 302  # logged out


def test_an_account_without_a_password_confirms_with_its_email_address(client):
    user = UserFactory(is_learner=True, email="nopass@example.org")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.post("/accounts/profile/delete/", {"email": "someone@example.org", "confirm": "on"})
    assert "This is not your account&#x27;s email address" in response.content.decode()
    client.post("/accounts/profile/delete/", {"email": " NoPass@example.org ", "confirm": "on"})
    assert User.objects.get(pk=user.pk).erased_at is not None


def test_an_oversized_or_anonymous_delete_request_erases_nothing(client):
    assert client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"}).status_code == 302
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/profile/delete/", {"password": "x" * 5000, "confirm": "on"})
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).erased_at is None


def test_an_operator_erases_an_account_on_written_request():
    from io import StringIO

    from django.core.management import CommandError, call_command

    user = UserFactory(email="asked@example.org")
    out = StringIO()
    call_command("erase_account", "Asked@example.org", stdout=out)
    assert "Would erase" in out.getvalue() and User.objects.get(pk=user.pk).erased_at is None
    call_command("erase_account", "asked@example.org", "--yes", stdout=out)
    assert User.objects.get(pk=user.pk).erased_at is not None
    with pytest.raises(CommandError):
        call_command("erase_account", "asked@example.org", "--yes")  # the address is gone


def test_an_administrator_erases_accounts_from_the_admin_and_reads_consents(client, admin_user):
    user = UserFactory(email="gone@example.org")
    ConsentRecord.objects.create(user=user, context="signup", recipients="Essor", text="t", text_version="1", language="fr")
    client.force_login(admin_user)
    response = client.post("/admin/accounts/user/", {"action": "erase_accounts", "_selected_action": [user.pk]})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).erased_at is not None
    assert client.get("/admin/accounts/consentrecord/").status_code == 200
    assert client.get("/admin/accounts/consentrecord/add/").status_code == 403


def test_every_other_session_and_the_api_key_of_a_deleted_account_stop_working(client):
    from django.test import Client
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    user = UserFactory(is_learner=True)
    other_browser = Client()
    other_browser.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert other_browser.get("/accounts/profile/").status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert api.get("/api/v1/me/").status_code == 200
    client.force_login(user)
    client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"})
    assert other_browser.get("/accounts/profile/").status_code == 302
    assert api.get("/api/v1/me/").status_code == 401


def test_the_privacy_page_says_when_learning_records_go_to_a_learning_record_store(client, settings):
    settings.XAPI_LRS_URL = ""
    assert "learning record store" not in client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    settings.XAPI_LRS_URL = "http://127.0.0.1:9/xAPI/"
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "learning record store" in html and "void every one of them" in html
