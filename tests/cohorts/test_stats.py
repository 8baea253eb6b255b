"""The stored cohort aggregates stay equal to a recount from the base tables: after every kind of
event the learner services record, a burst of them, a learner leaving and coming back, an account
deleted, a module added, a self-diagnostic, a new day; and in parallel on PostgreSQL."""
import random
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cohorts.models import CohortMembership, CohortStats
from cohorts.selectors import cohort_dashboard, cohort_module_columns, cohort_summary, summary_as_dict
from cohorts.services import ModuleAssignment, cohort_leave, cohort_update
from cohorts.services.stats import cohort_stats_check, cohort_stats_rebuild, cohort_stats_snapshot
from learners.models import Certificate
from learners.services import (
    certificate_revoke,
    diagnostic_submit,
    lesson_progress_record,
    progress_record,
    quiz_attempt_submit,
)
from tests.factories import UserFactory
from tests.learners.factories import diagnostic, module_with_lessons, quiz_answers

from .factories import backdate, cohort_for, member, seeded_cohort

pytestmark = pytest.mark.django_db


def _summary(cohort) -> dict:
    modules = cohort_module_columns(cohort_id=cohort.pk)
    values = summary_as_dict(cohort_dashboard(cohort=cohort))
    values.pop("generated_at")
    assert summary_as_dict(cohort_dashboard(cohort=cohort))["modules"] == values["modules"]
    assert cohort_summary(cohort=cohort, modules=modules).learners == values["learners"]
    return values


def _matrix_agrees_with_figures(cohort) -> None:
    """The header figures are the stored sums; the rows are read from the base tables: they agree."""
    dashboard = cohort_dashboard(cohort=cohort)
    s = dashboard.summary
    statuses = [row.status for row in dashboard.rows]
    assert (s.learners, s.stalled, s.completed_all, s.not_started, s.in_progress) == (
        len(statuses), statuses.count("stalled"), statuses.count("completed"), statuses.count("not_started"),
        statuses.count("in_progress"))
    assert s.certificates == sum(bool(c.certificate_code) for row in dashboard.rows for c in row.cells)
    for index, module in enumerate(dashboard.modules):
        cells = [row.cells[index].status for row in dashboard.rows]
        assert s.status_by_module[module.id] == {status: cells.count(status) for status in s.status_by_module[module.id]}


def test_a_seeded_cohort_stores_what_a_recount_finds(staff, module_a, module_b):
    cohort, _people = seeded_cohort(staff, module_a, module_b)
    assert cohort_stats_check(cohort_id=cohort.pk) == {}
    _matrix_agrees_with_figures(cohort)


def test_a_burst_of_progress_events_keeps_the_stored_figures_exact(staff, module_a, module_b):
    cohort = cohort_for(staff, module_list=[module_a, module_b])
    learners = [member(cohort) for _ in range(12)]
    lessons = list(module_a.lessons.all()) + list(module_b.lessons.all())
    rng = random.Random(7)
    now = timezone.now()
    for _ in range(120):
        user = rng.choice(learners)
        kind = rng.random()
        if kind < 0.6:
            lesson_progress_record(user=user, lesson=rng.choice(lessons), event=rng.choice(["viewed", "completed"]),
                                   at=now - timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 23)))
        elif kind < 0.8:
            progress_record(user=user, events=[{"lesson": rng.choice(lessons).pk, "event": "completed",
                                                "at": (now - timedelta(days=rng.randint(0, 40))).isoformat()} for _ in range(4)])
        else:
            quiz_attempt_submit(user=user, quiz=module_a.quiz, answers=quiz_answers(module_a, correct=rng.random() < 0.6))
    certificate = Certificate.objects.filter(user__in=learners).first()
    if certificate:
        certificate_revoke(certificate=certificate, reason="Test")
    assert cohort_stats_check(cohort_id=cohort.pk) == {}
    _matrix_agrees_with_figures(cohort)


