"""Child process of bench.run: one cohort export, printing its time, rows and the process's peak RSS as JSON.

    python -m bench.export_child COHORT_ID csv|xlsx      (environment from bench.run)
"""
import json
import sys
import time


def peak_rss_kib() -> int:
    """This process's own peak resident memory (VmHWM). Not getrusage's ru_maxrss: on Linux that keeps
    the peak of the process that forked this one (the bench, with its whole data set in memory)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def main() -> int:
    cohort_id, fmt = int(sys.argv[1]), sys.argv[2]
    import django

    django.setup()
    from accounts.models import User
    from cohorts.models import CohortExport
    from cohorts.services import export_generate

    staff = User.objects.get(email="staff@bench.example")
    before = peak_rss_kib()
    export = CohortExport.objects.create(cohort_id=cohort_id, created_by=staff, format=fmt, language="fr")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        export = export_generate(export_id=export.pk, language="fr")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert export.status == "done", export.error
    peak = peak_rss_kib()
    print(json.dumps({"ms": round(elapsed * 1000, 1), "cpu_ms": round(cpu * 1000, 1), "rows": export.rows_total, "bytes": export.file_size,
                      "peak_rss_mib": round(peak / 1024, 1), "rss_growth_mib": round((peak - before) / 1024, 1),
                      "queries": len(queries)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
