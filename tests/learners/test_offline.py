"""Learning offline, the server's part: a quiz attempt sent late keeps the device's submission time and is
stored once per client key; the offline package of a module (URLs and byte sizes) is for its enrolled
learners only; the web app manifest and the service worker script are served by the site."""
import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cohorts.models import CohortMembership
from learners.models import Enrollment, LessonProgress, QuizAttempt
from learners.services import enrollment_create, enrollment_leave, quiz_attempt_submit
from tests.cohorts.factories import cohort_for, member
from tests.learners.factories import module_with_lessons, quiz_answers

pytestmark = pytest.mark.django_db


# --- Quiz attempts sent after being offline ------------------------------------------------------------------

def test_an_attempt_sent_late_keeps_the_device_submission_time_and_last_activity(learner, module):
    enrollment_create(user=learner, module=module)
    taken = timezone.now() - timedelta(hours=30)
    attempt = quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module), client_key="phone-7",
                                  started_at=taken - timedelta(minutes=4), submitted_at=taken)
    attempt.refresh_from_db()
    assert attempt.submitted_at == taken
    enrollment = Enrollment.objects.get(user=learner, module=module)
    assert enrollment.last_activity_at == taken  # not the time the phone found a connection


def test_a_late_attempt_never_moves_last_activity_back_and_a_future_time_is_now(learner, module):
    enrollment_create(user=learner, module=module)
    quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module), client_key="a")
    latest = Enrollment.objects.get(user=learner).last_activity_at
    quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module), client_key="b",
                        submitted_at=latest - timedelta(days=2))
    assert Enrollment.objects.get(user=learner).last_activity_at == latest
    future = quiz_attempt_submit(user=learner, quiz=module.quiz, answers=quiz_answers(module), client_key="c",
                                 submitted_at=timezone.now() + timedelta(days=3))
    assert future.submitted_at <= timezone.now()


