"""Two trainers saving the same lesson at the same moment: no version is lost (PostgreSQL)."""
import threading

import pytest
from django.db import connection

from courses import services
from courses.models import ContentChange, LessonTranslation

from .factories import module_build

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_saves_of_one_translation_count_every_change(author):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (select_for_update) are only meaningful on PostgreSQL; SQLite serialises writers.")
    module = module_build(author=author, lessons=1, questions=0)
    lesson = module.lessons.get()
    barrier = threading.Barrier(4)
    errors = []

    def save(number):
        try:
            barrier.wait()
            services.lesson_translation_save(lesson=lesson, language="fr", title=f"Titre {number}", body_md=f"Texte {number}",
                                             user=author)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    row = LessonTranslation.objects.get(lesson=lesson, language="fr")
    # Created at version 1, then four different texts: four increments, none lost.
    assert row.version == 5
    assert ContentChange.objects.filter(lesson=lesson, language="fr", field="body").count() == 5


def test_concurrent_publish_publishes_once(author):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (select_for_update) are only meaningful on PostgreSQL; SQLite serialises writers.")
    module = module_build(author=author)
    barrier = threading.Barrier(3)

    def publish():
        try:
            barrier.wait()
            services.module_publish(module=module, user=author)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    module.refresh_from_db()
    assert (module.status, module.version) == ("published", 1)
    assert ContentChange.objects.filter(module=module, field="status").count() == 1
