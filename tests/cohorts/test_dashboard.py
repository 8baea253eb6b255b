"""The dashboard selector: figures and statuses on a seeded cohort, filters and sorting, drill-downs,
and a fixed number of queries whatever the size of the cohort."""
from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts.selectors import (
    coaching_summary,
    cohort_dashboard,
    cohort_learner_detail,
    cohort_matrix_page,
    cohort_module_columns,
    cohort_module_report,
    cohort_summary,
    summary_as_dict,
)
from tests.learners.factories import module_with_lessons

from .factories import bulk_cohort, seeded_cohort

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture
def seeded(staff, module_a, module_b):
    return seeded_cohort(staff, module_a, module_b)


def test_header_figures_of_a_seeded_cohort(seeded, module_a, module_b):
    cohort, _people = seeded
    summary = summary_as_dict(cohort_dashboard(cohort=cohort))
    assert {key: summary[key] for key in ("learners", "active_last_7_days", "started", "not_started", "in_progress", "stalled",
                                          "completed_all_modules", "certificates")} == {
        "learners": 6, "active_last_7_days": 3, "started": 4, "not_started": 2, "in_progress": 2, "stalled": 1,
        "completed_all_modules": 1, "certificates": 3}
    by_module = {m["slug"]: m for m in summary["modules"]}
    assert by_module["money-basics"]["completed"] == 2
    assert by_module["money-basics"]["statuses"] == {"completed": 2, "in_progress": 1, "stalled": 1, "not_started": 2}
    assert by_module["volunteers"]["statuses"] == {"completed": 1, "in_progress": 1, "stalled": 0, "not_started": 4}
    # D: 33 at joining, 67 now; E: 100 taken after joining (counts as their score at joining).
    assert summary["diagnostic"] == {"learners": 2, "average_at_joining": round((33 + 100) / 2),
                                     "average_now": round((67 + 100) / 2), "retaken": 1}
    assert (summary["coaching"]["requested"], summary["coaching"]["matched"]) == (0, 0)  # nobody asked for a coach yet


def test_cells_carry_status_percent_quiz_and_certificate(seeded, module_a, module_b):
    cohort, people = seeded
    rows = {row.user_id: row for row in cohort_dashboard(cohort=cohort).rows}
    assert people["F"].pk not in rows  # left the cohort
    d = rows[people["D"].pk]
    assert d.status == "in_progress"
    a_cell, b_cell = d.cells
    assert (a_cell.status, a_cell.percent, a_cell.quiz_best_score, a_cell.quiz_passed) == ("completed", 100, 100, True)
    assert a_cell.certificate_code and b_cell.certificate_code == ""
    assert (b_cell.status, b_cell.lessons_done, b_cell.lessons_total, b_cell.percent) == ("in_progress", 1, 2, 50)
    assert [c.status for c in rows[people["C"].pk].cells] == ["stalled", "not_started"]
    assert rows[people["E"].pk].status == "completed" and rows[people["E"].pk].percent == 100
    assert rows[people["G"].pk].status == "not_started"  # activity outside the cohort's modules does not count


def test_filters_and_sorting(seeded):
    """Filtered, sorted and paginated in SQL: each page agrees with the full matrix."""
    cohort, people = seeded
    dashboard = cohort_dashboard(cohort=cohort)
    modules = cohort_module_columns(cohort_id=cohort.pk)
    summary = cohort_summary(cohort=cohort, modules=modules)

    def names(**filters):
        page = cohort_matrix_page(cohort=cohort, modules=modules, summary=summary, **filters)
        assert page.count == len(page.rows)  # one page here; the count matches the rows found
        return [r.name for r in page.rows]

    assert names(status="stalled") == ["Learner C"]
    assert names(status="not_started") == ["Learner A", "Learner G"]
    assert names(status="in_progress") == ["Learner B", "Learner D"]
    assert names(status="completed") == ["Learner E"]
    # "Stalled for more than N days" with N below the cohort's threshold also finds people idle for less long.
    assert names(status="stalled", inactive_days=30) == []
    assert names(status="stalled", inactive_days=19) == ["Learner C"]
    assert names(query="association e") == ["Learner E"]
    assert names(query="LEARNER a") == ["Learner A"]
    assert names(sort="percent", descending=True)[0] == "Learner E"
    module_b_id = dashboard.modules[1].id
    assert names(sort=f"module-{module_b_id}", descending=True)[:2] == ["Learner E", "Learner D"]
    assert names(sort="nonsense") == sorted(r.name for r in dashboard.rows)
    assert names(sort="status") == ["Learner A", "Learner G", "Learner C", "Learner B", "Learner D", "Learner E"]
    # The rows of a page are the full matrix's rows, cell by cell.
    full = {r.user_id: r for r in dashboard.rows}
    for row in cohort_matrix_page(cohort=cohort, modules=modules, summary=summary, page_size=2, page=2).rows:
        assert (row.status, row.percent, [(c.status, c.percent) for c in row.cells]) == (
            full[row.user_id].status, full[row.user_id].percent, [(c.status, c.percent) for c in full[row.user_id].cells])


