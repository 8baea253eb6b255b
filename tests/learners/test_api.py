"""The learner API: own data only (others' objects are 404), progress single and batch, the quiz
without correct flags before submission, certificates, self-diagnostic, and the OpenAPI schema."""
import json
import random
from datetime import timedelta

import pytest
import yaml
from django.utils import timezone

from courses.models import Choice
from learners.models import Certificate, Enrollment, LessonProgress, QuizAttempt
from learners.services import diagnostic_submit, lesson_progress_record, quiz_attempt_submit
from tests.learners.factories import diagnostic, module_with_lessons, quiz_answers

pytestmark = pytest.mark.django_db


def test_enrol_list_leave_and_change_language(api_as, learner, module):
    api = api_as(learner)
    response = api.post("/api/v1/enrollments/", {"module": module.slug, "language": "zh-hans"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["module"] == module.slug and body["content_language"] == "zh-hans" and body["lessons_total"] == 3
    assert body["resume_url"] == f"/learn/{module.slug}/lesson-1/"
    assert api.post("/api/v1/enrollments/", {"module": module.slug}, format="json").status_code == 200
    listing = api.get("/api/v1/enrollments/").json()
    assert [e["id"] for e in listing["results"]] == [body["id"]]
    response = api.post(f"/api/v1/enrollments/{body['id']}/language/", {"language": "fr"}, format="json")
    assert response.json()["content_language"] == "fr"
    response = api.post(f"/api/v1/enrollments/{body['id']}/leave/")
    assert response.json()["status"] == "left"
    assert api.post("/api/v1/enrollments/", {"module": module.slug}, format="json").status_code == 201  # re-enrolled


def test_enrolling_in_a_draft_or_unknown_module_is_refused(api_as, learner):
    from courses.models import Module

    draft = module_with_lessons(status=Module.Status.DRAFT)
    assert api_as(learner).post("/api/v1/enrollments/", {"module": draft.slug}, format="json").status_code == 404
    response = api_as(learner).post("/api/v1/enrollments/", {"module": "no such"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "module"


def test_objects_of_others_are_404(api_as, enrolled, other_learner, module):
    lesson_progress_record(user=enrolled, lesson=module.lessons.first())
    for lesson in module.lessons.all():
        lesson_progress_record(user=enrolled, lesson=lesson)
    attempt = quiz_attempt_submit(user=enrolled, quiz=module.quiz, answers=quiz_answers(module))
    enrollment = Enrollment.objects.get(user=enrolled)
    certificate = Certificate.objects.get(user=enrolled)
    diag = diagnostic()
    response = diagnostic_submit(user=enrolled, answers={s.key: 2 for a in diag.areas.all() for s in a.statements.all()})
    api = api_as(other_learner)
    for url in [f"/api/v1/enrollments/{enrollment.pk}/", f"/api/v1/quiz-attempts/{attempt.pk}/",
                f"/api/v1/certificates/{certificate.code}/", f"/api/v1/diagnostic/responses/{response.pk}/"]:
        assert api.get(url).status_code == 404, url
    for url in [f"/api/v1/enrollments/{enrollment.pk}/leave/", f"/api/v1/enrollments/{enrollment.pk}/language/"]:
        assert api.post(url, {"language": "fr"}, format="json").status_code == 404, url
    for url in ["/api/v1/enrollments/", "/api/v1/quiz-attempts/", "/api/v1/certificates/"]:
        assert api.get(url).json()["results"] == [], url
    assert api.get("/api/v1/diagnostic/responses/").json() == []
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.ACTIVE


def test_the_api_needs_an_account(api_client, module):
    for url in ["/api/v1/enrollments/", "/api/v1/quizzes/basic-finance/", "/api/v1/certificates/"]:
        assert api_client.get(url).status_code == 401


def test_progress_single_event_says_whether_it_was_applied(api_as, learner, module):
    api = api_as(learner)
    lesson = module.lessons.first()
    at = (timezone.now() - timedelta(hours=1)).isoformat()
    response = api.post("/api/v1/progress/", {"lesson": lesson.pk, "event": "completed", "at": at, "language": "fr"}, format="json")
    assert response.status_code == 200
    assert response.json()["applied"] is True
    assert response.json()["enrollment"]["lessons_done"] == 1
    again = api.post("/api/v1/progress/", {"lesson": lesson.pk, "event": "completed", "at": at}, format="json")
    assert again.json()["applied"] is False


def test_progress_on_an_unknown_lesson_is_a_400_with_a_sentence(api_as, learner):
    response = api_as(learner).post("/api/v1/progress/", {"lesson": 999999}, format="json")
    assert response.status_code == 400
    assert "do not exist" in response.json()["detail"]


def test_batch_500_events_twice_shuffled_ends_like_once_in_order(api_as, learner, other_learner):
    module = module_with_lessons(lessons=30, questions=0, slug="offline")
    lessons = list(module.lessons.values_list("pk", flat=True))
    rng = random.Random(3)
    start = timezone.now() - timedelta(days=10)
    events = [{"lesson": rng.choice(lessons), "event": rng.choice(["viewed", "completed"]),
               "at": (start + timedelta(minutes=i)).isoformat(), "language": rng.choice(["fr", "zh-hans"])} for i in range(500)]
    once = api_as(learner).post("/api/v1/progress/batch/", {"events": events}, format="json")
    assert once.status_code == 200
    assert len(once.json()["applied"]) == 500 and any(once.json()["applied"])
    twice = events + events
    rng.shuffle(twice)
    api = api_as(other_learner)
    api.post("/api/v1/progress/batch/", {"events": twice[:500]}, format="json")
    second = api.post("/api/v1/progress/batch/", {"events": twice[500:]}, format="json").json()

    def state(user):
        rows = sorted(LessonProgress.objects.filter(user=user).values_list("lesson_id", "first_seen_at", "last_seen_at",
                                                                           "completed_at", "language"))
        enrollment = Enrollment.objects.get(user=user, module=module)
        return rows, (enrollment.lessons_done, enrollment.percent, enrollment.last_lesson_id, enrollment.last_activity_at)

    assert state(learner) == state(other_learner)
    assert second["enrollments"][0]["lessons_done"] == once.json()["enrollments"][0]["lessons_done"]
    # The same batch again: nothing applied.
    assert not any(api_as(learner).post("/api/v1/progress/batch/", {"events": events}, format="json").json()["applied"])


def test_a_bad_event_in_a_batch_names_its_position(api_as, learner, module):
    lesson = module.lessons.first()
    response = api_as(learner).post("/api/v1/progress/batch/", {"events": [
        {"lesson": lesson.pk}, {"lesson": lesson.pk, "event": "finished"}]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith("events[1]")
    assert not LessonProgress.objects.exists()


def test_a_batch_is_limited_in_size(api_as, learner, module):
    lesson = module.lessons.first()
    response = api_as(learner).post("/api/v1/progress/batch/", {"events": [{"lesson": lesson.pk}] * 1001}, format="json")
    assert response.status_code == 400


def test_quiz_before_submission_has_no_correct_flags(api_as, learner, module):
    response = api_as(learner).get(f"/api/v1/quizzes/{module.slug}/", {"language": "zh-hans", "attempt_key": "k1"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["questions"]) == 2 and body["questions"][0]["text_html"] == "<p>Q1 zh-hans</p>"
    assert "correct" not in json.dumps(body)
    before = response.content
    Choice.objects.filter(question__quiz__module=module).update(is_correct=True)
    assert api_as(learner).get(f"/api/v1/quizzes/{module.slug}/", {"language": "zh-hans", "attempt_key": "k1"}).content == before


def test_quiz_attempt_returns_score_per_question_result_and_explanations(api_as, learner, module):
    api = api_as(learner)
    response = api.post(f"/api/v1/quizzes/{module.slug}/attempts/",
                        {"answers": quiz_answers(module), "client_key": "phone-1", "language": "fr"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["score"] == 100 and body["passed"] is True and body["pass_mark"] == 70
    question = body["questions"][0]
    assert question["is_correct"] is True and question["explanation_html"] == "<p>why</p>"
    # Passed: the right choices are given, in the order the attempt showed them (shuffled with its key).
    assert sorted(c["correct"] for c in question["choices"]) == [False, False, True] and body["answers_revealed"]
    retry = api.post(f"/api/v1/quizzes/{module.slug}/attempts/", {"answers": quiz_answers(module), "client_key": "phone-1"},
                     format="json")
    assert retry.status_code == 200 and retry.json()["id"] == body["id"]
    assert QuizAttempt.objects.count() == 1
    history = api.get("/api/v1/quiz-attempts/", {"module": module.slug}).json()["results"]
    assert [a["id"] for a in history] == [body["id"]]
    assert api.get(f"/api/v1/quiz-attempts/{body['id']}/").json()["questions"][0]["explanation_html"] == "<p>why</p>"


def test_quiz_attempt_with_a_missing_answer_is_a_400_per_question(api_as, learner, module):
    answers = quiz_answers(module)
    first = next(iter(answers))
    response = api_as(learner).post(f"/api/v1/quizzes/{module.slug}/attempts/", {"answers": {first: answers[first]}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith("answers.")


def test_completing_through_the_api_issues_a_certificate(api_as, learner, module, django_capture_on_commit_callbacks):
    api = api_as(learner)
    api.post("/api/v1/progress/batch/", {"events": [{"lesson": pk} for pk in module.lessons.values_list("pk", flat=True)]},
             format="json")
    with django_capture_on_commit_callbacks(execute=True):
        body = api.post(f"/api/v1/quizzes/{module.slug}/attempts/", {"answers": quiz_answers(module)}, format="json").json()
    assert body["module_completed"] is True and body["certificate"]
    certificates = api.get("/api/v1/certificates/").json()["results"]
    assert certificates[0]["code"] == body["certificate"] and certificates[0]["verify_url"].endswith(f"/verify/{body['certificate']}")
    assert api.get(f"/api/v1/certificates/{body['certificate']}/").json()["is_valid"] is True


def test_diagnostic_questionnaire_submit_and_history_with_change(api_as, learner):
    diag = diagnostic()
    api = api_as(learner)
    questionnaire = api.get("/api/v1/diagnostic/", {"language": "en"}).json()
    assert [s["value"] for s in questionnaire["scale"]] == [1, 2, 3, 4]
    keys = [s["key"] for area in questionnaire["areas"] for s in area["statements"]]
    assert len(keys) == 20
    first = api.post("/api/v1/diagnostic/responses/", {"answers": dict.fromkeys(keys, 2)}, format="json")
    assert first.status_code == 201 and first.json()["average"] == 33
    second = api.post("/api/v1/diagnostic/responses/", {"answers": {**dict.fromkeys(keys, 2), "finance-1": 4}}, format="json").json()
    finance = next(a for a in second["areas"] if a["key"] == "finance")
    assert finance["previous"] == 33 and finance["change"] == 17
    history = api.get("/api/v1/diagnostic/responses/").json()
    assert [h["id"] for h in history] == [second["id"], first.json()["id"]]
    assert api.get(f"/api/v1/diagnostic/responses/{first.json()['id']}/").json()["change"] is None
    assert diag.responses.count() == 2
    bad = api.post("/api/v1/diagnostic/responses/", {"answers": {keys[0]: 9}}, format="json")
    assert bad.status_code == 400


def test_every_learner_endpoint_is_in_the_openapi_schema(client):
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    for path in ["/api/v1/enrollments/", "/api/v1/enrollments/{id}/", "/api/v1/enrollments/{id}/leave/",
                 "/api/v1/enrollments/{id}/language/", "/api/v1/progress/", "/api/v1/progress/batch/",
                 "/api/v1/quizzes/{module}/", "/api/v1/quizzes/{module}/attempts/", "/api/v1/quiz-attempts/",
                 "/api/v1/quiz-attempts/{id}/", "/api/v1/certificates/", "/api/v1/certificates/{code}/",
                 "/api/v1/diagnostic/", "/api/v1/diagnostic/responses/", "/api/v1/diagnostic/responses/{id}/"]:
        assert path in paths, path
