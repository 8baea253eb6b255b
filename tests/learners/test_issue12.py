"""What a walkthrough on a phone found on the learner's side (issue 12): a form whose token went stale,
a translation behind its original, percentages that say what they count, quizzes that prove learning,
recommendations and "continue" that follow what the learner did."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LessonTranslation
from learners.models import Enrollment
from learners.services import lesson_progress_record, quiz_attempt_submit
from tests.factories import PASSWORD
from tests.learners.factories import module_with_lessons, quiz_answers

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


# --- A stale form token (item 3) ----------------------------------------------------------------------

@pytest.mark.parametrize(("language", "title", "back"), [
    ("fr", "Ce formulaire a expiré", "Revenir à la page"),
    ("zh-hans", "此表单已过期", "返回该页面"),
    ("en", "This form has expired", "Go back to the page"),
])
def test_a_stale_form_token_shows_a_translated_page_that_leads_back(enrolled, module, language, title, back):
    enrolled.preferred_language = language
    enrolled.save(update_fields=["preferred_language"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrolled)
    client.cookies["django_language"] = language
    quiz_url = reverse("learners:quiz", args=[module.slug])
    response = client.post(quiz_url, {"csrfmiddlewaretoken": "stale" * 8, **{f"q-{q}": c for q, c in quiz_answers(module).items()}},
                           HTTP_REFERER=f"http://testserver{quiz_url}", HTTP_ACCEPT_LANGUAGE=language)
    html = html_of(response)
    assert response.status_code == 403
    assert title in html and back in html and f'href="http://testserver{quiz_url}"' in html
    assert "CSRF" not in html and "DEBUG" not in html and "<script>" not in html
    assert not enrolled.quiz_attempts.exists()


def test_the_expired_form_page_never_links_to_another_site(client, enrolled):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/learn/basic-finance/quiz/", {}, HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 403 and "evil.example" not in html_of(response)
    assert 'href="/learn/basic-finance/quiz/"' in html_of(response)


def test_a_quiz_sent_after_the_session_expired_goes_to_log_in_and_back_to_the_quiz(client, enrolled, module):
    quiz_url = reverse("learners:quiz", args=[module.slug])
    response = client.post(quiz_url, {f"q-{q}": c for q, c in quiz_answers(module).items()})
    assert response.status_code == 302
    login = response["Location"]
    assert login == f"{reverse('accounts:login')}?next={quiz_url}"
    response = client.post(login, {"username": enrolled.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == quiz_url


def test_the_quiz_page_keeps_answers_in_the_browser_with_a_script_file_only(client_as, enrolled, module):
    html = html_of(client_as(enrolled).get(reverse("learners:quiz", args=[module.slug])))
    assert f'data-keep-answers="essor:quiz:{enrolled.pk}:{module.slug}"' in html
    assert 'src="/static/learners/quiz.js"' in html
    assert "<script>" not in html and " onclick=" not in html and "javascript:" not in html


# --- A translation behind its original (item 4, the learner's side) -------------------------------------

def _make_zh_stale(module, position=1):
    source = LessonTranslation.objects.get(lesson__module=module, lesson__position=position, language="fr")
    LessonTranslation.objects.filter(pk=source.pk).update(version=source.version + 1)


def test_a_lesson_whose_translation_needs_update_says_so_and_links_to_the_original(client_as, enrolled, module):
    _make_zh_stale(module)
    client = client_as(enrolled)
    url = reverse("learners:lesson", kwargs={"module": module.slug, "lesson": "lesson-1"})
    html = html_of(client.get(url))
    assert "stale-translation" in html
    assert f'href="{url}?lang=fr"' in html
    # The original itself has no notice, nor a lesson whose translation is up to date.
    assert "stale-translation" not in html_of(client.get(url + "?lang=fr"))
    assert "stale-translation" not in html_of(client.get(reverse("learners:lesson", kwargs={"module": module.slug,
                                                                                            "lesson": "lesson-2"})))
    # Side by side: the notice is on the column that is behind.
    html = html_of(client.get(url + "?view=side-by-side&with=fr"))
    assert html.count("stale-translation") == 1


@pytest.mark.parametrize(("language", "words"), [
    ("fr", "Cette traduction n’est peut-être pas à jour"),
    ("zh-hans", "此译文可能落后于原文"),
])
def test_the_stale_translation_notice_is_translated(client_as, enrolled, module, language, words):
    _make_zh_stale(module)
    client = client_as(enrolled)
    client.cookies["django_language"] = language
    enrolled.preferred_language = language
    enrolled.save(update_fields=["preferred_language"])
    html = html_of(client.get(reverse("learners:lesson", kwargs={"module": module.slug, "lesson": "lesson-1"})))
    assert words in html


# --- Percentages that say what they count, rounded one way everywhere (item 5) ----------------------------

@pytest.mark.parametrize(("done", "total", "percent"), [
    (0, 6, 0), (1, 6, 17), (2, 6, 33), (3, 6, 50), (5, 6, 83), (6, 6, 100), (1, 200, 1), (199, 200, 99), (1, 8, 13),
    (0, 0, 0), (7, 6, 100),
])
def test_progress_percent_rounds_to_the_nearest_and_never_claims_all_or_nothing_too_early(done, total, percent):
    from learners.progress import progress_percent

    assert progress_percent(done, total) == percent


def test_the_stored_percent_counts_the_quiz_as_a_step_and_is_rounded_to_the_nearest(learner):
    module = module_with_lessons(lessons=5, questions=2)
    lessons = list(module.lessons.order_by("position"))
    enrollment = lesson_progress_record(user=learner, lesson=lessons[0])
    assert (enrollment.lessons_done, enrollment.percent) == (1, 17)  # 1 of 6 steps; was 16 (rounded down)
    enrollment = lesson_progress_record(user=learner, lesson=lessons[1])
    assert enrollment.percent == 33


def test_pages_say_what_the_percentage_counts(client_as, learner):
    module = module_with_lessons(lessons=5, questions=2, slug="five")
    no_quiz = module_with_lessons(lessons=5, questions=0, slug="no-quiz")
    for target in (module, no_quiz):
        for lesson in list(target.lessons.order_by("position"))[:2]:
            lesson_progress_record(user=learner, lesson=lesson)
    client = client_as(learner)
    client.cookies["django_language"] = "en"
    for url in (reverse("learners:module-detail", args=["five"]), reverse("learners:dashboard"), reverse("learners:catalogue"),
                reverse("learners:lesson", kwargs={"module": "five", "lesson": "lesson-3"})):
        html = html_of(client.get(url))
        assert "2 of 5 lessons done, quiz not passed yet" in html and "33 %" in html, url
    html = html_of(client.get(reverse("learners:module-detail", args=["no-quiz"])))
    assert "2 of 5 lessons done<" in html and "40 %" in html
    quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module))
    html = html_of(client.get(reverse("learners:module-detail", args=["five"])))
    assert "2 of 5 lessons done, and the quiz passed" in html and "50 %" in html


@pytest.mark.parametrize(("language", "words"), [
    ("fr", "Leçons terminées\u00a0: 2 sur 5, quiz pas encore réussi"),
    ("zh-hans", "已完成 2/5 节课，小测验尚未通过"),
])
def test_the_progress_words_are_translated(client_as, learner, language, words):
    module = module_with_lessons(lessons=5, questions=2, slug="five")
    for lesson in list(module.lessons.order_by("position"))[:2]:
        lesson_progress_record(user=learner, lesson=lesson)
    client = client_as(learner)
    client.cookies["django_language"] = language
    learner.preferred_language = language
    learner.save(update_fields=["preferred_language"])
    assert words in html_of(client.get(reverse("learners:module-detail", args=["five"])))


def test_the_api_and_the_cohort_figures_read_the_same_rounded_percent(api_as, learner, staff):
    from cohorts.selectors.dashboard import cohort_dashboard
    from tests.cohorts.factories import cohort_for, member

    module = module_with_lessons(lessons=5, questions=2, slug="five")
    other = module_with_lessons(lessons=2, questions=0, slug="two")
    cohort = cohort_for(staff, module_list=[module, other])
    member(cohort, learner)
    lesson_progress_record(user=learner, lesson=module.lessons.order_by("position").first())
    body = api_as(learner).get("/api/v1/enrollments/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {row["module"]: row["percent"] for row in rows}["five"] == 17
    row = next(r for r in cohort_dashboard(cohort=cohort).rows if r.user_id == learner.pk)
    # The learner's average over the cohort's two modules: (17 + 0) / 2 = 8.5 → 9, not 8.
    assert row.percent == 9


# --- Recommendations and "continue" follow what the learner did (item 11) ---------------------------------

def _diagnostic_weak_in(learner, weakest: str, second: str):
    from learners.services import diagnostic_submit
    from tests.learners.factories import diagnostic

    diag = diagnostic()
    answers = {}
    for area in diag.areas.prefetch_related("statements"):
        value = 1 if area.key == weakest else 2 if area.key == second else 4
        answers.update({statement.key: value for statement in area.statements.all()})
    diagnostic_submit(user=learner, answers=answers)
    return diag


def test_the_diagnostic_never_recommends_a_module_already_completed(client_as, learner):
    from courses.models import DiagnosticArea

    diag = _diagnostic_weak_in(learner, "finance", "volunteers")
    finance = module_with_lessons(lessons=1, questions=0, slug="finance-basics")
    volunteers = module_with_lessons(lessons=1, questions=0, slug="volunteers-basics")
    strategy = module_with_lessons(lessons=1, questions=0, slug="strategy-basics")
    for key, target in (("finance", finance), ("volunteers", volunteers), ("strategy", strategy)):
        DiagnosticArea.objects.filter(diagnostic=diag, key=key).update(module=target)
    client = client_as(learner)
    html = html_of(client.get(reverse("learners:diagnostic")))
    assert "/learn/finance-basics/" in html and "/learn/volunteers-basics/" in html
    lesson_progress_record(user=learner, lesson=finance.lessons.get())  # completes the module (no quiz)
    assert Enrollment.objects.get(user=learner, module=finance).completed_at
    html = html_of(client.get(reverse("learners:diagnostic")))
    recommended = html.split("Where to start")[1] if "Where to start" in html else html
    assert "/learn/finance-basics/" not in recommended.split("History")[0]
    # The next weakest area's module takes its place.
    assert "/learn/volunteers-basics/" in recommended and "/learn/strategy-basics/" in recommended
    body = client.get(f"/api/v1/diagnostic/responses/{learner.diagnostic_responses.get().pk}/").json()
    assert body["recommended_modules"] == ["volunteers-basics", "strategy-basics"]


def test_resume_only_on_modules_started_start_otherwise(client_as, learner):
    from learners.services import enrollment_create

    started = module_with_lessons(lessons=3, slug="started")
    fresh = module_with_lessons(lessons=3, slug="fresh")
    enrollment_create(user=learner, module=fresh)
    lesson_progress_record(user=learner, lesson=started.lessons.order_by("position").first())
    client = client_as(learner)
    client.cookies["django_language"] = "fr"
    learner.preferred_language = "fr"
    learner.save(update_fields=["preferred_language"])
    for url in (reverse("learners:dashboard"), reverse("learners:catalogue")):
        html = html_of(client.get(url))
        resume = re.findall(r'href="/learn/started/lesson-2/">([^<]+)<', html)
        start = re.findall(r'href="/learn/fresh/lesson-1/">([^<]+)<', html)
        # The dashboard's "continue" card says "Continuer" for the started module (and does not list it again).
        assert ("Reprendre" in resume or "Continuer" in resume) and "Commencer" not in resume, (url, resume)
        assert "Commencer" in start and "Reprendre" not in start, (url, start)
    html = html_of(client.get(reverse("learners:module-detail", args=["fresh"])))
    assert "Reprendre" not in html


def test_a_logged_in_learner_landing_on_the_home_page_goes_to_continue_where_they_left_off(client, client_as, learner):
    assert client.get("/").status_code == 200  # anyone else: the presentation page
    response = client_as(learner).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("learners:dashboard")
    assert client_as(learner).get("/?about").status_code == 200  # the presentation page stays reachable


# --- Quizzes that prove learning (item 8) ----------------------------------------------------------------

def _quiz_page_order(client, module, key=None) -> list[list[int]]:
    html = html_of(client.get(reverse("learners:quiz", args=[module.slug])) if key is None else key)
    order = []
    for fieldset in html.split('<fieldset class="question')[1:]:
        order.append([int(v) for v in re.findall(r'name="q-\d+" value="(\d+)"', fieldset)])
    return order


def test_choices_are_shuffled_per_attempt_and_the_attempt_records_the_order(client_as, learner):
    from learners.models import QuizAttempt

    module = module_with_lessons(lessons=1, questions=6)
    client = client_as(learner)
    authored = [list(q.choices.order_by("position").values_list("pk", flat=True)) for q in module.quiz.questions.order_by("position")]
    orders = [_quiz_page_order(client, module) for _ in range(4)]
    assert any(order != authored for order in orders)  # 6 questions × 4 pages: shuffled (1 chance in 6^24 to fail)
    assert all(sorted(map(sorted, order)) == sorted(map(sorted, authored)) for order in orders)
    # Stable within the attempt: the page shown again after an error has the same order, then it is recorded.
    response = client.get(reverse("learners:quiz", args=[module.slug]))
    key = re.search(r'name="client_key" value="(\w+)"', html_of(response))[1]
    shown = _quiz_page_order(client, module, key=response)
    answers = quiz_answers(module)
    first = next(iter(answers))
    partial = {f"q-{q}": c for q, c in answers.items() if q != first}
    again = client.post(reverse("learners:quiz", args=[module.slug]), {**partial, "client_key": key})
    assert again.status_code == 400 and _quiz_page_order(client, module, key=again) == shown
    client.post(reverse("learners:quiz", args=[module.slug]), {**{f"q-{q}": c for q, c in answers.items()}, "client_key": key})
    attempt = QuizAttempt.objects.get(user=learner)
    questions = list(module.quiz.questions.order_by("position").values_list("pk", flat=True))
    assert [attempt.choice_order[str(q)] for q in questions] == shown


def test_the_api_shuffles_with_the_attempt_key_and_keeps_its_request_format(api_as, learner):
    from learners.models import QuizAttempt

    module = module_with_lessons(lessons=1, questions=4)
    client = api_as(learner)
    body = client.get(f"/api/v1/quizzes/{module.slug}/", {"attempt_key": "abc123"}).json()
    assert body["attempt_key"] == "abc123"
    again = client.get(f"/api/v1/quizzes/{module.slug}/", {"attempt_key": "abc123"}).json()
    order = [[c["id"] for c in q["choices"]] for q in body["questions"]]
    assert order == [[c["id"] for c in q["choices"]] for q in again["questions"]]
    assert client.get(f"/api/v1/quizzes/{module.slug}/").json()["attempt_key"]  # a key is made when none is sent
    # The request format is unchanged (answers, client_key, started_at): an offline client's attempt is stored.
    response = client.post(f"/api/v1/quizzes/{module.slug}/attempts/", {"answers": quiz_answers(module, correct=False),
                                                                         "client_key": "abc123"}, format="json")
    assert response.status_code == 201
    attempt = QuizAttempt.objects.get(user=learner)
    assert [attempt.choice_order[str(q["id"])] for q in body["questions"]] == order
    old_client = client.post(f"/api/v1/quizzes/{module.slug}/attempts/", {"answers": quiz_answers(module, correct=False)},
                             format="json")
    assert old_client.status_code == 201


def test_a_failed_attempt_says_which_questions_were_wrong_without_giving_the_right_choices(client_as, api_as, learner):
    module = module_with_lessons(lessons=1, questions=3)
    answers = quiz_answers(module)
    wrong = quiz_answers(module, correct=False)
    first, *_rest = answers
    mixed = {**answers, first: wrong[first]}
    mixed.update(dict(list(wrong.items())[1:2]))  # two questions wrong out of three: 33 %, failed
    attempt = quiz_attempt_submit(user=learner, quiz=module.quiz, answers=mixed, client_key="k1")
    assert not attempt.passed
    client = client_as(learner)
    client.cookies["django_language"] = "en"
    html = html_of(client.get(reverse("learners:quiz-result", args=[module.slug, attempt.pk])))
    assert "2 questions to look at again" in html and "why" in html  # the explanations are there
    assert "A right answer" not in html and "is-answer" not in html
    body = api_as(learner).get(f"/api/v1/quiz-attempts/{attempt.pk}/").json()
    assert body["answers_revealed"] is False
    assert all(c["correct"] is None for q in body["questions"] for c in q["choices"])
    assert [q["is_correct"] for q in body["questions"]].count(False) == 2
    # Once passed, every result shows the right choices, the failed attempt's too.
    quiz_attempt_submit(user=learner, quiz=module.quiz, answers=answers)
    html = html_of(client.get(reverse("learners:quiz-result", args=[module.slug, attempt.pk])))
    assert "A right answer" in html
    assert api_as(learner).get(f"/api/v1/quiz-attempts/{attempt.pk}/").json()["answers_revealed"] is True


def test_a_module_can_show_the_right_answers_after_every_attempt(client_as, learner):
    from courses.models import Quiz

    module = module_with_lessons(lessons=1, questions=2)
    Quiz.objects.filter(module=module).update(reveal_answers=Quiz.Reveal.ALWAYS)
    attempt = quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module, correct=False))
    client = client_as(learner)
    client.cookies["django_language"] = "en"
    assert "A right answer" in html_of(client.get(reverse("learners:quiz-result", args=[module.slug, attempt.pk])))


# --- Moments that matter: a warm confirmation and the next step ------------------------------------------

def test_marking_a_lesson_done_says_so_and_what_comes_next(client_as, enrolled, module):
    client = client_as(enrolled)
    client.cookies["django_language"] = "en"
    enrolled.preferred_language = "en"
    enrolled.save(update_fields=["preferred_language"])
    lessons = list(module.lessons.order_by("position"))
    for lesson, words in zip(lessons, ["2 lessons to go", "1 lesson to go", "Now the quiz"], strict=True):
        response = client.post(reverse("learners:lesson-done", kwargs={"module": module.slug, "lesson": lesson.slug}),
                               follow=True)
        assert words in html_of(response)


def test_passing_the_quiz_with_lessons_left_gives_the_next_step(client_as, enrolled, module):
    attempt = quiz_attempt_submit(user=enrolled, quiz=module.quiz, answers=quiz_answers(module))
    client = client_as(enrolled)
    client.cookies["django_language"] = "en"
    enrolled.preferred_language = "en"
    enrolled.save(update_fields=["preferred_language"])
    html = html_of(client.get(reverse("learners:quiz-result", args=[module.slug, attempt.pk])))
    assert "Congratulations, you passed the quiz!" in html
    assert f'href="{reverse("learners:lesson", kwargs={"module": module.slug, "lesson": "lesson-1"})}"' in html
