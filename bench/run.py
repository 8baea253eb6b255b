"""`make bench SIZE=small|medium|large`: one table (time, queries, ratio) and bench/results.json.

    ESSOR_DEMO=1 .venv/bin/python -m bench.run --size small [--rounds 9] [--no-budgets]
    ESSOR_DEMO=1 .venv/bin/python -m bench.run --size exports --only-exports --export-rounds 3 --baseline <commit>

Generates the data set (bench/data.py) in a throw-away database (a temporary SQLite file, or
BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/essor_perf_bench, dropped and
recreated), then measures in this process, through Django's test client (middleware, view,
template: the server's side of a request), every page and endpoint the performance issue names,
in interleaved rounds (medians), with their SQL query counts. Also: the cohort dashboard
selector against hand-written SQL (ratio), the cost of the 20,000-learner page against the
1,000-learner one (ratio), and the exports (time and peak RSS, each in a child process).

Exits 1 when a query count exceeds its budget (QUERY_BUDGETS): CI runs the small size.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The most queries each measure may make (a regression fails `make bench`); same at every size.
QUERY_BUDGETS = {
    "cohort dashboard HTML": 12,
    "cohort dashboard API": 8,
    "cohort matrix API (50)": 10,
    "lesson reader": 10,
    "catalogue": 10,
    "module page": 10,
    "learner dashboard": 10,
    "mark as done (POST)": 10,
    "one progress event (API)": 10,
    "intermediary overview HTML": 20,
    "intermediary overview API": 14,
    "network view HTML": 22,
    "network view API": 16,
}


def _setup(var: Path) -> str:
    os.environ["ESSOR_VAR_DIR"] = str(var)
    os.environ["ESSOR_DEMO"] = "1"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_URL"] = "locmem://"
    os.environ["ESSOR_AXES_ENABLED"] = "0"
    os.environ["ESSOR_API_USER_RATE"] = os.environ["ESSOR_API_ANON_RATE"] = "1000000/minute"
    os.environ["ESSOR_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{var}/bench.sqlite3"
    os.environ.pop("CACHE_URL", None) if not os.environ.get("BENCH_CACHE_URL") else os.environ.__setitem__(
        "CACHE_URL", os.environ["BENCH_CACHE_URL"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    url = os.environ["DATABASE_URL"]
    if not url.startswith("sqlite"):
        base, _, name = url.rpartition("/")
        subprocess.check_call(["psql", base + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"', "-c",
                               f'CREATE DATABASE "{name}"'], stdout=subprocess.DEVNULL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


class Measures:
    """Callables measured in interleaved rounds: every measure once per round, in turn."""

    def __init__(self, show_queries: bool = False):
        self.functions: dict[str, callable] = {}
        self.queries: dict[str, int] = {}
        self.show_queries = show_queries

    def add(self, name: str, function) -> None:
        self.functions[name] = function

    def run(self, rounds: int) -> dict[str, list[float]]:
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        for name, function in self.functions.items():  # warm-up, and the query count
            function()
            with CaptureQueriesContext(connection) as captured:
                function()
            self.queries[name] = len(captured)
            if self.show_queries:
                print(f"\n-- {name}: {len(captured)} queries")
                for query in captured.captured_queries:
                    print("   ", query["sql"][:220])
        reset_queries()
        times: dict[str, list[float]] = {name: [] for name in self.functions}
        self.cpu = {name: [] for name in self.functions}
        for _ in range(rounds):
            for name, function in self.functions.items():
                start, cpu = time.perf_counter(), time.process_time()
                function()
                times[name].append(time.perf_counter() - start)
                self.cpu[name].append(time.process_time() - cpu)
        return times


def _client(session: str):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="fr", HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session
    return client


def _get(client, path: str):
    def get():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return get


def _lesson_pairs(data: dict) -> list[tuple[str, int, str]]:
    """(session, lesson id, module slug/lesson slug) pairs with lessons not done yet, for the write measures."""
    from django.contrib.sessions.models import Session

    from courses.models import Lesson
    from learners.models import LessonProgress

    pairs = []
    for session in data["learner_sessions"]:
        user_id = int(Session.objects.get(session_key=session).get_decoded()["_auth_user_id"])
        done = set(LessonProgress.objects.filter(user_id=user_id, completed_at__isnull=False).values_list("lesson_id", flat=True))
        for lesson_id, module_slug, slug in Lesson.objects.filter(module__enrollments__user_id=user_id).values_list(
                "pk", "module__slug", "slug"):
            if lesson_id not in done:
                pairs.append((session, lesson_id, f"{module_slug}/{slug}"))
    return pairs


def pages(data: dict, measures: Measures) -> None:
    staff = _client(data["staff_session"])
    for label, cohort in data["cohorts"].items():
        if label.startswith("extra"):
            continue
        n = f"{int(label):,}"
        measures.add(f"cohort dashboard HTML, {n} learners", _get(staff, f"/cohorts/{cohort}/"))
        measures.add(f"cohort dashboard API, {n} learners", _get(staff, f"/api/v1/cohorts/{cohort}/dashboard/"))
        measures.add(f"cohort matrix API (50), {n} learners", _get(staff, f"/api/v1/cohorts/{cohort}/matrix/?page_size=50"))
    if data.get("intermediary"):  # issue #17: every cohort of an intermediary, every intermediary of a network
        from cohorts.models import CohortMembership

        members = CohortMembership.objects.filter(cohort__intermediary_id=data["intermediary"], status="active")
        cohorts = members.values("cohort_id").distinct().count()
        n = f"{cohorts} cohort{'s' if cohorts != 1 else ''}, {members.values('user_id').distinct().count():,} learners"
        measures.add(f"intermediary overview HTML, {n}", _get(staff, f"/impact/intermediaries/{data['intermediary']}/"))
        measures.add(f"intermediary overview API, {n}",
                     _get(staff, f"/api/v1/impact/intermediaries/{data['intermediary']}/overview/"))
    if data.get("network"):
        from impact.models import NetworkMembership

        k = NetworkMembership.objects.filter(network_id=data["network"], status="accepted").count()
        measures.add(f"network view HTML, {k} intermediaries", _get(staff, f"/impact/networks/{data['network']}/"))
        measures.add(f"network view API, {k} intermediaries", _get(staff, f"/api/v1/impact/networks/{data['network']}/overview/"))
    learner = _client(data["learner_sessions"][0])
    module, lesson = data["reader_paths"][0]
    measures.add("lesson reader", _get(learner, f"/learn/{module}/{lesson}/"))
    measures.add("catalogue", _get(learner, "/learn/"))
    measures.add("module page", _get(learner, f"/learn/{module}/"))
    measures.add("learner dashboard", _get(learner, "/learn/dashboard/"))

    pairs = iter(_lesson_pairs(data))

    def mark_done():
        session, _lesson_id, path = next(pairs)
        response = _client(session).post(f"/learn/{path}/done/", {})
        assert response.status_code == 302, response.status_code

    def progress_event():
        session, lesson_id, _path = next(pairs)
        response = _client(session).post("/api/v1/progress/", {"lesson": lesson_id, "event": "completed"},
                                         content_type="application/json")
        assert response.status_code == 200, (response.status_code, response.content[:200])

    measures.add("mark as done (POST)", mark_done)
    measures.add("one progress event (API)", progress_event)


def selector_vs_sql(data: dict, rounds: int) -> dict:
    """The biggest cohort's numbers from the selectors and from hand-written SQL that recomputes them
    from the base tables (bench/cohort_dashboard.py): checked equal (header figures, every cell of
    the full matrix), then timed — what a page reads (stored figures + one page of 50) and the full
    matrix the export reads, each against the SQL."""
    from django.utils import timezone

    from bench.cohort_dashboard import raw_sql
    from cohorts.models import Cohort
    from cohorts.selectors import cohort_dashboard, cohort_matrix_page, cohort_module_columns, cohort_summary, summary_as_dict

    cohort = Cohort.objects.get(pk=data["cohorts"][max((k for k in data["cohorts"] if not k.startswith("extra")), key=int)])
    now = timezone.now()
    cells, _learners, figures = raw_sql(cohort, now)
    dashboard = cohort_dashboard(cohort=cohort, now=now)
    selector = summary_as_dict(dashboard)
    expected = (selector["learners"], selector["active_last_7_days"], selector["started"], selector["completed_all_modules"],
                selector["stalled"], selector["certificates"])
    assert tuple(int(v or 0) for v in figures) == expected, (figures, expected)
    selector_cells = sorted((r.user_id, c.module_id, c.percent, c.status, c.lessons_done if c.enrolled else None,
                             c.quiz_best_score, c.certificate_code or None) for r in dashboard.rows for c in r.cells)
    assert selector_cells == sorted(cells), "the selector and the SQL disagree on the matrix"

    def page():
        modules = cohort_module_columns(cohort_id=cohort.pk)
        summary = cohort_summary(cohort=cohort, modules=modules, now=now, with_coaching=False)
        return cohort_matrix_page(cohort=cohort, modules=modules, summary=summary, now=now)

    measures = Measures()
    measures.add("page", page)
    measures.add("full", lambda: cohort_dashboard(cohort=cohort, now=now, with_coaching=False))
    measures.add("sql", lambda: raw_sql(cohort, now))
    times = measures.run(rounds)
    return {"learners": selector["learners"], **{f"{k}_ms": statistics.median(v) * 1000 for k, v in times.items()},
            **{f"{k}_cpu_ms": statistics.median(v) * 1000 for k, v in measures.cpu.items()},
            **{f"{k}_queries": n for k, n in measures.queries.items()}}


def _export_child(cohort_id: int, fmt: str, tree: Path) -> dict:
    out = subprocess.check_output([sys.executable, "-m", "bench.export_child", str(cohort_id), fmt], env=os.environ, cwd=tree,
                                  text=True)
    return json.loads(out.strip().splitlines()[-1])


def exports(data: dict, rounds: int = 1, baseline: str | None = None, var: Path | None = None) -> dict:
    """Each export in a child process: its time and the child's peak RSS, at two cohort sizes (flat memory:
    same peak). With `baseline` (a commit), the same exports by that commit's code on the same database,
    in turn with this code, round after round (medians; the ratio this / baseline of the same run)."""
    trees = {"this": HERE.parent}
    if baseline:
        from bench.server import baseline_tree

        trees["baseline"] = baseline_tree(baseline, var)
        # The same measuring child for both versions (this one reads the child's own peak memory).
        shutil.copyfile(HERE / "export_child.py", trees["baseline"] / "bench" / "export_child.py")
    labels = sorted((k for k in data["cohorts"] if not k.startswith("extra")), key=int)[-2:]
    runs: dict[tuple[str, str], list[dict]] = {}
    for number in range(rounds):
        order = list(trees) if number % 2 == 0 else list(reversed(trees))  # neither version always goes first
        for label in labels:
            for fmt in ("csv", "xlsx"):
                for name in order:
                    result = _export_child(data["cohorts"][label], fmt, trees[name])
                    runs.setdefault((f"export {fmt.upper()}, {int(label):,} learners", name), []).append(result)
                    print(f"  round {number + 1}: {name:<8} {fmt} {int(label):,}: {result['cpu_ms']:.0f} ms CPU, "
                          f"{result['ms']:.0f} ms wall, peak RSS {result['peak_rss_mib']:.0f} MiB", flush=True)
    results = {}
    for (measure, name), values in runs.items():
        key = measure if name == "this" else f"{measure} (baseline {baseline})"
        results[key] = {**values[0], "ms": round(statistics.median(v["ms"] for v in values), 1),
                        "cpu_ms": round(statistics.median(v["cpu_ms"] for v in values), 1),
                        "peak_rss_mib": max(v["peak_rss_mib"] for v in values), "rounds": len(values)}
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=["small", "medium", "large", "exports"])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--no-budgets", action="store_true", help="report query counts without failing")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of every measure")
    parser.add_argument("--no-exports", action="store_true", help="skip the export measures (CI checks the budgets)")
    parser.add_argument("--only-exports", action="store_true", help="measure the exports only (e.g. --size exports: 2,000 × 40)")
    parser.add_argument("--export-rounds", type=int, default=1, help="interleaved rounds of the exports (medians)")
    parser.add_argument("--baseline", help="a commit whose exports are measured in turn with this code's (ratios)")
    parser.add_argument("--only", action="append", default=[], metavar="PREFIX",
                        help="measure only the pages whose name starts with PREFIX (repeatable; skips the selector/SQL "
                             "comparison and the exports), e.g. --only 'intermediary overview' --only 'network view'")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="essor-bench-") as folder:
        url = _setup(Path(folder))
        from dataclasses import asdict

        from django.db import connection

        from bench.data import generate

        t0 = time.perf_counter()
        data = asdict(generate(args.size))
        generated = time.perf_counter() - t0
        print(f"{args.size} on {connection.vendor}: generated in {generated:.1f} s: {data['counts']}", flush=True)
        measures = Measures(show_queries=args.show_queries)
        if not args.only_exports:
            pages(data, measures)
        if args.only:
            measures.functions = {name: f for name, f in measures.functions.items() if name.startswith(tuple(args.only))}
        times = measures.run(args.rounds)
        # CPU time of this process as well: on a shared, overloaded machine it is the steadier
        # measure of what a request costs (the database is SQLite in this process, or a server).
        rows = {name: {"ms": round(statistics.median(values) * 1000, 2),
                       "cpu_ms": round(statistics.median(measures.cpu[name]) * 1000, 2), "queries": measures.queries[name]}
                for name, values in times.items()}
        ratios = {}
        sizes = sorted(int(k) for k in data["cohorts"] if not k.startswith("extra"))
        for kind in ("cohort dashboard HTML", "cohort dashboard API", "cohort matrix API (50)"):
            if len(sizes) >= 2 and not args.only_exports:
                big, ref = f"{kind}, {sizes[-1]:,} learners", f"{kind}, {min(sizes[-2], 1000):,} learners"
                ref = ref if ref in rows else f"{kind}, {sizes[-2]:,} learners"
                if big not in rows or ref not in rows:  # --only
                    continue
                label = f"{kind}: {sizes[-1]:,} / {ref.rsplit(', ', 1)[1].split()[0]} learners"
                ratios[label] = round(rows[big]["ms"] / rows[ref]["ms"], 2)
                ratios[label + " (CPU time)"] = round(rows[big]["cpu_ms"] / max(rows[ref]["cpu_ms"], 0.01), 2)
        sql = None if args.only or args.only_exports else selector_vs_sql(data, args.rounds)
        n = f"{sql['learners']:,} learners" if sql else ""
        if sql:
            ratios[f"page selectors (figures + 50 rows) / hand-written SQL, {n}"] = round(sql["page_ms"] / sql["sql_ms"], 3)
            ratios[f"full matrix selector (export) / hand-written SQL, {n}"] = round(sql["full_ms"] / sql["sql_ms"], 2)
        for key, label in (("page", "page selectors (figures + 50 rows)"), ("full", "full matrix selector (export)"),
                           ("sql", "hand-written SQL (full recount)")) if sql else ():
            rows[f"{label}, {n}"] = {"ms": round(sql[f"{key}_ms"], 2), "cpu_ms": round(sql[f"{key}_cpu_ms"], 2),
                                     "queries": sql.get(f"{key}_queries", 3)}
        export_rows = {} if args.no_exports or args.only else exports(data, args.export_rounds, args.baseline, Path(folder))
        if args.baseline:
            for name, row in list(export_rows.items()):
                before = export_rows.get(f"{name} (baseline {args.baseline})")
                if before:
                    ratios[f"{name}: this / baseline, CPU time"] = round(row["cpu_ms"] / before["cpu_ms"], 3)
                    ratios[f"{name}: this / baseline, wall time"] = round(row["ms"] / before["ms"], 3)
        if url.startswith("postgres"):
            connection.close()
            base, _, name = url.rpartition("/")
            subprocess.call(["psql", base + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'], stdout=subprocess.DEVNULL)

    failures = []
    print(f"\n{'measure':<52}{'median ms':>11}{'CPU ms':>9}{'queries':>9}{'budget':>8}")
    for name, row in rows.items():
        budget = next((b for prefix, b in QUERY_BUDGETS.items() if name.startswith(prefix)), None)
        flag = ""
        if budget is not None and row["queries"] > budget:
            failures.append(f"{name}: {row['queries']} queries > {budget}")
            flag = "  ← over budget"
        print(f"{name:<52}{row['ms']:>11.1f}{row['cpu_ms']:>9.1f}{row['queries']:>9}{budget if budget is not None else '':>8}{flag}")
    for name, row in export_rows.items():
        print(f"{name:<52}{row['ms']:>11.1f}{row['cpu_ms']:>9.1f}{row.get('queries', ''):>9}{'':>8}  {row['rows']} rows, "
              f"peak RSS {row['peak_rss_mib']:.0f} MiB")
    for name, value in ratios.items():
        print(f"ratio {name:<76}{value:>7.3f}×")
    total = time.perf_counter() - started
    print(f"\nbench {args.size}: {total:.0f} s")
    args.output.write_text(json.dumps({
        "size": args.size, "database": "sqlite" if url.startswith("sqlite") else "postgresql", "rounds": args.rounds,
        "counts": data["counts"], "generated_seconds": round(generated, 1), "measures": rows, "exports": export_rows,
        "ratios": ratios, "query_budgets": QUERY_BUDGETS, "seconds": round(total, 1),
    }, indent=2) + "\n")
    if failures and not args.no_budgets:
        print("\nQuery-count regression:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