def test_leaving_and_coming_back(staff, module_a, module_b):
    cohort, people = seeded_cohort(staff, module_a, module_b)
    before = _summary(cohort)
    cohort_leave(membership=CohortMembership.objects.get(cohort=cohort, user=people["E"]))
    after = _summary(cohort)
    assert (after["learners"], after["completed_all_modules"], after["certificates"]) == (
        before["learners"] - 1, before["completed_all_modules"] - 1, before["certificates"] - 2)
    assert cohort_stats_check(cohort_id=cohort.pk) == {}
    # Progress made while out of the cohort counts again when the learner comes back.
    lesson_progress_record(user=people["E"], lesson=module_a.lessons.first())
    member(cohort, people["E"])
    assert _summary(cohort) == {**before, "active_last_7_days": before["active_last_7_days"]}
    assert cohort_stats_check(cohort_id=cohort.pk) == {}


def test_an_account_deleted_leaves_the_figures_right(staff, module_a, module_b):
    cohort, people = seeded_cohort(staff, module_a, module_b)
    before = _summary(cohort)
    people["E"].delete()
    assert not CohortStats.objects.filter(cohort=cohort).exists()  # dropped in the same transaction, rebuilt when read
    after = _summary(cohort)
    assert (after["learners"], after["completed_all_modules"], after["certificates"]) == (
        before["learners"] - 1, before["completed_all_modules"] - 1, before["certificates"] - 2)
    assert cohort_stats_check(cohort_id=cohort.pk) == {}


def test_a_module_added_and_a_self_diagnostic(staff, module_a, module_b):
    cohort, people = seeded_cohort(staff, module_a, module_b)
    third = module_with_lessons(lessons=2, questions=0)
    cohort_update(cohort=cohort, data={}, modules=[ModuleAssignment(module=m) for m in (module_a, third, module_b)])
    assert cohort_stats_check(cohort_id=cohort.pk) == {}
    assert _summary(cohort)["completed_all_modules"] == 0  # E has not done the new module
    lesson_progress_record(user=people["E"], lesson=third.lessons.first())
    lesson_progress_record(user=people["E"], lesson=third.lessons.last())
    assert _summary(cohort)["completed_all_modules"] == 1
    keys = list(diagnostic().areas.values_list("statements__key", flat=True))
    diagnostic_submit(user=people["B"], answers=dict.fromkeys(keys, 1))
    assert _summary(cohort)["diagnostic"]["learners"] == 3
    assert cohort_stats_check(cohort_id=cohort.pk) == {}


def test_a_new_day_moves_the_learner_in_the_histogram(staff, module_a, module_b):
    cohort = cohort_for(staff, module_list=[module_a, module_b])
    user = member(cohort)
    lesson_progress_record(user=user, lesson=module_a.lessons.first())
    backdate(user, days=20)
    assert _summary(cohort)["stalled"] == 1
    lesson_progress_record(user=user, lesson=module_a.lessons.last(), event="viewed")
    summary = _summary(cohort)
    assert (summary["stalled"], summary["in_progress"], summary["active_last_7_days"]) == (0, 1, 1)
    assert cohort_stats_check(cohort_id=cohort.pk) == {}


def test_a_rebuild_changes_nothing_that_was_kept_up_to_date(staff, module_a, module_b):
    cohort, _people = seeded_cohort(staff, module_a, module_b)
    stored = cohort_stats_snapshot(cohort_id=cohort.pk)
    cohort_stats_rebuild(cohort_id=cohort.pk)
    assert cohort_stats_snapshot(cohort_id=cohort.pk) == stored


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_learners_of_one_cohort(staff, module_a, module_b):
    """Eight learners of one cohort record progress at the same time: the shared sums are exact."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are only meaningful on PostgreSQL; CI runs this test there (suite 2/2).")
    cohort = cohort_for(staff, module_list=[module_a, module_b])
    learners = [member(cohort, UserFactory()) for _ in range(8)]
    lessons = list(module_a.lessons.all()) + list(module_b.lessons.all())
    barrier = threading.Barrier(len(learners))
    errors = []

    def work(user):
        try:
            barrier.wait()
            for lesson in lessons:
                lesson_progress_record(user=user, lesson=lesson)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, args=(user,)) for user in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cohort_stats_check(cohort_id=cohort.pk) == {}
    assert _summary(cohort)["started"] == 8
