"""Selectors: language choice with a visible fallback, catalogue and completeness in fixed queries."""
import pytest

from courses import services
from courses.models import Module, ModuleTranslation
from courses.selectors import (
    module_completeness_many,
    module_list_for_trainer,
    module_list_published,
    module_translation_completeness,
    translation_pick,
)
from tests.factories import UserFactory

from .factories import module_build

pytestmark = pytest.mark.django_db


class Row:
    def __init__(self, language, complete=True):
        self.language = language
        self.is_complete = complete


def test_translation_pick_prefers_the_language_then_the_source_then_any():
    fr, zh, en = Row("fr"), Row("zh-hans"), Row("en")
    assert translation_pick([fr, zh, en], "zh-hans", source_language="fr") == (zh, False)
    assert translation_pick([fr, en], "zh-hans", source_language="fr") == (fr, True)
    assert translation_pick([zh, en], "fr", source_language="en") == (en, True)
    assert translation_pick([en], "fr", source_language="fr") == (en, True)
    assert translation_pick([], "fr") == (None, True)


def test_translation_pick_skips_a_translation_without_text():
    fr, zh_empty = Row("fr"), Row("zh-hans", complete=False)
    assert translation_pick([fr, zh_empty], "zh-hans", source_language="fr") == (fr, True)
    # Nothing complete anywhere: the asked language is still better than nothing.
    assert translation_pick([Row("fr", False), zh_empty], "zh-hans", source_language="fr") == (zh_empty, False)


def test_translation_pick_accepts_dicts_and_knows_a_loaded_module():
    assert translation_pick([{"language": "fr", "title": "x"}], "zh-hans") == ({"language": "fr", "title": "x"}, True)


def test_translation_pick_reads_the_source_language_from_a_loaded_module(author):
    module = module_build(author=author, languages=("zh-hans", "en"), questions=0)
    Module.objects.filter(pk=module.pk).update(source_language="en")
    rows = list(ModuleTranslation.objects.select_related("module").filter(module=module))
    row, fallback = translation_pick(rows, "fr")
    assert (row.language, fallback) == ("en", True)


def test_catalogue_in_one_language_with_a_visible_fallback(author, django_assert_max_num_queries):
    module_build(slug="both", author=author, publish=True)
    only_fr = module_build(slug="only-fr", author=author, languages=("fr",), questions=0)
    Module.objects.filter(pk=only_fr.pk).update(status=Module.Status.PUBLISHED)
    module_build(slug="draft", author=author)
    with django_assert_max_num_queries(3):
        cards = module_list_published(language="zh-hans")
    by_slug = {card.slug: card for card in cards}
    assert set(by_slug) == {"both", "only-fr"}
    assert (by_slug["both"].title, by_slug["both"].language, by_slug["both"].is_fallback) == ("Module both (zh-hans)", "zh-hans", False)
    assert (by_slug["only-fr"].language, by_slug["only-fr"].is_fallback) == ("fr", True)
    assert by_slug["both"].lesson_count == 2
    assert by_slug["both"].topic_name == "财务管理"


def test_catalogue_queries_do_not_grow_with_modules(author, django_assert_max_num_queries):
    for number in range(8):
        module_build(slug=f"m{number}", author=author, lessons=1, publish=True)
    with django_assert_max_num_queries(3):
        assert len(module_list_published(language="fr")) == 8


def test_completeness_per_language(author):
    module = module_build(author=author, languages=("fr", "zh-hans"), lessons=3, questions=1)
    completeness = module_translation_completeness(module)
    assert completeness["fr"]["percent"] == 100
    assert completeness["zh-hans"]["percent"] == 100
    assert completeness["en"]["percent"] == 0
    # Units: the module's texts, 3 lessons, 1 question.
    assert completeness["fr"]["total"] == 5
    lesson = module.lessons.get(slug="lesson-3")
    services.lesson_translation_save(lesson=lesson, language="en", title="Three", body_md="Text", user=author)
    assert module_translation_completeness(module)["en"]["percent"] == 20


def test_completeness_of_many_modules_in_fixed_queries(author, django_assert_max_num_queries):
    modules = [module_build(slug=f"c{number}", author=author, lessons=2, questions=2) for number in range(6)]
    with django_assert_max_num_queries(8):
        result = module_completeness_many(modules)
    assert all(result[module.pk]["fr"]["percent"] == 100 for module in modules)


def test_the_trainer_list_shows_every_module_with_own_first(author, django_assert_max_num_queries):
    other = UserFactory(is_trainer=True)
    module_build(slug="a-other", author=other)
    module_build(slug="z-mine", author=author)
    with django_assert_max_num_queries(12):
        rows = module_list_for_trainer(user=author, language="fr")
    assert [row["module"].slug for row in rows] == ["z-mine", "a-other"]
    assert [row["is_author"] for row in rows] == [True, False]
    assert rows[0]["completeness"][0]["percent"] == 100


def test_learners_get_no_trainer_list(learner):
    assert module_list_for_trainer(user=learner, language="fr") == []
