"""Fixtures of the courses tests: interface in English, a complete module and its author."""
from pathlib import Path

import pytest
from django.utils import translation

from tests.factories import UserFactory

from .factories import module_build

SAMPLE = Path(__file__).resolve().parent / "sample_content"


@pytest.fixture(autouse=True)
def topics(request):
    """The topics come from a data migration; a transactional test elsewhere may have flushed them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        transactional = marker.kwargs.get("transaction", False) or bool(marker.args and marker.args[0])
        request.getfixturevalue("transactional_db" if transactional else "db")
        from courses.topics import topics_ensure

        topics_ensure()


@pytest.fixture(autouse=True)
def english():
    # Messages are asserted in English whatever the site's default language and catalogues.
    with translation.override("en"):
        yield


@pytest.fixture
def author(db):
    return UserFactory(is_trainer=True, display_name="Claire Author")


@pytest.fixture
def module(author):
    return module_build(author=author)


@pytest.fixture
def sample_dir():
    return SAMPLE
