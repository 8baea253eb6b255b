"""Learner pages: catalogue, module page, the reader (languages, side by side, marking done, weight,
queries), quiz, completion, trainer results, certificates, verification, dashboard, self-diagnostic."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from courses.models import LessonTranslation, Module
from learners.models import Certificate, Enrollment, LessonProgress, QuizAttempt
from learners.services import diagnostic_submit, enrollment_create, lesson_progress_record, quiz_attempt_submit
from tests.learners.factories import diagnostic, module_with_lessons, quiz_answers

pytestmark = pytest.mark.django_db


def lesson_url(module, slug="lesson-1"):
    return reverse("learners:lesson", kwargs={"module": module.slug, "lesson": slug})


def html_of(response) -> str:
    return response.content.decode()


# --- Catalogue and module page ----------------------------------------------------------------------

def test_catalogue_lists_published_modules_with_filters(client):
    finance = module_with_lessons(slug="finance-a", topic_key="finance")
    module_with_lessons(slug="talk-b", topic_key="communication", languages=("fr",))
    module_with_lessons(slug="draft-c", status=Module.Status.DRAFT)
    html = html_of(client.get(reverse("learners:catalogue")))
    assert "finance-a title" in html and "talk-b title" in html and "draft-c" not in html
    html = html_of(client.get(reverse("learners:catalogue"), {"language": "zh-hans"}))
    assert "finance-a title" in html and "talk-b title" not in html
    html = html_of(client.get(reverse("learners:catalogue"), {"topic": "communication"}))
    assert "finance-a title" not in html and "talk-b title" in html
    Module.objects.filter(pk=finance.pk).update(estimated_minutes=45)
    Module.objects.filter(slug="talk-b").update(estimated_minutes=150)
    html = html_of(client.get(reverse("learners:catalogue"), {"length": "short"}))
    assert "finance-a title" in html and "talk-b title" not in html


def test_navigation_links_the_catalogue_and_the_dashboard(client_as, learner):
    html = html_of(client_as(learner).get("/", follow=True))
    assert f'href="{reverse("learners:catalogue")}"' in html
    assert f'href="{reverse("learners:dashboard")}"' in html


def test_module_page_shows_lessons_outcomes_prerequisites_and_first_lesson_without_account(client, module):
    basics = module_with_lessons(slug="basics")
    module.prerequisites.add(basics)
    client.cookies["django_language"] = "zh-hans"
    html = html_of(client.get(reverse("learners:module-detail", args=[module.slug])))
    assert "Lesson 1 zh-hans" in html and "outcome zh-hans" in html and "basics title zh-hans" in html
    assert lesson_url(module) in html
    assert reverse("learners:enrol", args=[module.slug]) not in html  # anonymous: log in first


def test_a_draft_module_is_a_404_for_learners(client_as, learner):
    draft = module_with_lessons(status=Module.Status.DRAFT)
    assert client_as(learner).get(reverse("learners:module-detail", args=[draft.slug])).status_code == 404
    assert client_as(learner).get(lesson_url(draft)).status_code == 404


def test_enrol_in_one_click_goes_to_the_first_lesson_then_leave_and_re_enrol(client_as, learner, module):
    client = client_as(learner)
    response = client.post(reverse("learners:enrol", args=[module.slug]), {"language": "zh-hans"})
    assert response.status_code == 302 and response["Location"] == lesson_url(module)
    enrollment = Enrollment.objects.get(user=learner, module=module)
    assert enrollment.content_language == "zh-hans"
    lesson_progress_record(user=learner, lesson=module.lessons.first())
    client.post(reverse("learners:leave", args=[module.slug]))
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.LEFT
    html = html_of(client.get(reverse("learners:module-detail", args=[module.slug])))
    assert "Enrol again" in html
    response = client.post(reverse("learners:enrol", args=[module.slug]))
    assert response["Location"] == lesson_url(module, "lesson-2")  # resume: the first unfinished lesson
    assert Enrollment.objects.get(pk=enrollment.pk).lessons_done == 1


# --- Reader -----------------------------------------------------------------------------------------

def test_the_first_lesson_is_open_without_an_account_but_not_the_others(client, module):
    client.cookies["django_language"] = "zh-hans"
    response = client.get(lesson_url(module))
    assert response.status_code == 200
    assert "<p>Text 1 zh-hans</p>" in html_of(response)
    response = client.get(lesson_url(module, "lesson-2"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert LessonProgress.objects.count() == 0


def test_reader_shows_the_enrolment_language_and_records_a_view(client_as, enrolled, module):
    html = html_of(client_as(enrolled).get(lesson_url(module, "lesson-2")))
    assert "<p>Text 2 zh-hans</p>" in html and "Text 2 fr" not in html
    assert 'lang="zh-hans"' in html
    row = LessonProgress.objects.get(user=enrolled, lesson__slug="lesson-2")
    assert row.completed_at is None and row.language == "zh-hans"
    enrollment = Enrollment.objects.get(user=enrolled, module=module)
    assert enrollment.last_lesson_id == row.lesson_id and enrollment.lessons_done == 0


def test_a_learner_not_enrolled_can_read_but_nothing_is_recorded(client_as, learner, module):
    html = html_of(client_as(learner).get(lesson_url(module, "lesson-2")))
    assert "Text 2" in html and "Enrol in this module" in html
    assert not LessonProgress.objects.exists() and not Enrollment.objects.exists()


def test_language_switch_saves_on_the_enrolment_and_keeps_the_place(client_as, enrolled, module):
    client = client_as(enrolled)
    place = lesson_url(module, "lesson-3")
    response = client.post(reverse("learners:language-set", args=[module.slug]), {"language": "fr", "next": place})
    assert response.status_code == 302 and response["Location"] == place
    assert Enrollment.objects.get(user=enrolled, module=module).content_language == "fr"
    assert "<p>Text 3 fr</p>" in html_of(client.get(place))
    # An address on another host is never followed.
    response = client.post(reverse("learners:language-set", args=[module.slug]), {"language": "zh-hans", "next": "https://evil.example/"})
    assert response["Location"] == reverse("learners:module-detail", args=[module.slug])


def test_anonymous_language_switch_travels_in_the_address(client, module):
    html = html_of(client.get(lesson_url(module), {"lang": "zh-hans"}))
    assert "<p>Text 1 zh-hans</p>" in html
    assert 'name="lang" value="fr"' in html  # the switch is a GET form


def test_a_missing_translation_is_shown_in_another_language_with_a_notice(client_as, enrolled, module):
    LessonTranslation.objects.filter(lesson__module=module, lesson__slug="lesson-2", language="zh-hans").update(body_html="", body_md="")
    html = html_of(client_as(enrolled).get(lesson_url(module, "lesson-2")))
    assert "<p>Text 2 fr</p>" in html
    assert "This lesson is not available in Simplified Chinese yet. It is shown in French." in html


def test_side_by_side_shows_two_languages_in_two_columns(client_as, enrolled, module):
    response = client_as(enrolled).get(lesson_url(module, "lesson-2"), {"view": "side-by-side", "with": "fr"})
    html = html_of(response)
    assert 'class="side-by-side"' in html
    assert html.index("<p>Text 2 zh-hans</p>") < html.index("<p>Text 2 fr</p>")
    # Previous/next keep the side-by-side view.
    assert f'{lesson_url(module, "lesson-3")}?view=side-by-side&amp;with=fr' in html


def test_side_by_side_with_a_language_the_lesson_lacks_says_so(client_as, enrolled, module):
    html = html_of(client_as(enrolled).get(lesson_url(module), {"view": "side-by-side", "with": "en"}))
    assert "<p>Text 1 fr</p>" in html
    assert "This lesson is not available in English yet. It is shown in French." in html


def test_mark_as_done_is_a_plain_post_that_goes_to_the_next_lesson(client_as, enrolled, module):
    client = client_as(enrolled)
    html = html_of(client.get(lesson_url(module)))
    assert f'action="{reverse("learners:lesson-done", args=[module.slug, "lesson-1"])}"' in html
    response = client.post(reverse("learners:lesson-done", args=[module.slug, "lesson-1"]),
                           {"next": lesson_url(module, "lesson-2"), "language": "zh-hans"})
    assert response.status_code == 302 and response["Location"] == lesson_url(module, "lesson-2")
    assert Enrollment.objects.get(user=enrolled, module=module).lessons_done == 1
    html = html_of(client.get(lesson_url(module, "lesson-2")))
    assert re.search(r'class="is-done">\s*<span class="tick" aria-hidden="true">✓', html)


def test_the_lesson_list_escapes_titles_and_marks_done_and_current_lessons(client_as, enrolled, module):
    """The side column's list is built in Python (learners_tags.lesson_list): what a trainer typed is escaped,
    done lessons have their tick and a hidden "(done)", the current one aria-current, the side-by-side query follows."""
    LessonTranslation.objects.filter(lesson__module=module, lesson__slug="lesson-2", language="zh-hans").update(
        title='<script>alert("x")</script> & "co"')
    client = client_as(enrolled)
    client.post(reverse("learners:lesson-done", args=[module.slug, "lesson-1"]), {"language": "zh-hans"})
    html = html_of(client.get(lesson_url(module, "lesson-2") + "?view=side-by-side&with=fr"))
    listing = html[html.index('<ol class="lesson-list">'):]
    listing = listing[:listing.index("</ol>")]
    assert "<script>" not in listing
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;co&quot;" in listing
    first, second = re.findall(r"<li .*?</li>", listing, re.S)[:2]
    assert 'class="is-done"' in first and "✓" in first and '<span class="visually-hidden">' in first
    assert 'class=" is-current"' in second and 'aria-current="page"' in second and ">2<" in second
    assert f'href="{lesson_url(module, "lesson-2")}?view=side-by-side&amp;with=fr"' in second


def test_mark_as_done_without_an_account_asks_to_log_in(client, module):
    response = client.post(reverse("learners:lesson-done", args=[module.slug, "lesson-1"]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_resume_goes_to_the_first_unfinished_lesson_everywhere(client_as, enrolled, module):
    lessons = list(module.lessons.all())
    lesson_progress_record(user=enrolled, lesson=lessons[0])
    lesson_progress_record(user=enrolled, lesson=lessons[2])
    client = client_as(enrolled)
    target = lesson_url(module, "lesson-2")
    assert f'href="{target}">Resume where you stopped' in html_of(client.get(reverse("learners:module-detail", args=[module.slug])))
    assert f'href="{target}">Continue' in html_of(client.get(reverse("learners:dashboard")))  # the "continue" card
    assert f'href="{target}">Resume' in html_of(client.get(reverse("learners:catalogue")))


def test_lesson_page_makes_a_bounded_number_of_queries(client_as, enrolled, django_assert_max_num_queries):
    client = client_as(enrolled)
    small = module_with_lessons(lessons=3, slug="small")
    large = module_with_lessons(lessons=25, slug="large")
    for module in (small, large):
        client.post(reverse("learners:enrol", args=[module.slug]))
        for lesson in list(module.lessons.all())[:2]:
            lesson_progress_record(user=enrolled, lesson=lesson)
        with django_assert_max_num_queries(28):
            assert client.get(lesson_url(module, "lesson-3")).status_code == 200
        with django_assert_max_num_queries(28):
            assert client.get(lesson_url(module, "lesson-3"), {"view": "side-by-side"}).status_code == 200


def _static_size(url: str) -> int:
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is not a static file of the site"
    return Path(path).stat().st_size


def test_lesson_page_weighs_under_100_kb_with_its_css_and_js_and_loads_nothing_from_another_host(client_as, enrolled):
    import markdown

    # The heaviest real lesson of the curriculum, in both shipped languages, read side by side.
    content = Path(settings.BASE_DIR) / "content"
    heaviest = max(content.glob("*/*.fr.md"), key=lambda p: p.stat().st_size)
    module = module_with_lessons(lessons=6, slug="heavy")
    lesson = module.lessons.get(slug="lesson-3")
    for language in ("fr", "zh-hans"):
        source = heaviest.with_name(heaviest.name.replace(".fr.md", f".{language}.md")).read_text().split("---", 2)[2]
        html = markdown.markdown(source, extensions=["tables"])
        LessonTranslation.objects.filter(lesson=lesson, language=language).update(body_html=html)
    client = client_as(enrolled)
    client.post(reverse("learners:enrol", args=[module.slug]))
    response = client.get(lesson_url(module, "lesson-3"), {"view": "side-by-side", "with": "fr"})
    html = html_of(response)
    assert len(html.encode()) > 8000  # the lesson text is really there
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert external == []
    assets = re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', html)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    total = len(response.content) + sum(_static_size(url) for url in set(assets))
    assert total < 100 * 1024, f"the lesson page weighs {total} bytes with its CSS and JS"


def test_the_reader_never_renders_markdown_or_cleans_html(client_as, enrolled, module, monkeypatch):
    import bleach
    import markdown

    def forbidden(*args, **kwargs):
        raise AssertionError("Markdown is rendered when content is saved, never when a page is read.")

    monkeypatch.setattr(markdown, "markdown", forbidden)
    monkeypatch.setattr(markdown.Markdown, "convert", forbidden)
    monkeypatch.setattr(bleach, "clean", forbidden)
    monkeypatch.setattr(bleach.sanitizer.Cleaner, "clean", forbidden)
    client = client_as(enrolled)
    for url in [lesson_url(module), lesson_url(module, "lesson-2") + "?view=side-by-side",
                reverse("learners:module-detail", args=[module.slug]), reverse("learners:quiz", args=[module.slug])]:
        assert client.get(url).status_code == 200


def test_the_lesson_page_is_printable(client_as, enrolled, module):
    html = html_of(client_as(enrolled).get(lesson_url(module)))
    assert 'class="reader-aside no-print"' in html and 'class="lesson-done no-print"' in html
    css = Path(finders.find("learners/learners.css")).read_text()
    assert "@media print" in css


# --- Quiz -------------------------------------------------------------------------------------------

def _quiz_html(client, module) -> str:
    html = html_of(client.get(reverse("learners:quiz", args=[module.slug])))
    html = re.sub(r'name="(csrfmiddlewaretoken|client_key|started_at)" value="[^"]*"', "", html)
    return html


def test_quiz_page_contains_no_correct_answer_flags(client_as, enrolled, module, monkeypatch):
    import uuid

    # The same attempt key on both pages, so that both shuffle the choices the same way.
    monkeypatch.setattr("learners.views.uuid.uuid4", lambda: uuid.UUID(int=1))
    client = client_as(enrolled)
    before = _quiz_html(client, module)
    assert not re.search(r"(is_|data-|\b)correct\b\s*[\"'=:]", before), "a correct-answer flag reached the page"
    # Proof that nothing depends on which answers are right: flip them all, the page is byte for byte the same.
    from courses.models import Choice

    for choice in Choice.objects.filter(question__quiz__module=module):
        choice.is_correct = not choice.is_correct
        choice.save()
    assert _quiz_html(client, module) == before


def test_quiz_submission_is_scored_on_the_server_and_shows_explanations(client_as, enrolled, module):
    client = client_as(enrolled)
    answers = quiz_answers(module, correct=False)
    data = {f"q-{qid}": choices for qid, choices in answers.items()}
    response = client.post(reverse("learners:quiz", args=[module.slug]), {**data, "client_key": "k-1"})
    attempt = QuizAttempt.objects.get(user=enrolled)
    assert response["Location"] == reverse("learners:quiz-result", args=[module.slug, attempt.pk])
    html = html_of(client.get(response["Location"]))
    assert attempt.score == 0 and "0 %" in html and "Not passed yet" in html
    # A failed attempt names the wrong questions and explains them; the right choices wait until the quiz is passed.
    assert "<p>why</p>" in html and "2 questions to look at again" in html and "A right answer" not in html
    # The same submission again (a double click) is stored once.
    client.post(reverse("learners:quiz", args=[module.slug]), {**data, "client_key": "k-1"})
    assert QuizAttempt.objects.filter(user=enrolled).count() == 1


def test_an_unanswered_question_is_an_error_on_that_question(client_as, enrolled, module):
    first = str(module.quiz.questions.first().pk)
    answers = quiz_answers(module)
    response = client_as(enrolled).post(reverse("learners:quiz", args=[module.slug]), {f"q-{first}": answers[first]})
    assert response.status_code == 400
    html = html_of(response)
    assert "Please answer this question." in html
    assert f'value="{answers[first][0]}" checked' in html  # what was chosen is kept
    assert not QuizAttempt.objects.exists()


def test_someone_elses_attempt_is_a_404(client_as, enrolled, other_learner, module):
    attempt = quiz_attempt_submit(user=enrolled, quiz=module.quiz, answers=quiz_answers(module))
    response = client_as(other_learner).get(reverse("learners:quiz-result", args=[module.slug, attempt.pk]))
    assert response.status_code == 404


# --- Completion -------------------------------------------------------------------------------------

def _complete(user, module):
    for lesson in module.lessons.all():
        lesson_progress_record(user=user, lesson=lesson)
    return quiz_attempt_submit(user=user, quiz=module.quiz, answers=quiz_answers(module))


def test_passing_the_last_step_says_you_have_completed_and_what_comes_next(client_as, enrolled, module):
    following = module_with_lessons(slug="next-one")
    following.prerequisites.add(module)
    module_with_lessons(slug="a-other")
    attempt = _complete(enrolled, module)
    html = html_of(client_as(enrolled).get(reverse("learners:quiz-result", args=[module.slug, attempt.pk])))
    assert "You have completed “basic-finance title" in html
    assert "next-one title" in html  # the module that builds on this one
    certificate = Certificate.objects.get(user=enrolled, module=module)
    assert reverse("learners:certificate", args=[certificate.code]) in html


def test_marking_the_last_lesson_done_after_the_quiz_goes_to_the_completion_page(client_as, enrolled, module):
    lessons = list(module.lessons.all())
    for lesson in lessons[:-1]:
        lesson_progress_record(user=enrolled, lesson=lesson)
    quiz_attempt_submit(user=enrolled, quiz=module.quiz, answers=quiz_answers(module))
    response = client_as(enrolled).post(reverse("learners:lesson-done", args=[module.slug, lessons[-1].slug]))
    assert response["Location"] == reverse("learners:module-completed", args=[module.slug])
    assert "You have completed" in html_of(client_as(enrolled).get(response["Location"]))


def test_the_completion_page_offers_a_coach_on_the_topic(client_as, enrolled, module):
    _complete(enrolled, module)
    url = reverse("learners:module-completed", args=[module.slug])
    html = html_of(client_as(enrolled).get(url))
    assert 'href="/coaching/requests/new/?module=basic-finance"' in html


# --- Trainer results --------------------------------------------------------------------------------

def test_module_results_are_for_authors_and_admins_only(client_as, enrolled, other_learner, trainer, admin_user, module):
    quiz_attempt_submit(user=enrolled, quiz=module.quiz, answers=quiz_answers(module, correct=False))
    quiz_attempt_submit(user=other_learner, quiz=module.quiz, answers=quiz_answers(module))
    url = reverse("learners:module-results", args=[module.slug])
    assert client_as(trainer).get(url).status_code == 403
    assert client_as(enrolled).get(url).status_code == 403
    module.authors.add(trainer)
    html = html_of(client_as(trainer).get(url))
    assert "50 % (1 of 2)" in html and "C2" in html  # the factory's first wrong answer
    assert client_as(admin_user).get(url).status_code == 200


# --- Certificates (their pages and files: tests/credentials) ---------------------------------------

def test_the_learners_url_name_for_verification_leads_to_the_public_page(client, learner, module):
    _complete(learner, module)
    code = Certificate.objects.get(user=learner).code
    assert reverse("verify:certificate", args=[code]) == f"/verify/{code}"
    response = client.get(reverse("learners:certificate-verify", args=[code]), follow=True)
    assert response.redirect_chain[-1][0] == f"/verify/{code}" and response.status_code == 200


# --- Dashboard and self-diagnostic ------------------------------------------------------------------

def test_dashboard_shows_progress_completed_with_certificates_diagnostic_and_recommendations(
        client_as, enrolled, module, django_assert_max_num_queries):
    done = module_with_lessons(slug="done-one", topic_key="strategy")
    _complete(enrolled, done)
    module_with_lessons(slug="to-discover", topic_key="volunteers")
    lesson_progress_record(user=enrolled, lesson=module.lessons.first())
    diag = diagnostic()
    diagnostic_submit(user=enrolled, answers={s.key: 2 for a in diag.areas.all() for s in a.statements.all()})
    client = client_as(enrolled)
    with django_assert_max_num_queries(25):
        html = html_of(client.get(reverse("learners:dashboard")))
    assert "basic-finance title" in html and "1 of 3 lessons done" in html
    certificate = Certificate.objects.get(user=enrolled, module=done)
    assert reverse("learners:certificate", args=[certificate.code]) in html
    assert "<svg" in html and "to-discover title" in html


def test_the_module_of_the_continue_card_is_not_listed_again(client_as, enrolled, module):
    """The walkthrough's dashboard showed one module twice: "Start your module" and again under "In progress"."""
    lesson_progress_record(user=enrolled, lesson=module.lessons.first())
    client = client_as(enrolled)
    html = html_of(client.get(reverse("learners:dashboard")))
    assert "continue-card" in html and 'class="card dash-item"' not in html and 'id="in-progress-title"' not in html
    second = module_with_lessons(slug="second-one", topic_key="strategy")
    enrollment_create(user=enrolled, module=second)
    html = html_of(client.get(reverse("learners:dashboard")))
    assert html.count('class="card dash-item"') == 1 and "Also in progress" in html


