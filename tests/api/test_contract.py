"""The API contract (issue 11): JSON errors for every error path, ids validated, 401 for anonymous
calls, a root listing the sections, a schema that documents what is answered, no 500 when the cache
behind the throttle is down."""
import pytest
import yaml

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"  # 20 digits: beyond 64 bits


def is_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and body["errors"][0]["message"]
    return body


def test_an_anonymous_call_is_a_401_that_says_how_to_authenticate(api_client):
    response = api_client.get("/api/v1/me/")
    is_json_error(response, 401)
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", ["/api/v1/coaching/requests/abc/", "/api/v1/coaching/requests/abc/submit/",
                                 "/api/v1/coaching/missions/x/sessions/", f"/api/v1/coaching/proposals/{BIG}/",
                                 f"/api/v1/cohorts/1/learners/{BIG}/", f"/api/v1/enrollments/{BIG}/"])
def test_an_id_that_is_not_a_number_or_too_big_is_a_json_404(api_as, learner, url):
    is_json_error(api_as(learner).get(url), 404)
    is_json_error(api_as(learner).post(url, {}, format="json"), 404)


@pytest.mark.parametrize("url,body", [
    ("/api/v1/progress/", {"lesson": int(BIG)}),
    ("/api/v1/progress/batch/", {"events": [{"lesson": int(BIG)}]}),
])
def test_an_id_beyond_64_bits_in_a_body_is_a_400(api_as, learner, url, body):
    body = is_json_error(api_as(learner).post(url, body, format="json"), 400)
    assert "lesson" in body["errors"][0]["field"]


def test_reminders_with_huge_ids_are_a_400(api_as, staff):
    from tests.cohorts.factories import cohort_for

    cohort = cohort_for(staff)
    response = api_as(staff).post(f"/api/v1/cohorts/{cohort.pk}/reminders/", {"user_ids": [int(BIG)]}, format="json")
    assert is_json_error(response, 400)["errors"][0]["field"].startswith("user_ids")


def test_a_partial_coach_profile_with_an_incomplete_skill_is_a_400(api_as, coach):
    client = api_as(coach)
    response = client.patch("/api/v1/coaching/profile/", {"skills": [{"topic": "finance"}]}, format="json")
    assert is_json_error(response, 400)["errors"][0]["field"] == "skills[0].level"


def test_the_api_root_lists_the_sections_and_needs_authentication(api_client, api_as, learner):
    is_json_error(api_client.get("/api/v1/"), 401)
    sections = api_as(learner).get("/api/v1/").json()
    assert sections["me"].endswith("/api/v1/me/") and sections["coaching_requests"].endswith("/api/v1/coaching/requests/")
    assert {"modules", "enrollments", "progress", "cohorts", "coaching_missions"} <= set(sections)


def test_a_body_over_the_upload_limit_is_a_json_413(api_as, learner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(learner).post("/api/v1/progress/batch/", {"events": [{"lesson": 1}] * 200}, format="json")
    is_json_error(response, 413)


def test_the_throttle_lets_requests_through_when_its_cache_is_down(api_as, learner, settings):
    # A closed port: the cache behind the throttle refuses every connection (as when Redis is stopped).
    settings.CACHES = {"default": {"BACKEND": "core.cache.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "user": "5/minute"}}
    assert api_as(learner).get("/api/v1/me/").status_code == 200


def test_the_schema_documents_the_errors_paginated_lists_and_nullables(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    for path, method, op in operations:
        expected = {"400", "401", "403", "404", "429"} | ({"409", "413"} if method in {"post", "put", "patch", "delete"} else set())
        assert expected <= set(op["responses"]), (method, path)
    components = schema["components"]["schemas"]
    assert "results" in components["PaginatedCohortList"]["properties"]
    assert components["Request"]["properties"]["mission"].get("nullable") is True
    sessions = schema["paths"]["/api/v1/coaching/missions/{id}/sessions/"]["get"]["responses"]["200"]
    assert sessions["content"]["application/json"]["schema"]["type"] == "array"
    assert schema["paths"]["/api/v1/coaching/requests/{id}/"]["get"]["parameters"][0]["schema"]["maximum"] == 10**18 - 1
