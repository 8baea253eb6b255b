"""Benchmark: the cohort dashboard selector at 2,000 learners × 40 lessons, next to hand-written SQL.

    ESSOR_DEMO=1 .venv/bin/python -m bench.cohort_dashboard [--learners 2000] [--runs 7]

Builds a throw-away database (a temporary SQLite file, or a `test_…` database on the server of
DATABASE_URL), generates the cohort with bulk_create (4 modules of 10 lessons, quizzes, progress
rows, certificates, self-diagnostics), then prints the median and best times of `cohort_dashboard()` and of
three hand-written SQL queries returning the same numbers (checked equal: every cell, every
learner, the header figures), their ratio, the number
of queries of the selector, and the time of the CSV and XLSX exports.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

MODULES = 4
LESSONS_PER_MODULE = 10
QUESTIONS_PER_MODULE = 5


def _setup_django(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ESSOR_DEMO", "1")
    # Everything the run writes (SQLite file, export files) goes to a temporary folder.
    os.environ["ESSOR_VAR_DIR"] = str(tmp)
    os.environ.setdefault("EMAIL_URL", "console://")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    import django

    django.setup()


def _create_database(tmp: Path) -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)


def generate(learners: int, seed: int = 2026):
    """The cohort, written with bulk_create; aggregates as the learner services would store them."""
    from django.utils import timezone

    from accounts.models import Association, Intermediary, IntermediaryStaff, User
    from cohorts.models import CohortMembership
    from cohorts.services import ModuleAssignment, cohort_create
    from courses.models import (
        Choice,
        Diagnostic,
        DiagnosticArea,
        Lesson,
        LessonTranslation,
        Module,
        ModuleTranslation,
        Question,
        QuestionTranslation,
        Quiz,
        Topic,
    )
    from learners.models import Certificate, DiagnosticResponse, Enrollment, LessonProgress, QuizAttempt

    rng = random.Random(seed)
    now = timezone.now()
    intermediary = Intermediary.objects.create(name="Bench centre", slug="bench-centre")
    staff = User.objects.create_user(email="staff@bench.example", display_name="Bench staff")
    IntermediaryStaff.objects.create(intermediary=intermediary, user=staff)
    topic, _created = Topic.objects.get_or_create(key="finance", defaults={"names": {"fr": "Finances"}})
    modules, lessons = [], {}
    for m in range(MODULES):
        module = Module.objects.create(slug=f"bench-module-{m}", topic=topic, status=Module.Status.PUBLISHED, published_at=now)
        ModuleTranslation.objects.create(module=module, language="fr", title=f"Module {m + 1}")
        lessons[module.pk] = Lesson.objects.bulk_create(
            [Lesson(module=module, slug=f"lesson-{n + 1}", position=n + 1) for n in range(LESSONS_PER_MODULE)])
        LessonTranslation.objects.bulk_create([LessonTranslation(lesson=lesson, language="fr", title=f"Leçon {lesson.position}",
                                                                 body_md="x", body_html="<p>x</p>") for lesson in lessons[module.pk]])
        quiz = Quiz.objects.create(module=module)
        for q in range(QUESTIONS_PER_MODULE):
            question = Question.objects.create(quiz=quiz, key=f"q{q}", position=q + 1)
            QuestionTranslation.objects.create(question=question, language="fr", text_md=f"Q{q}", text_html=f"<p>Q{q}</p>")
            Choice.objects.bulk_create([Choice(question=question, position=c, is_correct=c == 1) for c in (1, 2, 3)])
        modules.append(module)
    diagnostic = Diagnostic.objects.create(key="capacity")
    DiagnosticArea.objects.create(diagnostic=diagnostic, key="finance", position=1)
    cohort = cohort_create(intermediary=intermediary, created_by=staff, name="Bench cohort", stalled_after_days=14,
                           modules=[ModuleAssignment(module=m) for m in modules], facilitators=[staff])

    associations = Association.objects.bulk_create([Association(name=f"Association {n}", country=rng.choice("FC") + "R")
                                                    for n in range(learners // 2)])
    users = User.objects.bulk_create([
        User(email=f"learner{n}@bench.example", display_name=f"Apprenant·e {n:05d}", password="!", is_learner=True,
             association=rng.choice(associations), preferred_language=rng.choice(["fr", "zh-hans"]))
        for n in range(learners)], batch_size=1000)
    CohortMembership.objects.bulk_create([CohortMembership(cohort=cohort, user=u) for u in users], batch_size=1000)
    CohortMembership.objects.filter(cohort=cohort).update(joined_at=now - timedelta(days=60))

    enrollments, progress, certificates, attempts, diagnostics = [], [], [], [], []
    for user in users:
        reach = rng.choice([0, 0, 1, 1, 2, 3, 4])  # how many modules this learner has started
        for index, module in enumerate(modules):
            done = 0 if index >= reach else (LESSONS_PER_MODULE if index < reach - 1 else rng.randint(1, LESSONS_PER_MODULE))
            activity = now - timedelta(days=rng.choice([0, 1, 3, 6, 9, 16, 25, 40]), hours=rng.randint(0, 23)) if done else None
            completed = activity if done == LESSONS_PER_MODULE and rng.random() < 0.8 else None
            score = rng.choice([60, 80, 100]) if completed else (rng.choice([None, 40]) if done == LESSONS_PER_MODULE else None)
            enrollments.append(Enrollment(
                user=user, module=module, lessons_done=done, lessons_total=LESSONS_PER_MODULE, last_activity_at=activity,
                percent=100 if completed else (100 * (done + (1 if score and score >= 70 else 0))) // (LESSONS_PER_MODULE + 1),
                completed_at=completed, quiz_passed=bool(completed), quiz_best_score=score, quiz_attempts=1 if score else 0))
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    stored = {(e.user_id, e.module_id): e for e in Enrollment.objects.filter(module__in=modules)}
    for (user_id, module_id), enrollment in stored.items():
        for lesson in lessons[module_id][: enrollment.lessons_done]:
            progress.append(LessonProgress(user_id=user_id, lesson=lesson, enrollment=enrollment, language="fr",
                                           first_seen_at=enrollment.last_activity_at, last_seen_at=enrollment.last_activity_at,
                                           completed_at=enrollment.last_activity_at))
        if enrollment.completed_at:
            certificates.append(Certificate(user_id=user_id, module_id=module_id, enrollment=enrollment, learner_name="x",
                                            score=enrollment.quiz_best_score))
        if enrollment.quiz_best_score is not None:
            quiz_id = modules[[m.pk for m in modules].index(module_id)].quiz.pk
            attempts.append(QuizAttempt(user_id=user_id, quiz_id=quiz_id, enrollment=enrollment, score=enrollment.quiz_best_score,
                                        passed=enrollment.quiz_passed, results={}))
    for user in users[::3]:
        diagnostics.append(DiagnosticResponse(user=user, diagnostic=diagnostic, average=rng.randint(20, 60)))
        diagnostics.append(DiagnosticResponse(user=user, diagnostic=diagnostic, average=rng.randint(40, 90)))
    LessonProgress.objects.bulk_create(progress, batch_size=5000)
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    DiagnosticResponse.objects.bulk_create(diagnostics, batch_size=2000)
    DiagnosticResponse.objects.filter(pk__in=[d.pk for d in diagnostics[::2]]).update(created_at=now - timedelta(days=70))
    from django.db import connection

    from cohorts.services.stats import cohort_stats_rebuild

    cohort_stats_rebuild(cohort_id=cohort.pk)  # written in bulk, behind the services' back
    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would gather them
        cursor.execute("ANALYZE")
    return cohort, staff, {"lesson_progress": len(progress), "enrolments": len(enrollments), "certificates": len(certificates)}


# The same numbers as the dashboard, written by hand: every cell (status, percent, lessons, quiz,
# certificate), every learner (name, association, latest activity, overall percent and status) and
# the header figures. The learner status follows the selector's rules (see docs/cohorts.md).
CTES = """
WITH members AS (
    SELECT m.user_id FROM cohorts_cohortmembership m WHERE m.cohort_id = %(cohort)s AND m.status = 'active'
), mods AS (
    SELECT cm.module_id, cm.position FROM cohorts_cohortmodule cm WHERE cm.cohort_id = %(cohort)s
), cells AS (
    SELECT mb.user_id, md.module_id, md.position, COALESCE(e.percent, 0) AS percent, e.lessons_done, e.lessons_total,
           e.completed_at IS NOT NULL AS completed,
           (e.last_activity_at IS NOT NULL OR e.lessons_done > 0 OR e.quiz_attempts > 0) AS started,
           e.quiz_best_score, e.quiz_passed, c.code, e.last_activity_at
    FROM members mb CROSS JOIN mods md
    LEFT JOIN learners_enrollment e ON e.user_id = mb.user_id AND e.module_id = md.module_id
    LEFT JOIN learners_certificate c ON c.user_id = mb.user_id AND c.module_id = md.module_id AND c.revoked_at IS NULL
), learners AS (
    SELECT user_id, MAX(last_activity_at) AS last, SUM(CASE WHEN completed THEN 1 ELSE 0 END) AS completed,
           SUM(CASE WHEN started THEN 1 ELSE 0 END) AS started, COUNT(code) AS certificates, SUM(percent) / COUNT(*) AS percent
    FROM cells GROUP BY user_id
), statuses AS (
    SELECT l.*, CASE WHEN l.completed = (SELECT COUNT(*) FROM mods) THEN 'completed'
                     WHEN l.started = 0 THEN 'not_started'
                     WHEN l.last IS NULL OR l.last < %(stalled_before)s THEN 'stalled'
                     ELSE 'in_progress' END AS status
    FROM learners l
)
"""
MATRIX_SQL = CTES + """
SELECT c.user_id, c.module_id, c.percent,
       CASE WHEN c.completed THEN 'completed' WHEN NOT COALESCE(c.started, FALSE) THEN 'not_started'
            WHEN s.status = 'stalled' THEN 'stalled' ELSE 'in_progress' END,
       c.lessons_done, c.quiz_best_score, c.code
