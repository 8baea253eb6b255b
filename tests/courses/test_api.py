"""/api/v1/modules/ and /api/v1/lessons/: language and fallback, trainer writes, answers only for authors."""
import json

import pytest

from courses import services
from courses.models import LessonTranslation, Module, Question
from tests.factories import UserFactory

from .factories import module_build, question_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(author):
    return module_build(slug="published", author=author, publish=True)


def _no_is_correct(payload) -> None:
    assert "is_correct" not in json.dumps(payload) and '"correct"' not in json.dumps(payload)


def test_any_logged_in_user_reads_the_published_catalogue(api_as, learner, published, author, api_client):
    draft = module_build(slug="draft-only-fr", author=author, languages=("fr",))
    response = api_as(learner).get("/api/v1/modules/?lang=zh-hans")
    assert response.status_code == 200
    data = response.json()
    assert [item["slug"] for item in data] == ["published"]
    assert (data[0]["title"], data[0]["language"], data[0]["fallback"]) == ("Module published (zh-hans)", "zh-hans", False)
    _no_is_correct(data)
    assert api_client.get("/api/v1/modules/").status_code == 401
    assert api_as(learner).get(f"/api/v1/modules/{draft.slug}/").status_code == 404


def test_accept_language_chooses_and_a_missing_translation_falls_back_visibly(api_as, learner, author):
    module = module_build(slug="fr-only", author=author, languages=("fr",), questions=0)
    Module.objects.filter(pk=module.pk).update(status=Module.Status.PUBLISHED)
    response = api_as(learner).get("/api/v1/modules/fr-only/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    data = response.json()
    assert (data["language"], data["fallback"]) == ("fr", True)
    assert data["lessons"][0]["fallback"] is True
    lesson_id = data["lessons"][0]["id"]
    lesson = api_as(learner).get(f"/api/v1/lessons/{lesson_id}/?lang=fr").json()
    assert (lesson["language"], lesson["fallback"]) == ("fr", False)
    assert lesson["body_html"] == '<h2 id="h-part">Part</h2>\n<p>Text 1 in fr.</p>'
    assert "translations" not in lesson  # texts in Markdown and freshness are for trainers


def test_trainers_also_see_their_drafts(api_as, author, published):
    module_build(slug="my-draft", author=author)
    module_build(slug="someone-elses-draft")
    slugs = [item["slug"] for item in api_as(author).get("/api/v1/modules/").json()]
    assert sorted(slugs) == ["my-draft", "published"]


def test_a_trainer_creates_and_writes_a_module(api_as, author):
    client = api_as(author)
    response = client.post("/api/v1/modules/", {"slug": "api-module", "topic": "strategy", "title": "Par l'API", "summary": "S"},
                           format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["can_edit"] is True
    response = client.put("/api/v1/modules/api-module/translations/zh-hans/", {"title": "通过接口", "summary": "摘要"}, format="json")
    assert response.status_code == 200
    response = client.post("/api/v1/lessons/", {"module": "api-module", "slug": "one", "language": "fr", "title": "Un",
                                                "body_md": "**gras**"}, format="json")
    assert response.status_code == 201
    lesson_id = response.json()["id"]
    assert response.json()["translations"][0]["body_html"] == "<p><strong>gras</strong></p>"
    response = client.put(f"/api/v1/lessons/{lesson_id}/translations/zh-hans/", {"title": "一", "body_md": "粗体"}, format="json")
    assert response.status_code == 200 and response.json()["needs_update"] is False
    client.put(f"/api/v1/lessons/{lesson_id}/translations/fr/", {"title": "Un", "body_md": "**gras** changé"}, format="json")
    detail = client.get(f"/api/v1/lessons/{lesson_id}/").json()
    assert {row["language"]: row["needs_update"] for row in detail["translations"]} == {"fr": False, "zh-hans": True}
    response = client.post(f"/api/v1/lessons/{lesson_id}/translations/zh-hans/mark-updated/")
    assert response.json()["needs_update"] is False
    assert Module.objects.get(slug="api-module").changes.filter(source="api").exists()


def test_publish_returns_400_with_the_missing_list(api_as, author):
    module = module_build(slug="half", author=author, languages=("fr",))
    response = api_as(author).post(f"/api/v1/modules/{module.slug}/publish/")
    assert response.status_code == 400
    data = response.json()
    assert ("Lesson 1 “Lesson 1 (fr)” is not written in Simplified Chinese yet: add its title and text in Simplified Chinese."
            in data["missing"])
    assert data["detail"] == data["missing"][0]
    assert data["errors"][0]["message"] == data["missing"][0]


def test_workflow_through_the_api(api_as, module, author):
    client = api_as(author)
    assert client.post(f"/api/v1/modules/{module.slug}/submit/").json()["status"] == "in_review"
    assert client.post(f"/api/v1/modules/{module.slug}/publish/").json()["status"] == "published"
    assert client.post(f"/api/v1/modules/{module.slug}/unpublish/").json()["status"] == "draft"
    assert client.post(f"/api/v1/modules/{module.slug}/archive/").json()["status"] == "archived"


def test_learners_and_other_trainers_cannot_write(api_as, learner, published):
    other = UserFactory(is_trainer=True)
    assert api_as(learner).post("/api/v1/modules/", {"slug": "x", "topic": "finance", "title": "X"}, format="json").status_code == 403
    assert api_as(learner).post(f"/api/v1/modules/{published.slug}/unpublish/").status_code == 403
    assert api_as(other).patch(f"/api/v1/modules/{published.slug}/", {"level": 3}, format="json").status_code == 403
    lesson = published.lessons.first()
    response = api_as(other).put(f"/api/v1/lessons/{lesson.pk}/translations/fr/", {"title": "Hijack"}, format="json")
    assert response.status_code == 403
    assert LessonTranslation.objects.get(lesson=lesson, language="fr").title != "Hijack"


def test_only_authors_and_admins_see_which_choices_are_correct(api_as, learner, published, author, admin_user):
    for user in (learner, UserFactory(is_trainer=True)):
        response = api_as(user).get(f"/api/v1/modules/{published.slug}/quiz/")
        assert response.status_code == 403
        _no_is_correct(response.json())
        _no_is_correct(api_as(user).get(f"/api/v1/modules/{published.slug}/").json())
    for user in (author, admin_user):
        quiz = api_as(user).get(f"/api/v1/modules/{published.slug}/quiz/").json()
        assert [choice["correct"] for choice in quiz["questions"][0]["choices"]] == [True, False]


def test_quiz_questions_through_the_api(api_as, module, author):
    client = api_as(author)
    response = client.post(f"/api/v1/modules/{module.slug}/quiz/questions/", question_payload("api-q"), format="json")
    assert response.status_code == 201, response.json()
    question_id = response.json()["id"]
    payload = question_payload("api-q")
    payload["choices"][1]["correct"] = True
    response = client.put(f"/api/v1/questions/{question_id}/", payload, format="json")
    assert response.status_code == 400
    assert "exactly one correct choice" in response.json()["detail"]
    assert client.delete(f"/api/v1/questions/{question_id}/").status_code == 204
    assert Question.objects.get(pk=question_id).is_archived
    assert client.patch(f"/api/v1/modules/{module.slug}/quiz/", {"pass_mark": 101}, format="json").status_code == 400


def test_reorder_completeness_and_history(api_as, module, author):
    client = api_as(author)
    ids = list(module.lessons.order_by("position").values_list("pk", flat=True))
    response = client.post(f"/api/v1/modules/{module.slug}/lessons/reorder/", {"lessons": ids[::-1]}, format="json")
    assert [lesson["id"] for lesson in response.json()] == ids[::-1]
    completeness = client.get(f"/api/v1/modules/{module.slug}/completeness/").json()
    assert {item["language"]: item["percent"] for item in completeness} == {"fr": 100, "zh-hans": 100, "en": 0}
    history = client.get(f"/api/v1/modules/{module.slug}/history/").json()
    assert history[0]["field"] == "position" and history[0]["source"] == "api"


def test_an_archived_lesson_is_hidden_from_learners(api_as, learner, published, author):
    lesson = published.lessons.first()
    api_as(author).post(f"/api/v1/lessons/{lesson.pk}/archive/")
    assert api_as(learner).get(f"/api/v1/lessons/{lesson.pk}/").status_code == 404
    services.lesson_restore(lesson=lesson, user=author)
    assert api_as(learner).get(f"/api/v1/lessons/{lesson.pk}/").status_code == 200
