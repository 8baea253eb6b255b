"""Reads: catalogue, resume targets, the reader's language choice, trainer results, recommendations."""
import pytest

from courses.models import LessonTranslation
from learners import selectors
from learners.models import Enrollment
from learners.services import diagnostic_submit, enrollment_create, lesson_progress_record, quiz_attempt_submit
from tests.factories import UserFactory
from tests.learners.factories import diagnostic, module_with_lessons, quiz_answers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("interface", "content"), [("zh-hans", "zh-hans"), ("fr", "fr"), ("en", "en"), ("zh", "zh-hans"),
                                                    ("fr-ca", "fr")])
def test_content_language_follows_the_interface_language(interface, content):
    assert selectors.content_language(interface) == content


def test_an_interface_language_without_content_falls_back_to_the_site_language(settings):
    settings.LANGUAGE_CODE = "fr"
    assert selectors.content_language("de") == "fr"


def test_catalogue_costs_the_same_queries_for_2_or_12_modules(learner, django_assert_max_num_queries):
    for index in range(2):
        enrollment_create(user=learner, module=module_with_lessons(slug=f"a-{index}"))
    with django_assert_max_num_queries(9) as few:
        assert len(selectors.catalogue_list(user=learner, language="fr")) == 2
    for index in range(10):
        enrollment_create(user=learner, module=module_with_lessons(slug=f"b-{index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(selectors.catalogue_list(user=learner, language="fr")) == 12


def test_a_module_is_available_in_a_language_only_when_every_lesson_is_written_in_it():
    module = module_with_lessons(lessons=2, languages=("fr", "zh-hans", "en"))
    LessonTranslation.objects.filter(lesson__module=module, lesson__slug="lesson-2", language="en").update(body_html="")
    assert selectors.catalogue_list(user=UserFactory(), language="fr")[0].languages == ["fr", "zh-hans"]


def test_resume_is_the_first_unfinished_lesson_then_the_quiz_then_the_module(learner):
    module = module_with_lessons(lessons=2)
    enrollment = enrollment_create(user=learner, module=module)
    first, second = module.lessons.all()

    def resume():
        enrollment.refresh_from_db()
        enrollment.module = module
        return selectors.resume_urls(user=learner, enrollments=[enrollment])[module.pk]

    assert resume() == f"/learn/{module.slug}/lesson-1/"
    lesson_progress_record(user=learner, lesson=second)
    assert resume() == f"/learn/{module.slug}/lesson-1/"
    lesson_progress_record(user=learner, lesson=first)
    assert resume() == f"/learn/{module.slug}/quiz/"
    quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module))
    assert resume() == f"/learn/{module.slug}/"


def test_reader_falls_back_visibly_and_side_by_side_picks_another_language(learner):
    module = module_with_lessons(lessons=1, languages=("fr", "zh-hans"))
    page = selectors.lesson_page(user=learner, module=module, lesson_slug="lesson-1", language="en", enrollment=None,
                                 side_by_side=True)
    assert (page.text.language, page.text.is_fallback, page.text.requested_language) == ("fr", True, "en")
    assert page.second.language == "zh-hans" and not page.second.is_fallback


def test_module_results_per_question_and_drop_off():
    module = module_with_lessons(lessons=3, questions=2)
    first_question, second_question = module.quiz.questions.all()
    users = [UserFactory() for _ in range(4)]
    for user in users:
        enrollment_create(user=user, module=module)
    lessons = list(module.lessons.all())
    lesson_progress_record(user=users[0], lesson=lessons[0])
    lesson_progress_record(user=users[1], lesson=lessons[0], event="viewed")
    lesson_progress_record(user=users[1], lesson=lessons[1])
    wrong = quiz_answers(module, correct=False)
    right = quiz_answers(module)
    quiz_attempt_submit(user=users[0], quiz=module.quiz, answers=right)
    quiz_attempt_submit(user=users[1], quiz=module.quiz, answers=wrong)
    quiz_attempt_submit(user=users[2], quiz=module.quiz, answers={**right, str(second_question.pk): wrong[str(second_question.pk)]})
    results = selectors.module_results(module=module, language="fr")
    assert (results.enrolled, results.attempts, results.learners_attempted, results.passed) == (4, 3, 3, 1)
    first, second = results.questions
    assert (first.answered, first.correct, first.share_correct) == (3, 2, 67)
    assert (second.correct, second.wrong_choice_count, second.wrong_choice_html) == (1, 2, "C2")
    assert [(lesson.viewed, lesson.completed, lesson.share_viewed) for lesson in results.lessons] == [(2, 1, 50), (1, 1, 25), (0, 0, 0)]


