"""The dashboard page, the API and the export show the same numbers for a seeded cohort."""
import csv
import io
import random
import re
from collections import Counter, defaultdict

import pytest

from cohorts.models import CohortExport
from cohorts.services import export_file_path

from .factories import seeded_cohort

pytestmark = pytest.mark.django_db

LABELS = {"Not started": "not_started", "In progress": "in_progress", "Stalled": "stalled", "Completed": "completed"}


def html_numbers(html: str) -> dict:
    figures_part = html.split('id="figures-title"')[1].split('id="modules-title"')[0]
    figures = dict(re.findall(r'data-figure="(\w+)">(?:<a [^>]*>)?([^<]+)<', figures_part))
    modules = {}
    for module_id, body in re.findall(r'<tr data-module="(\d+)">(.*?)</tr>', html, re.S):
        modules[int(module_id)] = {key: int(value) for key, value in re.findall(r'data-figure="(\w+)">(\d+)<', body)}
    cells = {}
    for learner_id, body in re.findall(r'<tr data-learner="(\d+)">(.*?)</tr>', html, re.S):
        for module_id, status, percent in re.findall(r'data-module="(\d+)" data-status="(\w+)" data-percent="(\d+)"', body):
            cells[int(learner_id), int(module_id)] = (status, int(percent))
    return {"figures": figures, "modules": modules, "cells": cells}


def _burst(people, module_a, module_b) -> None:
    """Progress events from every learner at once, as a busy morning sends them (views, lessons done,
    an offline batch, quiz attempts): the figures are read right after."""
    from learners.services import lesson_progress_record, progress_record, quiz_attempt_submit
    from tests.learners.factories import quiz_answers

    lessons = list(module_a.lessons.all()) + list(module_b.lessons.all())
    rng = random.Random(3)
    for _ in range(60):
        user = people[rng.choice("ABCDEG")]
        if rng.random() < 0.7:
            lesson_progress_record(user=user, lesson=rng.choice(lessons), event=rng.choice(["viewed", "completed"]))
        elif rng.random() < 0.5:
            progress_record(user=user, events=[{"lesson": lesson.pk, "event": "completed"} for lesson in rng.sample(lessons, 3)])
        else:
            quiz_attempt_submit(user=user, quiz=module_a.quiz, answers=quiz_answers(module_a, correct=rng.random() < 0.5))


@pytest.mark.parametrize("burst", [False, True], ids=["seeded", "after-a-burst"])
def test_dashboard_api_and_export_agree_on_every_number(client, api_as, staff, module_a, module_b, settings, tmp_path,
                                                        django_capture_on_commit_callbacks, burst):
    settings.VAR_DIR = tmp_path
    cohort, people = seeded_cohort(staff, module_a, module_b)
    if burst:
        _burst(people, module_a, module_b)
    emails = {user.email: user.pk for user in people.values()}

    client.force_login(staff)
    client.cookies["django_language"] = "en"
    page = html_numbers(client.get(f"/cohorts/{cohort.pk}/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cohorts/{cohort.pk}/exports/", {"format": "csv"})
    export = CohortExport.objects.get()
    rows = list(csv.DictReader(io.StringIO(export_file_path(export).read_text(encoding="utf-8-sig"))))

    api = api_as(staff)
    summary = api.get(f"/api/v1/cohorts/{cohort.pk}/dashboard/", HTTP_ACCEPT_LANGUAGE="en").json()
    matrix = api.get(f"/api/v1/cohorts/{cohort.pk}/matrix/?page_size=500").json()["results"]

    slugs = {m["slug"]: m["id"] for m in summary["modules"]}
    export_cells = {(emails[r["Email address"]], slugs[r["Module code"]]): (LABELS[r["Status"]], int(r["Progress (%)"])) for r in rows}
    api_cells = {(r["user_id"], c["module_id"]): (c["status"], c["percent"]) for r in matrix for c in r["modules"]}

    # Every learner × module cell: same status and percent on the page, in the API and in the file.
    assert page["cells"] == api_cells == export_cells
    assert len(export_cells) == 12

    # Header figures.
    by_learner = defaultdict(list)
    for (learner, _module), (status, _percent) in export_cells.items():
        by_learner[learner].append(status)
    from_export = {
        "learners": len(by_learner),
        "started": sum(any(s != "not_started" for s in statuses) for statuses in by_learner.values()),
        "stalled": sum("stalled" in statuses for statuses in by_learner.values()),
        "completed_all_modules": sum(all(s == "completed" for s in statuses) for statuses in by_learner.values()),
        "certificates": sum(bool(r["Certificate"]) for r in rows),
    }
    for key, value in from_export.items():
        assert int(page["figures"][key]) == summary[key] == value, key
    assert int(page["figures"]["active_last_7_days"]) == summary["active_last_7_days"] == (6 if burst else 3)
    diagnostic = summary["diagnostic"]
    assert page["figures"]["diagnostic"] == f"{diagnostic['average_at_joining']} → {diagnostic['average_now']}"

    # Per module: completed and every status.
    export_statuses = Counter((module, status) for (_learner, module), (status, _p) in export_cells.items())
    for module in summary["modules"]:
        for status in ("completed", "in_progress", "stalled", "not_started"):
            assert page["modules"][module["id"]][status] == module["statuses"][status] == export_statuses[module["id"], status]
        assert module["completed"] == page["modules"][module["id"]]["completed"]

    # Quiz best scores and certificates, cell by cell, between the API and the file.
    api_quiz = {(r["user_id"], c["module_id"]): (c["quiz_best_score"], c["certificate"] or "") for r in matrix for c in r["modules"]}
    export_quiz = {(emails[r["Email address"]], slugs[r["Module code"]]):
                   (int(r["Best quiz score (%)"]) if r["Best quiz score (%)"] else None, r["Certificate"]) for r in rows}
    assert api_quiz == export_quiz
