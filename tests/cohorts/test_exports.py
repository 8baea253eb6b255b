"""Exports: CSV and XLSX rows, formula escaping, progress, retention and purge, download checks."""
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cohorts.models import CohortExport
from cohorts.services import cell_escape, export_file_path, export_generate, export_request, exports_dir, exports_purge

from .factories import member, seeded_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def run_export(cohort, staff, fmt, django_capture_on_commit_callbacks) -> CohortExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(cohort=cohort, requested_by=staff, format=fmt, language="en")
    export.refresh_from_db()
    return export


def read_csv(export) -> list[dict]:
    text = export_file_path(export).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+33 6 12", "'+33 6 12"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Léa", "Léa"), ("王芳", "王芳"), (-5, -5), (None, None),
])
def test_cells_that_a_spreadsheet_would_run_are_escaped(value, expected):
    assert cell_escape(value) == expected


def test_csv_export_has_one_row_per_learner_and_module(staff, module_a, module_b, django_capture_on_commit_callbacks, var_dir):
    cohort, people = seeded_cohort(staff, module_a, module_b)
    export = run_export(cohort, staff, "csv", django_capture_on_commit_callbacks)
    assert (export.status, export.progress, export.rows_total, export.rows_done) == ("done", 100, 12, 12)
    assert export.expires_at - export.finished_at == timedelta(days=7)
    assert export_file_path(export).parent.parent == (var_dir / "exports").resolve()
    rows = read_csv(export)
    assert len(rows) == 12
    d_rows = [r for r in rows if r["Learner"] == "Learner D"]
    assert [(r["Module code"], r["Status"], r["Progress (%)"], r["Best quiz score (%)"], r["Quiz passed"]) for r in d_rows] == [
        ("money-basics", "Completed", "100", "100", "Yes"), ("volunteers", "In progress", "50", "", "No")]
    assert d_rows[0]["Certificate"] and not d_rows[1]["Certificate"]
    assert "Learner F" not in {r["Learner"] for r in rows}


