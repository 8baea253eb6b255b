"""HTML is sent compressed when the browser accepts it (issue 12, "Compress HTML responses"): a cohort dashboard of
200 learners stays under 250 KB and a lesson page under 100 KB transferred."""
import gzip

import pytest
from django.urls import reverse

from learners.services import enrollment_create
from tests.cohorts.factories import bulk_cohort
from tests.learners.factories import module_with_lessons

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _transferred(response) -> tuple[int, int]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.get("Content-Encoding") == "gzip", dict(response.headers)
    assert "Accept-Encoding" in response.get("Vary", "")
    return len(body), len(gzip.decompress(body))


def test_a_cohort_dashboard_of_200_learners_is_under_250_kb(client, staff):
    modules = [module_with_lessons(lessons=3, questions=1, slug=f"size-{n}") for n in range(4)]
    cohort = bulk_cohort(staff, learners=200, module_list=modules)
    client.force_login(staff)
    response = client.get(reverse("cohorts:dashboard", kwargs={"pk": cohort.pk}), {"per_page": 200}, **GZIP)
    assert response.status_code == 200
    sent, html = _transferred(response)
    assert sent <= 250 * 1024 and sent < html / 3, (sent, html)


def test_a_lesson_page_is_under_100_kb(client, learner):
    module = module_with_lessons(lessons=3, questions=1, slug="size-lesson")
    enrollment_create(user=learner, module=module, language="fr")
    client.force_login(learner)
    response = client.get(reverse("learners:lesson", kwargs={"module": module.slug, "lesson": "lesson-1"}), **GZIP)
    assert response.status_code == 200
    sent, html = _transferred(response)
    assert sent <= 100 * 1024, (sent, html)


def test_without_accept_encoding_the_html_is_plain(client):
    response = client.get("/")
    assert response.status_code == 200 and not response.get("Content-Encoding")