FROM cells c JOIN statuses s ON s.user_id = c.user_id ORDER BY c.user_id, c.position
"""
LEARNERS_SQL = CTES + """
SELECT s.user_id, u.display_name, u.email, a.name, s.last, s.percent, s.status
FROM statuses s JOIN accounts_user u ON u.id = s.user_id LEFT JOIN accounts_association a ON a.id = u.association_id
ORDER BY u.display_name, s.user_id
"""
FIGURES_SQL = CTES + """
SELECT COUNT(*), SUM(CASE WHEN last >= %(active_after)s THEN 1 ELSE 0 END), SUM(CASE WHEN started > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'stalled' THEN 1 ELSE 0 END),
       SUM(certificates)
FROM statuses
"""


def raw_sql(cohort, now):
    """Statuses in whole days of the site's time zone, as the dashboard counts them: stalled when the
    latest activity was on or before today − threshold, active when on or after today − 6."""
    from datetime import datetime, time

    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate(now)

    def day_start(day):
        return connection.ops.adapt_datetimefield_value(timezone.make_aware(datetime.combine(day, time.min)))

    params = {"cohort": cohort.pk,
              "stalled_before": day_start(today - timedelta(days=cohort.stalled_after_days - 1)),
              "active_after": day_start(today - timedelta(days=6))}
    with connection.cursor() as cursor:
        cursor.execute(MATRIX_SQL, params)
        cells = cursor.fetchall()
        cursor.execute(LEARNERS_SQL, params)
        learners = cursor.fetchall()
        cursor.execute(FIGURES_SQL, params)
        figures = cursor.fetchone()
    return cells, learners, figures


def timings(functions: dict, runs: int) -> dict[str, list[float]]:
    """Run the functions in turn, `runs` times each, so that a busy machine slows them alike."""
    for function in functions.values():
        function()  # warm-up (connection, caches)
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="essor-bench-") as folder:
        tmp = Path(folder)
        _setup_django(tmp)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from cohorts.models import CohortExport
        from cohorts.selectors import cohort_dashboard, summary_as_dict
        from cohorts.services import export_generate

        name = _create_database(tmp)
        try:
            started = time.perf_counter()
            cohort, staff, sizes = generate(args.learners)
            print(f"Generated {args.learners} learners × {MODULES} modules × {LESSONS_PER_MODULE} lessons "
                  f"({sizes['enrolments']} enrolments, {sizes['lesson_progress']} lesson progress rows, "
                  f"{sizes['certificates']} certificates) in {time.perf_counter() - started:.1f} s on {connection.vendor}.")
            now = timezone.now()

            # Same numbers first: every cell's status and percent, quiz score, certificate; the header figures.
            dashboard = cohort_dashboard(cohort=cohort, now=now)
            cells, learners, figures = raw_sql(cohort, now)
            selector_cells = sorted((r.user_id, c.module_id, c.percent, c.status, c.lessons_done if c.enrolled else None,
                                     c.quiz_best_score, c.certificate_code or None) for r in dashboard.rows for c in r.cells)
            assert selector_cells == sorted(cells), "the selector and the SQL disagree on the matrix"
            assert [(r.user_id, r.percent, r.status) for r in dashboard.rows] == [(row[0], int(row[5]), row[6]) for row in learners], \
                "the selector and the SQL disagree on the learners"
            s = summary_as_dict(dashboard)
            expected = (s["learners"], s["active_last_7_days"], s["started"], s["completed_all_modules"], s["stalled"], s["certificates"])
            assert tuple(int(v or 0) for v in figures) == expected, (figures, expected)

            with CaptureQueriesContext(connection) as queries:
                cohort_dashboard(cohort=cohort, now=now)
            times = timings({"selector": lambda: cohort_dashboard(cohort=cohort, now=now),
                             "sql": lambda: raw_sql(cohort, now)}, args.runs)
            selector, raw = statistics.median(times["selector"]), statistics.median(times["sql"])
            best_selector, best_raw = min(times["selector"]), min(times["sql"])
            print(f"cohort_dashboard() selector : {selector * 1000:8.1f} ms median, {best_selector * 1000:.1f} ms best  "
                  f"({len(queries.captured_queries)} queries, {len(dashboard.rows)} learners, {len(selector_cells)} cells)")
            print(f"hand-written SQL (3 queries): {raw * 1000:8.1f} ms median, {best_raw * 1000:.1f} ms best")
            print(f"ratio selector / SQL        : {selector / raw:8.2f}× median, {best_selector / best_raw:.2f}× best   (aim: ≤ 2×)")
            names = ["learners", "active_7d", "started", "completed_all", "stalled", "certificates"]
            print(f"figures: {dict(zip(names, expected, strict=True))}")

            for fmt in ("csv", "xlsx"):
                export = CohortExport.objects.create(cohort=cohort, created_by=staff, format=fmt, language="fr")
                start = time.perf_counter()
                export = export_generate(export_id=export.pk, language="fr")
                elapsed = time.perf_counter() - start
                assert export.status == "done", export.error
                print(f"export {fmt.upper():4}                 : {elapsed * 1000:8.1f} ms  ({export.rows_total} rows, "
                      f"{export.file_size / 1024:.0f} KiB)")
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
