"""Services: saving texts renders HTML once, freshness, publishing, history, reorder, images."""
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from courses import services
from courses.models import ContentChange, Lesson, LessonTranslation, Module, QuestionTranslation
from courses.selectors import module_translation_completeness
from tests.factories import UserFactory

from .factories import module_build, question_payload

pytestmark = pytest.mark.django_db


def _zh(module, slug="lesson-1"):
    return LessonTranslation.objects.get(lesson__module=module, lesson__slug=slug, language="zh-hans")


def _fr(module, slug="lesson-1"):
    return LessonTranslation.objects.get(lesson__module=module, lesson__slug=slug, language="fr")


def test_saving_a_lesson_stores_sanitized_html(module, author):
    lesson = module.lessons.get(slug="lesson-1")
    row, change = services.lesson_translation_save(lesson=lesson, language="fr", title="T", body_md="**x** <script>y</script>",
                                                   user=author)
    assert change == "updated"
    assert row.body_html == "<p><strong>x</strong> y</p>"


def test_saving_the_same_text_again_changes_nothing(module, author):
    row = _fr(module)
    before = ContentChange.objects.count()
    _row, change = services.lesson_translation_save(lesson=row.lesson, language="fr", title=row.title, summary=row.summary,
                                                    body_md=row.body_md + "\n\n", user=author)
    assert change is None
    assert ContentChange.objects.count() == before
    assert _fr(module).version == 1


def test_changing_the_source_makes_the_translation_need_an_update(module, author):
    assert module_translation_completeness(module)["zh-hans"]["needs_update"] == 0
    fr = _fr(module)
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="Nouveau texte.", user=author)
    assert _fr(module).version == 2
    assert _zh(module).source_version == 1
    assert module_translation_completeness(module)["zh-hans"]["needs_update"] == 1
    # Editing the translation without saying it matches keeps it "needs update"...
    zh = _zh(module)
    services.lesson_translation_save(lesson=zh.lesson, language="zh-hans", title=zh.title, body_md="改了一个字。", user=author)
    assert module_translation_completeness(module)["zh-hans"]["needs_update"] == 1
    # ...until a trainer marks it updated.
    services.translation_mark_updated(translation=_zh(module), user=author)
    assert _zh(module).source_version == 2
    assert module_translation_completeness(module)["zh-hans"]["needs_update"] == 0
    assert ContentChange.objects.filter(field="marked_updated", language="zh-hans").exists()


def test_saving_a_translation_that_matches_the_source(module, author):
    fr = _fr(module)
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="Nouveau.", user=author)
    zh = _zh(module)
    services.lesson_translation_save(lesson=zh.lesson, language="zh-hans", title=zh.title, body_md="新的。", user=author,
                                     matches_source=True)
    assert _zh(module).source_version == 2


def test_a_new_translation_matches_the_current_source(module, author):
    fr = _fr(module)
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="v2", user=author)
    row, change = services.lesson_translation_save(lesson=fr.lesson, language="en", title="Lesson", body_md="v2 en", user=author)
    assert change == "created"
    assert row.source_version == 2


def test_changing_the_source_language_rebaselines_freshness(module, author):
    fr = _fr(module)
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="v2", user=author)
    services.module_update(module=module, data={"source_language": "zh-hans"}, user=author)
    assert module_translation_completeness(Module.objects.get(pk=module.pk))["fr"]["needs_update"] == 0


def test_every_change_is_in_the_history(module, author):
    fr = _fr(module)
    ContentChange.objects.all().delete()
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title="Nouveau titre", summary=fr.summary,
                                     body_md="Nouveau", user=author)
    changes = list(ContentChange.objects.values_list("object_type", "language", "field", "user_id", "source"))
    assert sorted(changes) == [("lesson", "fr", "body", author.pk, "web"), ("lesson", "fr", "title", author.pk, "web")]


def test_a_title_is_required(module, author):
    with pytest.raises(ValidationError) as error:
        services.lesson_translation_save(lesson=module.lessons.first(), language="fr", title="  ", user=author)
    assert "Give the lesson a title in" in str(error.value)


def test_an_unknown_language_is_refused(module, author):
    with pytest.raises(ValidationError):
        services.lesson_translation_save(lesson=module.lessons.first(), language="de", title="Titel", user=author)


