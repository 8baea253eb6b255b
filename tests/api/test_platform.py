"""The API platform: authentication, JSON errors with field and message, the OpenAPI schema."""
import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_api_requires_authentication(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


def test_me_returns_the_profile_and_roles(api_as, learner):
    response = api_as(learner).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == learner.email
    assert response.json()["roles"] == ["learner"]


def test_bad_input_is_a_400_with_field_and_readable_message(api_as, learner):
    response = api_as(learner).patch("/api/v1/me/", {"preferred_language": "klingon"}, format="json",
                                     HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "preferred_language"
    assert "not a valid choice" in error["message"]


def test_a_service_validation_error_becomes_a_400_not_a_500(api_as, learner):
    response = api_as(learner).patch("/api/v1/me/", {"display_name": "x" * 300}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "display_name"


def test_token_authentication(api_client, learner):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=learner)
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_schema_is_a_valid_openapi_3_document(client, tmp_path):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/me/" in document["paths"]
    # drf-spectacular validates the document against the OpenAPI 3 JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


def test_api_docs_page_uses_local_assets(client):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html