def test_the_api_stores_an_offline_attempt_once_with_the_device_times(api_as, enrolled, module):
    api = api_as(enrolled)
    taken = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    body = {"answers": quiz_answers(module), "client_key": "offline-1", "started_at": (taken - timedelta(minutes=3)).isoformat(),
            "submitted_at": taken.isoformat()}
    first = api.post(f"/api/v1/quizzes/{module.slug}/attempts/", body, format="json")
    assert first.status_code == 201, first.content
    again = api.post(f"/api/v1/quizzes/{module.slug}/attempts/", {**body, "answers": quiz_answers(module, correct=False)},
                     format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"] and again.json()["score"] == 100
    attempt = QuizAttempt.objects.get(user=enrolled)
    assert attempt.submitted_at == taken and datetime.fromisoformat(first.json()["submitted_at"]) == taken
    assert Enrollment.objects.get(user=enrolled).quiz_attempts == 1


def test_a_synced_attempt_moves_the_cohort_last_activity_to_the_device_day(api_as, learner, staff):
    module = module_with_lessons(lessons=2, questions=1)
    member(cohort_for(staff, module_list=[module]), learner)
    taken = timezone.now() - timedelta(days=3)
    api_as(learner).post(f"/api/v1/quizzes/{module.slug}/attempts/",
                         {"answers": quiz_answers(module), "client_key": "k", "submitted_at": taken.isoformat()}, format="json")
    membership = CohortMembership.objects.get(user=learner)
    assert membership.last_active_on == timezone.localdate(taken)


# --- The offline package of a module ---------------------------------------------------------------------------

def test_the_offline_package_lists_what_an_enrolled_learner_needs_with_sizes(api_as, enrolled, module):
    response = api_as(enrolled).get(f"/api/v1/offline/modules/{module.slug}/")
    assert response.status_code == 200, response.content
    package = response.json()
    assert package["module"] == module.slug and package["language"] == "zh-hans" and package["second_language"] == ""
    urls = [entry["url"] for entry in package["entries"]]
    lessons = list(module.lessons.order_by("position"))
    for lesson in lessons:
        assert f"/learn/{module.slug}/{lesson.slug}/" in urls
    assert f"/learn/{module.slug}/" in urls and f"/learn/{module.slug}/quiz/" in urls and "/learn/offline/" in urls
    assert any(url.startswith("/static/") and url.endswith(".css") for url in urls)
    assert any(url.startswith("/static/") and url.endswith(".js") for url in urls)
    assert all(entry["bytes"] > 0 for entry in package["entries"])
    assert package["bytes"] == sum(entry["bytes"] for entry in package["entries"])
    assert sorted(package["lessons"]) == sorted(lesson.pk for lesson in lessons)
    versions = {entry["lesson"]: entry["version"] for entry in package["entries"] if entry["kind"] == "lesson"}
    assert set(versions) == {lesson.pk for lesson in lessons}


def test_side_by_side_adds_the_second_language_pages(api_as, enrolled, module):
    package = api_as(enrolled).get(f"/api/v1/offline/modules/{module.slug}/?with=fr").json()
    assert package["second_language"] == "fr"
    urls = [entry["url"] for entry in package["entries"]]
    assert f"/learn/{module.slug}/lesson-1/?view=side-by-side&with=fr" in urls
    assert api_as(enrolled).get(f"/api/v1/offline/modules/{module.slug}/?with=xx").json()["second_language"] == ""


def test_a_changed_lesson_changes_its_version_and_only_its_own(api_as, enrolled, module):
    api = api_as(enrolled)
    before = {e["lesson"]: e["version"] for e in api.get(f"/api/v1/offline/modules/{module.slug}/").json()["entries"]
              if e["kind"] == "lesson"}
    lesson = module.lessons.order_by("position").first()
    translation = lesson.translations.get(language="zh-hans")
    translation.body_html, translation.version = "<p>新的</p>", translation.version + 1
    translation.save()
    after = {e["lesson"]: e["version"] for e in api.get(f"/api/v1/offline/modules/{module.slug}/").json()["entries"]
             if e["kind"] == "lesson"}
    assert after[lesson.pk] != before[lesson.pk]
    assert {k: v for k, v in after.items() if k != lesson.pk} == {k: v for k, v in before.items() if k != lesson.pk}


def test_the_offline_package_is_for_enrolled_learners_only(api_client, api_as, learner, other_learner, module):
    url = f"/api/v1/offline/modules/{module.slug}/"
    assert api_client.get(url).status_code == 401
    assert api_as(other_learner).get(url).status_code == 404  # not enrolled
    enrollment = enrollment_create(user=learner, module=module)
    assert api_as(learner).get(url).status_code == 200
    enrollment_leave(enrollment=enrollment)
    assert api_as(learner).get(url).status_code == 404
    assert api_as(learner).get("/api/v1/offline/modules/no-such-module/").status_code == 404


def test_downloading_a_lesson_for_offline_reading_records_no_view(client_as, enrolled, module):
    lesson = module.lessons.order_by("position").last()
    client = client_as(enrolled)
    response = client.get(f"/learn/{module.slug}/{lesson.slug}/", headers={"X-Essor-Offline": "download"})
    assert response.status_code == 200
    assert not LessonProgress.objects.filter(user=enrolled).exists()
    client.get(f"/learn/{module.slug}/{lesson.slug}/")
    assert LessonProgress.objects.filter(user=enrolled).count() == 1


# --- Installable web app ---------------------------------------------------------------------------------------

def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert b"addEventListener(\"fetch\"" in response.content
    assert b"importScripts(\"/static/" in response.content


def test_the_manifest_names_the_app_in_the_learner_language(client):
    response = client.get("/manifest.webmanifest?lang=zh-hans")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["lang"] == "zh-hans" and manifest["start_url"].startswith("/learn/dashboard/")
    assert manifest["display"] == "standalone" and manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert manifest["name"] != json.loads(client.get("/manifest.webmanifest?lang=fr").content)["name"]


def test_every_page_links_the_manifest_and_registers_no_inline_script(client):
    html = client.get("/").content.decode()
    assert 'rel="manifest"' in html
    assert "<script>" not in html and " onclick=" not in html
