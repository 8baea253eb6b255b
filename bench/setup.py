"""Start Django on a throw-away database for a benchmark.

SQLite in a temporary folder by default; set BENCH_DATABASE_URL to measure on PostgreSQL
(the database is migrated and written to: give it a database of its own)."""
import os
import tempfile
import time
from contextlib import contextmanager


def bench_setup() -> None:
    var_dir = tempfile.mkdtemp(prefix="essor-bench-")
    os.environ["ESSOR_VAR_DIR"] = var_dir
    os.environ["ESSOR_DEMO"] = "1"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_URL"] = "locmem://"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{var_dir}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def measure(label: str, results: list):
    """Time a block and count its SQL queries; appends (label, seconds, queries) to results."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
    results.append((label, elapsed, len(queries)))


def report(title: str, results: list) -> None:
    print(f"\n{title}")
    print(f"{'measure':<58} {'time':>10} {'queries':>8}")
    for label, seconds, queries in results:
        print(f"{label:<58} {seconds * 1000:>8.1f}ms {queries:>8}")