def test_stalled_threshold_is_per_cohort(seeded):
    cohort, _people = seeded
    cohort.stalled_after_days = 30
    assert summary_as_dict(cohort_dashboard(cohort=cohort))["stalled"] == 0
    assert summary_as_dict(cohort_dashboard(cohort=cohort, now=timezone.now() + timedelta(days=11)))["stalled"] == 1


def test_learner_detail_shows_only_the_cohorts_modules(seeded, module_a):
    cohort, people = seeded
    detail = cohort_learner_detail(cohort=cohort, user_id=people["D"].pk)
    assert [m.module.slug for m in detail.modules] == ["money-basics", "volunteers"]
    first = detail.modules[0]
    assert [lesson.completed_at is not None for lesson in first.lessons] == [True, True, True]
    assert [(a.score, a.passed) for a in first.attempts] == [(0, False), (100, True)]
    g_detail = cohort_learner_detail(cohort=cohort, user_id=people["G"].pk)
    assert "outside-module" not in [m.module.slug for m in g_detail.modules]
    assert all(line.first_seen_at is None for m in g_detail.modules for line in m.lessons)
    for outsider in (people["F"], ):
        with pytest.raises(Http404):
            cohort_learner_detail(cohort=cohort, user_id=outsider.pk)


def test_module_report_drop_off_and_questions(seeded, module_a):
    cohort, _people = seeded
    report = cohort_module_report(cohort=cohort, module_id=module_a.pk)
    assert (report.learners, report.completed) == (6, 2)
    assert [(lesson.reached, lesson.completed) for lesson in report.lessons] == [(4, 4), (2, 2), (2, 2)]
    assert report.attempts == 3 and report.learners_attempted == 2
    first_question = report.questions[0]
    # D failed then passed, E passed: first attempts 1 of 2 correct, all attempts 2 of 3.
    assert (first_question.first_correct, first_question.first_answered, first_question.correct, first_question.answered) == (1, 2, 2, 3)
    assert first_question.text == "Q1 en" or first_question.text.startswith("Q1")
    with pytest.raises(Http404):
        cohort_module_report(cohort=cohort, module_id=module_with_lessons().pk)


def test_coaching_summary_comes_from_the_selector_named_in_settings(settings):
    assert coaching_summary(cohort_ids=[1])[1]["requested"] == 0
    settings.ESSOR_COHORT_COACHING_SUMMARY = ""
    assert coaching_summary(cohort_ids=[1]) is None


def _count(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_the_dashboard_makes_the_same_few_queries_for_10_and_2000_learners(staff, api_as):
    """2,000 learners × 4 modules of 10 lessons: the selector and its API use a fixed number of queries."""
    module_list = [module_with_lessons(lessons=10, questions=3) for _ in range(4)]
    small = bulk_cohort(staff, learners=10, module_list=module_list, seed=1)
    big = bulk_cohort(staff, learners=2000, module_list=module_list, seed=2)
    client = api_as(staff)
    counts = {}
    for name, cohort in (("small", small), ("big", big)):
        counts[name] = (
            _count(lambda c=cohort: client.get(f"/api/v1/cohorts/{c.pk}/dashboard/")),
            _count(lambda c=cohort: client.get(f"/api/v1/cohorts/{c.pk}/matrix/?status=stalled&sort=activity")),
            _count(lambda c=cohort: client.get(f"/api/v1/cohorts/{c.pk}/matrix/?sort=percent&dir=desc&page_size=50")),
        )
    assert counts["small"] == counts["big"], counts
    assert max(counts["big"]) <= MAX_QUERIES, counts
    # The full matrix (exports, reminders) is read 1,000 learners at a time: 3 queries per chunk.
    assert _count(lambda: cohort_dashboard(cohort=big)) <= _count(lambda: cohort_dashboard(cohort=small)) + 3 * 2
    assert len(cohort_dashboard(cohort=big).rows) == 2000
    matrix = client.get(f"/api/v1/cohorts/{big.pk}/matrix/?page_size=500&page=4").json()
    assert matrix["count"] == 2000 and matrix["pages"] == 4 and len(matrix["results"]) == 500


def test_the_dashboard_page_itself_stays_within_a_fixed_number_of_queries(staff, client_as, django_assert_max_num_queries):
    module_list = [module_with_lessons(lessons=10, questions=0) for _ in range(2)]
    cohort = bulk_cohort(staff, learners=300, module_list=module_list)
    client = client_as(staff)
    client.get(f"/cohorts/{cohort.pk}/")  # warm the session
    # session + user + cohort + the selector (6) + facilitators + recent exports + header + navigation
    with django_assert_max_num_queries(16):
        response = client.get(f"/cohorts/{cohort.pk}/?status=stalled")
    assert response.status_code == 200
