"""The admin's revoke action flips the status list bit through certificate_revoke; the demo seeds the
intermediary's issuer profile so that its cohort's certificates carry its logo."""
import pytest
from django.urls import reverse

from credentials.models import Credential, IssuerProfile
from credentials.services import credential_for_certificate
from tests.credentials import independent


def test_the_admin_revokes_with_a_reason_and_the_status_list_says_so(client_as, admin_user, certificate, fetch):
    document = credential_for_certificate(certificate=certificate).document
    credential = Credential.objects.get(certificate=certificate)
    client = client_as(admin_user)
    url = reverse("admin:credentials_credential_changelist")
    asked = client.post(url, {"action": "revoke_certificates", "_selected_action": [credential.pk]})
    assert asked.status_code == 200 and "Reason" in asked.content.decode()  # asks why first
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    empty = client.post(url, {"action": "revoke_certificates", "_selected_action": [credential.pk], "reason": " ", "confirm": "1"})
    assert "Say why the certificate is revoked." in empty.content.decode()
    done = client.post(url, {"action": "revoke_certificates", "_selected_action": [credential.pk], "reason": "Fraud",
                             "confirm": "1"}, follow=True)
    assert "1 certificate revoked." in done.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_reason == "Fraud"
    with pytest.raises(independent.Invalid, match="revoked"):
        independent.verify(document, fetch)


def test_credentials_cannot_be_added_or_deleted_in_the_admin(client_as, admin_user, certificate):
    credential = credential_for_certificate(certificate=certificate)
    client = client_as(admin_user)
    assert client.get(reverse("admin:credentials_credential_add")).status_code == 403
    assert client.get(reverse("admin:credentials_credential_delete", args=[credential.pk])).status_code == 403
    assert client.get(reverse("admin:credentials_credential_change", args=[credential.pk])).status_code == 200


def test_the_demo_gives_the_intermediary_a_logo_once(db):
    from accounts.demo import seed as accounts_seed
    from credentials.demo import seed

    accounts_seed({})
    seed({})
    seed({})
    profile = IssuerProfile.objects.get()
    assert profile.logo.name.startswith("issuers/") and profile.website