def test_lesson_slugs_are_unique_in_a_module(module, author):
    with pytest.raises(ValidationError) as error:
        services.lesson_create(module=module, slug="lesson-1", user=author)
    assert "already has a lesson" in str(error.value)


def test_module_slugs_are_checked(author):
    for slug in ("Bad Slug", "new", "preview", "é"):
        with pytest.raises(ValidationError):
            services.module_create(slug=slug, topic="finance", user=author)


# --- Publishing ------------------------------------------------------------------------------

def test_a_complete_module_is_published(module, author):
    assert services.module_publish_check(module) == []
    published = services.module_publish(module=module, user=author)
    assert published.status == Module.Status.PUBLISHED
    assert published.published_at is not None
    assert ContentChange.objects.filter(module=module, field="status").count() == 1


def test_publishing_an_incomplete_module_is_refused_with_what_is_missing(author):
    module = module_build(author=author, languages=("fr",), questions=0)
    with pytest.raises(ValidationError) as error:
        services.module_publish(module=module, user=author)
    messages = error.value.messages
    assert "The module's title and summary are missing in Simplified Chinese: add them in the module's settings." in messages
    assert ("Lesson 1 “Lesson 1 (fr)” is not written in Simplified Chinese yet: add its title and text in Simplified Chinese."
            in messages)
    assert "The module has no quiz question yet: add at least one question to the quiz." in messages
    assert Module.objects.get(pk=module.pk).status == Module.Status.DRAFT


def test_the_missing_list_is_in_the_trainers_language(author):
    from django.utils import translation

    module = module_build(author=author, languages=("fr",), questions=0)
    with translation.override("fr"):
        problems = services.module_publish_check(module)
    # The language's name comes from Django's own catalogue, so it is French here.
    assert any("chinois" in problem.lower() for problem in problems)


def test_a_lesson_with_an_empty_body_is_not_complete(module, author):
    zh = _zh(module)
    services.lesson_translation_save(lesson=zh.lesson, language="zh-hans", title=zh.title, body_md="", user=author)
    assert module_translation_completeness(module)["zh-hans"]["percent"] < 100
    assert any("Lesson 1" in problem for problem in services.module_publish_check(module))


def test_an_archived_lesson_does_not_count(module, author):
    extra = services.lesson_create(module=module, slug="draft-lesson", user=author)
    assert module_translation_completeness(module)["fr"]["percent"] < 100
    services.lesson_archive(lesson=extra, user=author)
    assert module_translation_completeness(module)["fr"]["percent"] == 100


def test_workflow_transitions(module, author):
    services.module_submit_for_review(module=module, user=author)
    assert Module.objects.get(pk=module.pk).status == Module.Status.IN_REVIEW
    services.module_publish(module=module, user=author)
    services.module_unpublish(module=module, user=author)
    module.refresh_from_db()
    assert module.status == Module.Status.DRAFT
    services.module_publish(module=module, user=author)
    module.refresh_from_db()
    assert module.version == 2
    services.module_archive(module=module, user=author)
    with pytest.raises(ValidationError):
        services.module_publish(module=module, user=author)
    with pytest.raises(ValidationError):
        services.module_submit_for_review(module=module, user=author)
    services.module_restore(module=module, user=author)
    assert Module.objects.get(pk=module.pk).status == Module.Status.DRAFT


def test_a_published_lesson_can_be_corrected(author):
    module = module_build(author=author, publish=True)
    fr = _fr(module)
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="Corrigé.", user=author)
    assert Module.objects.get(pk=module.pk).status == Module.Status.PUBLISHED
    assert _fr(module).body_html == "<p>Corrigé.</p>"


# --- Quiz ------------------------------------------------------------------------------------

def test_a_single_choice_question_needs_exactly_one_correct_choice(module, author):
    payload = question_payload("two-right")
    payload["choices"][1]["correct"] = True
    with pytest.raises(ValidationError) as error:
        services.question_save(quiz=module.quiz, user=author, **payload)
    assert "exactly one correct choice" in str(error.value)
    payload["kind"] = "multiple"
    question, change = services.question_save(quiz=module.quiz, user=author, **payload)
    assert change == "created"