def test_diagnostic_page_scores_areas_as_an_accessible_chart_and_recommends_modules(client_as, learner):
    finance = module_with_lessons(slug="money")
    diag = diagnostic()
    diag.areas.filter(key="finance").update(module=finance)
    client = client_as(learner)
    html = html_of(client.get(reverse("learners:diagnostic")))
    assert 'name="finance-1"' in html and "See my results" in html
    answers = {s.key: (1 if s.key.startswith("finance") else 4) for a in diag.areas.all() for s in a.statements.all()}
    response = client.post(reverse("learners:diagnostic"), answers)
    assert response.status_code == 302
    html = html_of(client.get(reverse("learners:diagnostic")))
    assert re.search(r'<svg class="chart"[^>]*role="img"', html) and "<title" in html and "<desc" in html
    assert "finance: 0 out of 100." in html  # values as text for screen readers
    assert "money title" in html  # the weakest area's module
    client.post(reverse("learners:diagnostic"), {**answers, **{f"finance-{n}": 3 for n in range(1, 5)}})
    html = html_of(client.get(reverse("learners:diagnostic")))
    assert "+67" in html and "History" in html  # change since last time


def test_an_incomplete_diagnostic_keeps_the_answers_and_says_what_is_missing(client_as, learner):
    diagnostic()
    response = client_as(learner).post(reverse("learners:diagnostic"), {"finance-1": "3"})
    assert response.status_code == 400
    html = html_of(response)
    assert "Rate this statement from 1 to 4." in html and 'name="finance-1" value="3" checked' in html


def test_pages_that_need_an_account_redirect_to_log_in(client, module):
    for url in [reverse("learners:dashboard"), reverse("learners:diagnostic"), reverse("learners:quiz", args=[module.slug])]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], url


def test_no_learner_page_loads_anything_from_another_host(client_as, enrolled, module):
    _complete(enrolled, module)
    diagnostic()
    code = Certificate.objects.get(user=enrolled).code
    client = client_as(enrolled)
    for url in [reverse("learners:catalogue"), reverse("learners:module-detail", args=[module.slug]), lesson_url(module),
                reverse("learners:quiz", args=[module.slug]), reverse("learners:dashboard"), reverse("learners:diagnostic"),
                reverse("learners:certificate", args=[code]), f"/verify/{code}/"]:
        html = html_of(client.get(url))
        assert re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html) == [], url


def test_another_learner_cannot_leave_or_switch_language_for_me(client_as, enrolled, other_learner, module):
    client = client_as(other_learner)
    assert client.post(reverse("learners:leave", args=[module.slug])).status_code == 404
    client.post(reverse("learners:language-set", args=[module.slug]), {"language": "fr"})
    assert Enrollment.objects.get(user=enrolled).content_language == "zh-hans"
