"""Locust journeys for `make bench-load` (headless, bounded users and time, 127.0.0.1 only).

LearnerFlow: a logged-in learner reads a lesson (GET, which records a "viewed" event) and marks it
done (POST, which redirects, not followed), then goes on to the module's next lesson, back to the
first one after the last. CohortPages: a staff member opens the cohort dashboard (HTML), the API
dashboard and a page of the matrix. The data set's description (sessions, lessons) is read from
the file named by ESSOR_BENCH_DATASET; ESSOR_BENCH_SCENARIO picks learner, cohort or both.

The users are FastHttpUser (geventhttpclient), not HttpUser (python-requests): locust runs on the
same cores as the server, and per request it takes about a quarter of the CPU requests took, which
is left to the server (docs/performance.md). Both sides of a comparison run the same client.
"""
import itertools
import json
import os
from http.cookiejar import Cookie
from pathlib import Path

from locust import FastHttpUser, constant, task

DATA = json.loads(Path(os.environ["ESSOR_BENCH_DATASET"]).read_text())
SCENARIO = os.environ.get("ESSOR_BENCH_SCENARIO", "learner")
LESSONS = DATA["lesson_slugs"]  # module slug -> [lesson slugs in order]
_learners = itertools.cycle(list(zip(DATA["learner_sessions"], DATA["reader_paths"], strict=True)))
_cohorts = itertools.cycle([c for label, c in DATA["cohorts"].items() if not label.startswith("extra")])


def _set_cookie(user, name: str, value: str) -> None:
    user.client.cookiejar.set_cookie(Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                                            None, True, None, None, {}))


def _cookie(user, name: str) -> str:
    return next((cookie.value for cookie in user.client.cookiejar if cookie.name == name), "")


class LearnerFlow(FastHttpUser):
    wait_time = constant(0)
    weight = 1 if SCENARIO in ("learner", "both") else 0

    def on_start(self):
        session, (module, lesson) = next(_learners)
        _set_cookie(self, "sessionid", session)
        self.module, self.lessons = module, LESSONS[module]
        self.index = self.lessons.index(lesson)

    @task
    def read_and_mark_done(self):
        lesson = self.lessons[self.index]
        path = f"/learn/{self.module}/{lesson}/"
        with self.client.get(path, name="reader GET", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
        token = _cookie(self, "csrftoken")
        with self.client.post(path + "done/", data={"csrfmiddlewaretoken": token}, headers={"Referer": self.host + path},
                              allow_redirects=False, name="mark done POST", catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
        self.index = (self.index + 1) % len(self.lessons)


class CohortPages(FastHttpUser):
    wait_time = constant(0)
    weight = 1 if SCENARIO in ("cohort", "both") else 0

    def on_start(self):
        _set_cookie(self, "sessionid", DATA["staff_session"])
        self.cohort = next(_cohorts)

    @task
    def dashboard(self):
        self.client.get(f"/cohorts/{self.cohort}/", name="cohort dashboard HTML")
        self.client.get(f"/api/v1/cohorts/{self.cohort}/dashboard/", name="cohort dashboard API")
        self.client.get(f"/api/v1/cohorts/{self.cohort}/matrix/?page_size=50", name="cohort matrix API")
