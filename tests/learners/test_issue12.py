"""What a walkthrough on a phone found on the learner's side (issue 12): a form whose token went stale,
a translation behind its original, percentages that say what they count, quizzes that prove learning,
recommendations and "continue" that follow what the learner did."""
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
    assert login.startswith(reverse("accounts:login")) and "next=" + quiz_url.replace("/", "%2F") in login
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
