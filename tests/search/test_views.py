"""The /search/ page and /api/v1/search/: open like the catalogue (the API for logged-in users), bad
queries answered clearly, the learner's progress shown, a fixed number of queries per page."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from learners.services import COMPLETED, VIEWED, lesson_progress_record
from search.selectors import PAGE_SIZE, QUERY_MAX_LENGTH
from tests.courses.factories import module_build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("search:results")
API = "/api/v1/search/"


@pytest.fixture
def module(author):
    module = module_build(slug="finances", author=author, lessons=3, publish=True)
    for lesson in module.lessons.all():
        services.lesson_translation_save(lesson=lesson, language="fr", title=f"Trésorerie, partie {lesson.position}",
                                         body_md=f"## Le plan\n\nUn plan de trésorerie n°{lesson.position} : `<script>` ne fait rien.",
                                         user=author)
    return module


def test_the_page_is_open_to_visitors_and_explains_itself(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="q"' in response.content and b"Accents are optional" in response.content


def test_visitors_find_published_lessons_with_marked_extracts(client, module):
    response = client.get(URL, {"q": "tresorerie"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 results for" in html
    assert "<mark>Trésorerie</mark>, partie 1" in html
    # The lesson's text is escaped in the extract, never interpreted.
    assert "<mark>trésorerie</mark> n°1 : &lt;script&gt; ne fait rien" in html and "<script> ne" not in html
    assert "/learn/finances/lesson-1/?lang=fr#h-le-plan" in html  # the interface is English: the French text is asked for
    assert "Not read yet" not in html  # no progress for visitors


def test_the_results_never_render_markdown(client_as, module, monkeypatch):
    """Extracts come from the text stored when the lesson was saved."""
    import bleach
    import markdown

    def forbidden(*args, **kwargs):
        raise AssertionError("Markdown rendered or HTML sanitised while searching")

    monkeypatch.setattr(markdown.Markdown, "convert", forbidden)
    monkeypatch.setattr(markdown, "markdown", forbidden)
    monkeypatch.setattr(bleach.sanitizer.Cleaner, "clean", forbidden)
    monkeypatch.setattr(bleach, "clean", forbidden)
    user = UserFactory(is_learner=True)
    assert "<mark>trésorerie</mark>" in client_as(user).get(URL, {"q": "tresorerie"}).content.decode()
    assert client_as(user).get(API, {"q": "tresorerie"}).status_code == 200


def test_too_long_and_empty_queries(client):
    response = client.get(URL, {"q": "x" * (QUERY_MAX_LENGTH + 1)})
    assert response.status_code == 200
    assert b"shorten it to 100 characters at most" in response.content and b'aria-invalid="true"' in response.content
    response = client.get(URL, {"q": "   "})
    assert response.status_code == 200 and b"result" not in response.content.split(b"<main")[1]


def test_no_result_says_what_to_try(client, module):
    response = client.get(URL, {"q": "photosynthèse"})
    assert b"0 results for" in response.content
    assert b"Try the word in another language" in response.content
    assert reverse("learners:catalogue").encode() in response.content
    # Nothing left to look for (punctuation, words too common): no result, the same help, never an error.
    for query in ("!!!", "les des", "的"):
        response = client.get(URL, {"q": query})
        assert response.status_code == 200 and b"0 results for" in response.content


def test_the_header_has_one_search_box(client, module):
    catalogue = client.get(reverse("learners:catalogue")).content.decode()
    assert catalogue.count('role="search"') == 2  # the catalogue's filters, and the header's search box
    assert 'id="site-search-q"' in catalogue
    results = client.get(URL, {"q": "plan"}).content.decode()
    assert 'id="site-search-q"' not in results and 'id="search-q"' in results


def test_the_learner_sees_what_is_read(client_as, module):
    user = UserFactory(is_learner=True)
    lessons = list(module.lessons.order_by("position"))
    lesson_progress_record(user=user, lesson=lessons[0], event=COMPLETED)
    lesson_progress_record(user=user, lesson=lessons[1], event=VIEWED)
    html = client_as(user).get(URL, {"q": "tresorerie"}).content.decode()
    assert html.count("search-status-read") == 1 and html.count("search-status-opened") == 1
    assert html.count("search-status-unread") == 1
    html = client_as(user).get(URL, {"q": "finances"}).content.decode()  # the module itself
    assert "search-status-enrolled" in html


def test_pages_of_results(client, author):
    module_build(slug="long-module", author=author, lessons=PAGE_SIZE + 3, questions=1, languages=("fr", "zh-hans"), publish=True)
    first = client.get(URL, {"q": "lesson"})
    assert f"{PAGE_SIZE + 3} results for".encode() in first.content and b"Page 1 of 2" in first.content
    second = client.get(URL, {"q": "lesson", "page": 2})
    assert second.content.count(b'class="search-result"') == 3
    assert client.get(URL, {"q": "lesson", "page": "nonsense"}).status_code == 200


def test_a_page_of_results_costs_the_same_queries_for_one_or_twenty_results(client_as, author, django_assert_max_num_queries):
    module_build(slug="long-module", author=author, lessons=PAGE_SIZE + 3, questions=1, publish=True)
    module_build(slug="short-module", author=author, lessons=1, questions=1, publish=True)
    user = UserFactory(is_learner=True)
    client = client_as(user)
    for lesson in module_build(slug="third", author=author, lessons=2, questions=1, publish=True).lessons.all():
        lesson_progress_record(user=user, lesson=lesson, event=COMPLETED)
    counts = {}
    for query in ("lesson", "short-module"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"q": query}).status_code == 200
        counts[query] = len(queries)
    assert counts["lesson"] == counts["short-module"]
    # Session and user, the match, the page's rows, the modules' titles, lesson progress, enrolments.
    with django_assert_max_num_queries(7):
        client.get(URL, {"q": "lesson"})


def test_a_visitor_page_costs_three_queries(client, module, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get(URL, {"q": "tresorerie"}).status_code == 200


# --- API -------------------------------------------------------------------------------------------

def test_api_answers_logged_in_users_only(api_client, module):
    assert api_client.get(API, {"q": "plan"}).status_code in (401, 403)


def test_api_search(api_as, module):
    user = UserFactory(is_learner=True)
    lesson_progress_record(user=user, lesson=module.lessons.get(slug="lesson-2"), event=COMPLETED)
    response = api_as(user).get(API, {"q": "trésorerie", "lang": "zh-hans"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and {item["lesson"] for item in body["results"]} == {"lesson-1", "lesson-2", "lesson-3"}
    first = body["results"][0]
    assert first["kind"] == "lesson" and first["language"] == "fr" and first["in_reader_language"] is False
    assert first["url"].startswith("/learn/finances/lesson-1/?lang=fr")
    assert "<mark>" in first["extract_html"] and "&lt;script&gt;" in first["extract_html"]
    assert {item["lesson"]: item["status"] for item in body["results"]}["lesson-2"] == "read"


@pytest.mark.parametrize("query, message", [
    ("", "Type a word to search for"),
    ("  ", "Type a word to search for"),
    ("mot " * 30, "shorten it to 100 characters at most"),
])
def test_api_refuses_an_empty_or_too_long_query(api_as, query, message):
    response = api_as(UserFactory()).get(API, {"q": query})
    assert response.status_code == 400
    body = response.json()
    assert message in body["detail"] and body["errors"][0]["field"] == "q"


def test_api_without_q_is_a_400(api_as):
    assert api_as(UserFactory()).get(API).status_code == 400


def test_api_is_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/search/" in schema and "SearchResult" in schema
