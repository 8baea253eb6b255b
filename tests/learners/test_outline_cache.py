"""The module outlines the learner pages read from the cache follow every change of the content at once."""
import pytest

from courses.models import LessonTranslation, ModuleTranslation
from learners.selectors import module_outline
from tests.learners.factories import module_with_lessons

pytestmark = pytest.mark.django_db


def test_a_renamed_lesson_an_archived_one_and_a_new_title_show_at_once(client_as, learner):
    module = module_with_lessons(lessons=3, questions=1)
    client = client_as(learner)
    first, second, third = module.lessons.order_by("position")
    url = f"/learn/{module.slug}/"
    assert "Renamed lesson" not in client.get(url).content.decode()
    translation = LessonTranslation.objects.get(lesson=second, language="fr")
    translation.title = "Renamed lesson"
    translation.save()
    assert "Renamed lesson" in client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    third.is_archived = True
    third.save(update_fields=["is_archived"])
    module.refresh_from_db()
    assert [slug for _pk, slug, _p in module_outline(module).lessons] == [first.slug, second.slug]
    ModuleTranslation.objects.filter(module=module, language="fr").update(title="Not seen: written behind the signals' back")
    title = ModuleTranslation.objects.get(module=module, language="fr")
    title.title = "New module title"
    title.save()
    module.refresh_from_db()
    assert {row["title"] for row in module_outline(module).module_rows} >= {"New module title"}


def test_the_outline_is_read_once_then_from_the_cache(django_assert_num_queries):
    module = module_with_lessons(lessons=3, questions=1)
    with django_assert_num_queries(4):
        module_outline(module)
    with django_assert_num_queries(0):
        module_outline(module)
