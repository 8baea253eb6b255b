"""Two tabs, a retry storm: parallel HTTP requests on the live server still give one row and exact aggregates."""
import json
import threading
import urllib.request

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from learners.models import Enrollment, LessonProgress
from tests.factories import UserFactory
from tests.learners.factories import module_with_lessons

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",  # noqa: S310 - our live server
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own live server
        return response.status


def test_twenty_parallel_api_requests_marking_one_lesson(live_server):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are only meaningful on PostgreSQL; CI runs this test there (suite 2/2).")
    module = module_with_lessons(lessons=4, questions=0)
    user = UserFactory()
    token = Token.objects.create(user=user).key
    lessons = list(module.lessons.values_list("pk", flat=True))
    barrier = threading.Barrier(20)
    statuses, errors = [], []

    def hit(index: int):
        try:
            barrier.wait()
            if index % 2:
                statuses.append(_post(f"{live_server.url}/api/v1/progress/", token, {"lesson": lessons[0]}))
            else:  # half of them send a batch with the same lesson and a second one
                statuses.append(_post(f"{live_server.url}/api/v1/progress/batch/", token,
                                      {"events": [{"lesson": lessons[0]}, {"lesson": lessons[1], "event": "viewed"}]}))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hit, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and statuses == [200] * 20
    assert LessonProgress.objects.filter(user=user, lesson_id=lessons[0]).count() == 1
    assert LessonProgress.objects.filter(user=user).count() == 2
    enrollment = Enrollment.objects.get(user=user, module=module)
    assert (enrollment.lessons_done, enrollment.lessons_total, enrollment.percent) == (1, 4, 25)
    assert Enrollment.objects.filter(user=user).count() == 1