def test_xlsx_export_streams_a_workbook_with_escaped_text(staff, cohort, django_capture_on_commit_callbacks):
    member(cohort, display_name="=cmd|' /C calc'!A0", email="evil@example.org")
    member(cohort, display_name="王芳", email="wang@example.cn")
    export = run_export(cohort, staff, "xlsx", django_capture_on_commit_callbacks)
    assert export.status == "done"
    sheet = load_workbook(export_file_path(export), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Learner" and len(values) == 1 + 2 * 2
    names = {row[0] for row in values[1:]}
    assert names == {"'=cmd|' /C calc'!A0", "王芳"}
    cells = [cell for row in load_workbook(export_file_path(export)).active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


def test_csv_export_escapes_too(staff, cohort, django_capture_on_commit_callbacks):
    member(cohort, display_name="@SUM(1+1)*cmd", email="at@example.org")
    rows = read_csv(run_export(cohort, staff, "csv", django_capture_on_commit_callbacks))
    assert rows[0]["Learner"] == "'@SUM(1+1)*cmd"


def test_a_finished_export_is_not_written_twice(staff, cohort, django_capture_on_commit_callbacks):
    export = run_export(cohort, staff, "csv", django_capture_on_commit_callbacks)
    path = export_file_path(export)
    assert export_generate(export_id=export.pk, language="en") is None
    assert export_file_path(CohortExport.objects.get(pk=export.pk)) == path


def test_a_failing_export_is_marked_failed_and_leaves_no_file(staff, cohort, monkeypatch, var_dir):
    export = CohortExport.objects.create(cohort=cohort, created_by=staff, format="csv", language="en")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("cohorts.services.exports._write_csv", broken)
    export_generate(export_id=export.pk, language="en")
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error == ("The file could not be written on the server (disk full). Tell the site's administrator, "
                            "then start a new export.")
    assert list((var_dir / "exports").rglob("*.csv*")) == []


def test_expired_files_are_deleted_by_the_periodic_task(staff, cohort, django_capture_on_commit_callbacks, settings):
    settings.ESSOR_EXPORT_RETENTION_DAYS = 2
    export = run_export(cohort, staff, "csv", django_capture_on_commit_callbacks)
    path = export_file_path(export)
    assert exports_purge(now=timezone.now() + timedelta(days=1)) == 0 and path.exists()
    from cohorts.tasks import cohort_exports_purge_task

    CohortExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert export_file_path(CohortExport.objects.get(pk=export.pk)) is None  # no download once expired
    assert cohort_exports_purge_task.apply().get() == 1
    export.refresh_from_db()
    assert export.status == "expired" and not path.exists() and export.file_path == ""


def test_a_path_outside_the_exports_folder_is_never_served(staff, cohort, var_dir):
    secret = var_dir / "secret.txt"
    secret.write_text("x")
    export = CohortExport.objects.create(cohort=cohort, format="csv", status="done", file_path="../secret.txt",
                                         expires_at=timezone.now() + timedelta(days=1))
    exports_dir()
    assert export_file_path(export) is None


def test_progress_is_reported_while_writing(staff, module_a, module_b, monkeypatch, django_capture_on_commit_callbacks):
    from cohorts.services import exports as module

    cohort, _people = seeded_cohort(staff, module_a, module_b)
    seen = []
    original = module._Progress.tick

    def spy(self, lines=1):
        original(self, lines)
        seen.append(CohortExport.objects.values_list("progress", flat=True).get(pk=self.export_id))

    monkeypatch.setattr(module._Progress, "tick", spy)
    monkeypatch.setattr(module, "PROGRESS_STEPS", 4)
    run_export(cohort, staff, "csv", django_capture_on_commit_callbacks)
    assert 0 < max(seen) < 100 and seen == sorted(seen)


def test_an_export_stuck_running_is_resumed_then_failed_with_a_reason(staff, cohort, django_capture_on_commit_callbacks):
    """The worker died: the export stayed "running" for ever (issue 11). Beat's recovery resumes it, at
    most EXPORT_MAX_ATTEMPTS runs, then fails it with a reason the page shows."""
    from cohorts.services import exports_recover
    from core.models import OutboxMessage

    export = CohortExport.objects.create(cohort=cohort, created_by=staff, format="csv", status="running", attempts=1,
                                         language="en", heartbeat_at=timezone.now() - timedelta(hours=1))
    assert exports_recover() == {"resumed": 1, "failed": 0}
    assert OutboxMessage.objects.filter(key=f"cohort-export:{export.pk}:run:2").exists()
    assert CohortExport.objects.get(pk=export.pk).status == "pending"
    CohortExport.objects.filter(pk=export.pk).update(status="running", attempts=3, heartbeat_at=timezone.now() - timedelta(hours=1))
    assert exports_recover() == {"resumed": 0, "failed": 1}
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error == "The export was interrupted (its runs stopped, 3 times). Start a new export."
    fresh = CohortExport.objects.create(cohort=cohort, format="csv", status="running", attempts=1, heartbeat_at=timezone.now())
    assert exports_recover() == {"resumed": 0, "failed": 0}  # alive: left alone
    assert CohortExport.objects.get(pk=fresh.pk).status == "running"


def test_a_run_that_lost_its_export_to_another_run_leaves_no_file(staff, cohort, monkeypatch, var_dir):
    from cohorts.services import exports as module

    export = CohortExport.objects.create(cohort=cohort, created_by=staff, format="csv")
    write = module._write_csv

    def taken_over(*args):
        write(*args)
        CohortExport.objects.filter(pk=export.pk).update(run_token="another-run")  # it was silent, another run took it

    monkeypatch.setattr(module, "_write_csv", taken_over)
    export_generate(export_id=export.pk, language="en")
    export.refresh_from_db()
    assert export.status == "running" and export.file_path == ""
    assert list((var_dir / "exports").rglob("*.csv*")) == []


def test_the_export_page_shows_why_it_failed(client_as, staff, cohort):
    export = CohortExport.objects.create(cohort=cohort, created_by=staff, format="csv", status="failed",
                                         error="The file could not be written on the server (Permission denied).")
    html = client_as(staff).get(f"/cohorts/{cohort.pk}/exports/{export.pk}/").content.decode()
    assert "The file could not be written on the server (Permission denied)." in html


DATE_COLUMNS = ("Enrolled on", "Last activity", "Completed on", "Certificate issued on")


def _cell_dates(learner, module):
    from learners.models import Certificate, Enrollment

    enrollment = Enrollment.objects.get(user=learner, module=module)
    certificate = Certificate.objects.filter(user=learner, module=module).first()
    return (enrollment.enrolled_at, enrollment.last_activity_at, enrollment.completed_at,
            certificate.issued_at if certificate else None)


def test_dates_are_written_in_the_local_time_zone_to_the_second(staff, module_a, module_b, django_capture_on_commit_callbacks):
    """The export reads dates as whole seconds (cohort_export_iter): what it writes is the stored time in
    the site's zone, truncated to the second, winter and summer alike, in the CSV and in the XLSX."""
    from learners.models import Enrollment

    cohort, people = seeded_cohort(staff, module_a, module_b)
    learner = people["E"]
    Enrollment.objects.filter(user=learner, module=module_a).update(
        enrolled_at=datetime(2026, 1, 15, 23, 59, 59, 999999, tzinfo=UTC))  # winter: +01:00
    Enrollment.objects.filter(user=learner, module=module_b).update(
        enrolled_at=datetime(2026, 7, 1, 22, 30, 5, 400000, tzinfo=UTC))  # summer: +02:00
    expected = {module.slug: _cell_dates(learner, module) for module in (module_a, module_b)}
    joined = cohort.memberships.get(user=learner).joined_at

    def local(value):
        return timezone.localtime(value).replace(microsecond=0) if value else None

    rows = [r for r in read_csv(run_export(cohort, staff, "csv", django_capture_on_commit_callbacks)) if r["Learner"] == "Learner E"]
    assert {r["Module code"]: tuple(r[c] for c in DATE_COLUMNS) for r in rows} == {
        slug: tuple(local(v).isoformat() if v else "" for v in values) for slug, values in expected.items()}
    assert {r["Joined on"] for r in rows} == {local(joined).isoformat()}
    assert {r["Enrolled on"] for r in rows} == {"2026-01-16T00:59:59+01:00", "2026-07-02T00:30:05+02:00"}

    sheet = load_workbook(export_file_path(run_export(cohort, staff, "xlsx", django_capture_on_commit_callbacks))).active
    header = [c.value for c in sheet[1]]
    lines = [dict(zip(header, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=2)]
    lines = [line for line in lines if line["Learner"] == "Learner E"]
    assert {line["Module code"]: tuple(line.get(c) for c in DATE_COLUMNS) for line in lines} == {
        slug: tuple(local(v).replace(tzinfo=None) if v else None for v in values) for slug, values in expected.items()}
    assert {line["Joined on"] for line in lines} == {local(joined).replace(tzinfo=None)}


def test_the_export_reads_the_cohort_in_the_same_queries_whatever_its_size(staff, cohort, monkeypatch,
                                                                        django_assert_num_queries):
    """One query reads the whole matrix (streamed): 3 or 30 learners, the same count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cohorts.services import exports as module

    monkeypatch.setattr(module, "PROGRESS_STEPS", 1)  # no progress update (they are at most PROGRESS_STEPS anyway)
    counts = []
    for size in (3, 30):
        while cohort.memberships.count() < size:
            member(cohort)
        export = CohortExport.objects.create(cohort=cohort, created_by=staff, format="csv", language="en")
        with CaptureQueriesContext(connection) as queries:
            export_generate(export_id=export.pk, language="en")
        assert CohortExport.objects.get(pk=export.pk).rows_done == size * 2
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_export_reader_lists_every_learner_even_with_no_module_given(staff, cohort):
    from cohorts.selectors import cohort_export_iter

    learners = {member(cohort).pk for _ in range(2)}
    assert {(row.user_id, len(row.cells)) for row in cohort_export_iter(cohort=cohort, modules=[])} == {(pk, 0) for pk in learners}


def test_the_csv_is_byte_for_byte_what_the_csv_module_writes_of_the_export_rows(staff, module_a, module_b,
                                                                                 django_capture_on_commit_callbacks):
    """The CSV writer encodes what repeats once (a learner's cells, module titles, status words); the file must
    still be exactly csv.writer over `export_rows`: quotes, commas, line breaks, formulas, Chinese, empty cells."""
    from cohorts.selectors.dashboard import cohort_export_iter, cohort_module_columns
    from cohorts.services import export_headers, export_rows

    cohort, _people = seeded_cohort(staff, module_a, module_b)
    for n, name in enumerate(['Dupont, "Léa"', "line\nbreak\r\nname", "=SUM(A1)", "王芳，阳光社区", " space ", ""]):
        member(cohort, display_name=name, email=f"tricky{n}@example.org")
    export = run_export(cohort, staff, "csv", django_capture_on_commit_callbacks)
    modules = cohort_module_columns(cohort_id=cohort.pk, language="en")
    expected = io.StringIO()
    writer = csv.writer(expected)
    writer.writerow([cell_escape(h) for h in export_headers()])
    for values in export_rows(modules, cohort_export_iter(cohort=cohort, modules=modules)):
        writer.writerow(values)
    written = export_file_path(export).read_bytes()
    assert written == ("\ufeff" + expected.getvalue()).encode()
    assert b'"Dupont, ""L\xc3\xa9a"""' in written and b'"line\nbreak\r\nname"' in written
