"""Every learner page and progress endpoint makes at most 10 queries, and the same number whether
the database holds 10 or 1,000 other learners' data (enrolments, progress rows, a shared cohort).

Counted on a learner who is a cohort member and was already active today: the first event of a
day, starting or completing a module cost a few more queries (the cohort's stored figures move)."""
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from cohorts.models import CohortMembership
from cohorts.services.stats import cohort_stats_rebuild
from learners.models import Enrollment, LessonProgress
from learners.services import lesson_progress_record
from tests.cohorts.factories import cohort_for, member
from tests.learners.factories import module_with_lessons

pytestmark = pytest.mark.django_db

BUDGET = 10


def _others(cohort, modules, count: int, start: int) -> None:
    """`count` more learners with enrolments, progress rows and a membership, written in bulk."""
    rng = random.Random(start)
    now = timezone.now()
    users = User.objects.bulk_create([User(email=f"other{start + n}@example.org", display_name=f"Other {start + n:05d}",
                                           password="!", is_learner=True) for n in range(count)])
    CohortMembership.objects.bulk_create([CohortMembership(cohort=cohort, user=u) for u in users])
    lessons = {m.pk: list(m.lessons.order_by("position")) for m in modules}
    enrollments = []
    for user in users:
        for module in modules:
            done = rng.randint(0, len(lessons[module.pk]))
            enrollments.append(Enrollment(user=user, module=module, lessons_done=done, lessons_total=len(lessons[module.pk]),
                                          last_activity_at=now, done_lessons=[lesson.pk for lesson in lessons[module.pk][:done]]))
    enrollments = Enrollment.objects.bulk_create(enrollments, batch_size=1000)
    LessonProgress.objects.bulk_create([
        LessonProgress(user_id=e.user_id, lesson=lesson, enrollment=e, first_seen_at=now, last_seen_at=now, completed_at=now)
        for e in enrollments for lesson in lessons[e.module_id][:e.lessons_done]], batch_size=2000)
    cohort_stats_rebuild(cohort_id=cohort.pk)


@pytest.fixture
def world(staff, client_as):
    modules = [module_with_lessons(lessons=8, questions=2) for _ in range(3)]
    cohort = cohort_for(staff, module_list=modules)
    learner = member(cohort)
    module = modules[0]
    lessons = list(module.lessons.order_by("position"))
    for lesson in lessons[:2]:
        lesson_progress_record(user=learner, lesson=lesson)  # started today: later events change no cohort state
    return {"cohort": cohort, "modules": modules, "module": module, "lessons": lessons, "client": client_as(learner)}


def _pages(world, round_: int) -> dict:
    """The count of each page and endpoint (after one warm-up request of each)."""
    client, module, lessons = world["client"], world["module"], world["lessons"]
    gets = {
        "lesson reader": f"/learn/{module.slug}/{lessons[1].slug}/",
        "catalogue": "/learn/",
        "module page": f"/learn/{module.slug}/",
        "learner dashboard": "/learn/dashboard/",
    }
    counts = {}
    for name, path in gets.items():
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[name] = len(queries)
    # Writes: a lesson not done yet each time (2, 3 in the first round; 4, 5 in the second).
    done_lesson, api_lesson = lessons[2 + 2 * round_], lessons[3 + 2 * round_]
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/learn/{module.slug}/{done_lesson.slug}/done/", {})
    assert response.status_code == 302
    counts["mark as done"] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/progress/", {"lesson": api_lesson.pk, "event": "completed"}, content_type="application/json")
    assert response.status_code == 200, response.content
    counts["one progress event"] = len(queries)
    return counts


def test_learner_pages_cost_the_same_with_10_and_1000_other_learners(world):
    _others(world["cohort"], world["modules"], 10, start=0)
    with_10 = _pages(world, 0)
    _others(world["cohort"], world["modules"], 990, start=10)
    with_1000 = _pages(world, 1)
    assert with_10 == with_1000, (with_10, with_1000)
    assert max(with_1000.values()) <= BUDGET, with_1000


@pytest.mark.parametrize("path", ["reader", "catalogue", "module", "dashboard"])
def test_each_learner_page_within_its_budget(world, path, django_assert_max_num_queries):
    module, lessons = world["module"], world["lessons"]
    url = {"reader": f"/learn/{module.slug}/{lessons[1].slug}/", "catalogue": "/learn/", "module": f"/learn/{module.slug}/",
           "dashboard": "/learn/dashboard/"}[path]
    world["client"].get(url)
    with django_assert_max_num_queries(BUDGET):
        assert world["client"].get(url).status_code == 200


def test_mark_as_done_and_one_progress_event_within_budget(world, django_assert_max_num_queries):
    """With the module's outline in the cache (any page of the module puts it there; it costs four
    queries once per process and content version)."""
    module, lessons, client = world["module"], world["lessons"], world["client"]
    client.get(f"/learn/{module.slug}/")
    with django_assert_max_num_queries(BUDGET):
        assert client.post(f"/learn/{module.slug}/{lessons[2].slug}/done/", {}).status_code == 302
    with django_assert_max_num_queries(BUDGET):
        response = client.post("/api/v1/progress/", {"lesson": lessons[3].pk, "event": "completed"}, content_type="application/json")
    assert response.status_code == 200


def test_a_view_on_a_day_already_active_moves_only_the_times(world):
    """The reader's quick path: the progress row and the enrolment's latest activity follow, nothing else."""
    client, module, lessons = world["client"], world["module"], world["lessons"]
    user = User.objects.get(pk=int(client.session["_auth_user_id"]))
    before = Enrollment.objects.get(user=user, module=module)
    assert client.get(f"/learn/{module.slug}/{lessons[5].slug}/?lang=zh-hans").status_code == 200
    after = Enrollment.objects.get(user=user, module=module)
    row = LessonProgress.objects.get(user=user, lesson=lessons[5])
    assert (row.completed_at, row.first_seen_at == row.last_seen_at) == (None, True)
    assert (after.last_lesson_id, after.lessons_done, after.percent, after.done_lessons) == (
        lessons[5].pk, before.lessons_done, before.percent, before.done_lessons)
    assert after.last_activity_at >= before.last_activity_at
    assert client.get(f"/learn/{module.slug}/{lessons[1].slug}/").status_code == 200
    again = LessonProgress.objects.get(user=user, lesson=lessons[1])
    assert again.completed_at is not None and again.last_seen_at > again.first_seen_at
    assert Enrollment.objects.get(user=user, module=module).last_lesson_id == lessons[1].pk
