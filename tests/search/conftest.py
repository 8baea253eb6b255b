"""Fixtures of the search tests: the shipped curriculum, imported once per test module."""
import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation


@pytest.fixture(scope="module")
def curriculum(django_db_setup, django_db_blocker):
    """content/ imported (and published) by import_content's own code, as `make run` does, once for the
    module's tests, inside a transaction rolled back after them (each test still rolls back its own changes)."""
    from courses.content_files import content_import, content_read
    from courses.topics import topics_ensure

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        topics_ensure()
        plan = content_read(settings.CONTENT_DIR)
        assert not plan.problems, plan.problems
        content_import(plan, publish=True)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def topics(request):
    """The topics come from a data migration; a transactional test elsewhere may have flushed them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and "curriculum" not in request.fixturenames:
        transactional = marker.kwargs.get("transaction", False)
        request.getfixturevalue("transactional_db" if transactional else "db")
        from courses.topics import topics_ensure

        topics_ensure()


@pytest.fixture
def author(db):
    from tests.factories import UserFactory

    return UserFactory(is_trainer=True, display_name="Claire Author")
