"""Fixtures for the credentials tests: a fixed issuer key and site URL, files under a temporary var/,
a learner who earned a certificate, and `fetch` — what a verifier outside the site would read."""
import json
from urllib.parse import urlsplit

import pytest

from learners.models import Certificate
from learners.services import enrollment_create, lesson_progress_record, quiz_attempt_submit
from tests.learners.factories import module_with_lessons, quiz_answers

# The W3C vc-di-eddsa test vector key (public test data, never a production key).
TEST_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
TEST_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
SITE = "https://essor.example.org"


@pytest.fixture(autouse=True)
def credentials_settings(settings, tmp_path):
    settings.CREDENTIALS_SIGNING_KEY = TEST_KEY
    settings.CREDENTIALS_RETIRED_KEYS = []
    settings.SITE_URL = SITE
    settings.VAR_DIR = tmp_path
    settings.ALLOWED_HOSTS = ["testserver", "essor.example.org"]
    return settings


def earn(user, module) -> Certificate:
    enrollment_create(user=user, module=module, language="fr")
    for lesson in module.lessons.all():
        lesson_progress_record(user=user, lesson=lesson)
    quiz_attempt_submit(user=user, quiz=module.quiz, answers=quiz_answers(module))
    return Certificate.objects.select_related("module", "user").get(user=user, module=module)


@pytest.fixture
def module(db):
    return module_with_lessons(lessons=2, questions=1, slug="basic-finance", languages=("fr", "zh-hans", "en"))


@pytest.fixture
def certificate(learner, module):
    return earn(learner, module)


@pytest.fixture
def fetch(client):
    """get(url) -> JSON, through the site, for URLs under ESSOR_SITE_URL (what did:web and the status
    list entry point at); anything else is a test failure (no network)."""

    def get(url: str) -> dict:
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == SITE, url
        response = client.get(parts.path, HTTP_HOST="essor.example.org", secure=True)
        assert response.status_code == 200, (url, response.status_code)
        return json.loads(response.content)

    return get