def test_the_two_weakest_areas_recommend_their_modules_once_each(learner):
    strategy = module_with_lessons(slug="strategy")
    diag = diagnostic()
    diag.areas.filter(key__in=["strategy", "governance"]).update(module=strategy)
    keys = {s.key: a.key for a in diag.areas.all() for s in a.statements.all()}
    diagnostic_submit(user=learner, answers={key: (1 if area in ("strategy", "governance") else 3) for key, area in keys.items()})
    latest = selectors.diagnostic_latest(user=learner, language="en")
    assert [a.key for a in latest.weakest] == ["strategy", "governance"]
    assert [a.module_slug for a in latest.recommended] == ["strategy"]
    assert selectors.weakest_area_module_ids(user=learner) == [strategy.pk, strategy.pk]


def test_next_recommended_prefers_a_module_that_builds_on_the_completed_one(learner):
    done = module_with_lessons(slug="done", topic_key="finance")
    module_with_lessons(slug="aaa-same-topic", topic_key="finance")
    follow_up = module_with_lessons(slug="zzz-follow-up", topic_key="communication")
    follow_up.prerequisites.add(done)
    assert selectors.module_next_recommended(user=learner, module=done, language="fr").slug == "zzz-follow-up"
    Enrollment.objects.create(user=learner, module=follow_up, completed_at="2024-01-01T00:00:00Z")
    assert selectors.module_next_recommended(user=learner, module=done, language="fr").slug == "aaa-same-topic"


def test_dashboard_separates_in_progress_completed_and_left(learner):
    going, finished, left = (module_with_lessons(lessons=1, slug=slug) for slug in ("going", "finished", "left"))
    enrollment_create(user=learner, module=going)
    lesson_progress_record(user=learner, lesson=finished.lessons.first())
    quiz_attempt_submit(user=learner, quiz=finished.quiz, answers=quiz_answers(finished))
    from learners.services import enrollment_leave

    enrollment_leave(enrollment=enrollment_create(user=learner, module=left))
    dashboard = selectors.dashboard_for_learner(user=learner, language="fr")
    assert [row.module.slug for row in dashboard.in_progress] == ["going"]
    assert [row.module.slug for row in dashboard.completed] == ["finished"] and dashboard.completed[0].certificate
    assert [row.module.slug for row in dashboard.left] == ["left"]


def test_catalogue_puts_the_modules_in_progress_first_and_the_completed_last(learner):
    first, second, third, fourth = (module_with_lessons(slug=slug, lessons=2, questions=0) for slug in ("aa", "bb", "cc", "dd"))
    enrollment_create(user=learner, module=third)  # enrolled, not started
    enrollment_create(user=learner, module=fourth)
    lesson_progress_record(user=learner, lesson=fourth.lessons.first())  # started
    enrollment_create(user=learner, module=first)
    for lesson in first.lessons.all():  # every lesson, no quiz: completed
        lesson_progress_record(user=learner, lesson=lesson)
    assert [card.slug for card in selectors.catalogue_list(user=learner, language="fr")] == ["dd", "cc", "bb", "aa"]


def test_side_by_side_pairs_the_two_languages_sections_by_position(learner):
    module = module_with_lessons(slug="pairs", lessons=1, questions=0)
    LessonTranslation.objects.filter(lesson__module=module, language="fr").update(
        body_html="<p>Intro</p><h2>Un</h2><p>A</p><h2>Deux</h2><p>B</p>")
    LessonTranslation.objects.filter(lesson__module=module, language="zh-hans").update(
        body_html="<p>引言</p><h2>一</h2><p>甲</p>")
    page = selectors.lesson_page(user=learner, module=module, lesson_slug="lesson-1", language="fr", enrollment=None,
                                 side_by_side=True, second_language="zh-hans")
    assert page.section_pairs == [("<p>Intro</p>", "<p>引言</p>"), ("<h2>Un</h2><p>A</p>", "<h2>一</h2><p>甲</p>"),
                                  ("<h2>Deux</h2><p>B</p>", "")]
    single = selectors.lesson_page(user=learner, module=module, lesson_slug="lesson-1", language="fr", enrollment=None)
    assert single.section_pairs == []


@pytest.mark.parametrize("module_slug", ["finance-a", "lesson-slug-marker-2", "lesson"])
def test_lesson_urls_with_one_reverse_are_the_lesson_urls(module_slug):
    from learners.selectors.common import lesson_url, lesson_urls

    url = lesson_urls(module_slug)
    for lesson_slug in ("lesson-1", "lesson-slug-marker", "intro_2", "x"):
        assert url(lesson_slug) == lesson_url(module_slug, lesson_slug)