def test_a_question_needs_a_correct_choice_and_two_choices(module, author):
    payload = question_payload("none-right")
    payload["choices"][0]["correct"] = False
    with pytest.raises(ValidationError):
        services.question_save(quiz=module.quiz, user=author, **payload)
    payload = question_payload("alone")
    payload["choices"] = payload["choices"][:1]
    with pytest.raises(ValidationError):
        services.question_save(quiz=module.quiz, user=author, **payload)


def test_question_texts_are_rendered_and_fresh(module, author):
    question = module.quiz.questions.get(key="q1")
    payload = question_payload("q1")
    payload["texts"]["fr"]["text"] = "Le *nouveau* texte"
    _question, change = services.question_save(quiz=module.quiz, question=question, user=author, **payload)
    assert change == "updated"
    fr = QuestionTranslation.objects.get(question=question, language="fr")
    zh = QuestionTranslation.objects.get(question=question, language="zh-hans")
    assert fr.text_html == "<p>Le <em>nouveau</em> texte</p>"
    assert (fr.version, zh.source_version) == (2, 1)
    assert module_translation_completeness(module)["zh-hans"]["needs_update"] == 1
    # Saving it again unchanged is not a change.
    assert services.question_save(quiz=module.quiz, question=question, user=author, **payload)[1] is None


def test_changing_both_languages_at_once_keeps_them_in_step(module, author):
    question = module.quiz.questions.get(key="q1")
    payload = question_payload("q1")
    payload["texts"]["fr"]["text"] = "Nouveau"
    payload["texts"]["zh-hans"]["text"] = "新的"
    services.question_save(quiz=module.quiz, question=question, user=author, **payload)
    assert module_translation_completeness(module)["zh-hans"]["needs_update"] == 0


def test_archived_questions_leave_the_quiz(module, author):
    question = module.quiz.questions.get(key="q1")
    services.question_archive(question=question, user=author)
    assert "The module has no quiz question yet: add at least one question to the quiz." in services.module_publish_check(module)


# --- Order, authors, images -------------------------------------------------------------------

def test_lessons_are_reordered(module, author):
    first, second = module.lessons.order_by("position")
    services.lesson_reorder(module=module, lesson_ids=[second.pk, first.pk], user=author)
    assert list(module.lessons.order_by("position").values_list("slug", flat=True)) == ["lesson-2", "lesson-1"]
    services.lesson_move(lesson=Lesson.objects.get(pk=first.pk), offset=-1, user=author)
    assert list(module.lessons.order_by("position").values_list("slug", flat=True)) == ["lesson-1", "lesson-2"]
    with pytest.raises(ValidationError):
        services.lesson_reorder(module=module, lesson_ids=[first.pk], user=author)


def test_authors(module, author):
    other = UserFactory(is_trainer=True)
    assert services.module_author_add(module=module, author=other, user=author) is True
    assert services.module_author_add(module=module, author=other, user=author) is False
    services.module_author_remove(module=module, author=author, user=other)
    with pytest.raises(ValidationError):
        services.module_author_remove(module=module, author=other, user=other)
    with pytest.raises(ValidationError):
        services.module_author_add(module=module, author=UserFactory(is_learner=True), user=other)


def _png(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 100)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_is_checked_from_its_content_and_resized(module, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ESSOR_IMAGE_MAX_SIDE = 400
    image, change = services.lesson_image_save(module=module, name="Cash Book.JPG", data=_png(1200, 600), user=author)
    assert change == "created"
    # The extension follows the real type, and the huge image was made smaller.
    assert image.name == "cash-book.png"
    assert (image.width, image.height) == (400, 200)
    with pytest.raises(ValidationError) as error:
        services.lesson_image_save(module=module, name="x.png", data=b"<svg onload=alert(1)>", user=author)
    assert "not an image we can show" in str(error.value)


def test_a_too_big_image_is_refused(module, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ESSOR_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        services.lesson_image_save(module=module, name="x.png", data=_png(300, 300), user=author)
    assert "larger than" in str(error.value)


def test_adding_an_image_re_renders_the_lessons_that_use_it(module, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fr = _fr(module)
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="![Le livre](images/book.png)",
                                     user=author)
    assert "<img" not in _fr(module).body_html
    image, _change = services.lesson_image_save(module=module, name="book.png", data=_png(10, 10), user=author)
    assert f'src="{image.image.url}"' in _fr(module).body_html
