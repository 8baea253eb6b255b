"""Exports of a cohort for funders: one row per learner × module, written to disk by a Celery task
that reports its progress, kept for ESSOR_EXPORT_RETENTION_DAYS, then deleted by a periodic task."""
from __future__ import annotations

import csv
import io
import logging
import re
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.audit import record

from ..models import Cohort, CohortExport
from ..selectors.dashboard import STATUS_LABELS, LearnerRow, ModuleColumn, cohort_export_iter, cohort_module_columns
from .stats import cohort_stats_get

logger = logging.getLogger(__name__)

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_STEPS = 50
# A run is taken over (resumed) when it interrupted, at most this many runs in all; then it is failed.
EXPORT_MAX_ATTEMPTS = 3


def _stale_after() -> timedelta:
    return timedelta(seconds=settings.ESSOR_EXPORT_STALE_SECONDS)


def exports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cell_escape(value):
    """Neutralise a text cell a spreadsheet would read as a formula (numbers and dates are kept as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_request(*, cohort: Cohort, requested_by: User, format: str, language: str) -> CohortExport:
    """Record an export and, in the same transaction, the task that writes it (core.outbox)."""
    from core.outbox import outbox_enqueue

    from ..tasks import cohort_export_run_task

    if format not in CohortExport.Format.values:
        raise ValidationError({"format": _("Choose CSV or XLSX for the export.")})
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        export = CohortExport.objects.create(cohort=cohort, created_by=requested_by, format=format, language=language)
        record(requested_by, "export-requested", export, cohort=cohort.pk, format=format)
        outbox_enqueue(cohort_export_run_task, args=[export.pk, language], key=f"cohort-export:{export.pk}:run:1")
    return export


def export_downloaded(*, export: CohortExport, by: User) -> None:
    """Every download of an export file is in the audit log (web and API)."""
    record(by, "export-downloaded", export, cohort=export.cohort_id, format=export.format)


def export_headers() -> list[str]:
    return [
        _("Learner"), _("Email address"), _("Association"), _("Country"), _("Joined on"), _("Module"), _("Module code"),
        _("Status"), _("Progress (%)"), _("Lessons done"), _("Lessons in the module"), _("Enrolled on"), _("Last activity"),
        _("Completed on"), _("Best quiz score (%)"), _("Quiz passed"), _("Certificate"), _("Certificate issued on"),
    ]


def _local_converter(*, spreadsheet: bool):
    """A function that writes a timestamp in the site's time zone, to the second: ISO 8601 with its offset
    for a CSV, a local date and time for a spreadsheet (which cannot store a time zone). The zone is read
    once; dates that `cohort_export_iter` already gave in that zone, to the second, are only formatted."""
    zone = timezone.get_current_timezone()

    def convert(value: datetime | None):
        if value is None:
            return None if spreadsheet else ""
        if value.tzinfo is not zone:
            value = value.astimezone(zone)
        if value.microsecond:
            value = value.replace(microsecond=0)
        return value.replace(tzinfo=None) if spreadsheet else value.isoformat()

    return convert


def export_rows(modules: list[ModuleColumn], rows: Iterator[LearnerRow], *, spreadsheet: bool = False) -> Iterator[list]:
    """The export's rows from the dashboard's own numbers and rules (so the two always agree),
    one learner at a time: the rows are streamed from the database, never held whole."""
    yes, no = _("Yes"), _("No")
    empty = None if spreadsheet else ""
    local = _local_converter(spreadsheet=spreadsheet)
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    texts = [(cell_escape(m.title), cell_escape(m.slug)) for m in modules]
    for row in rows:
        # Text typed by people is escaped once per learner; numbers, dates and our own words cannot start a formula.
        person = [cell_escape(row.name), cell_escape(row.email), cell_escape(row.association), cell_escape(row.country),
                  local(row.joined_at)]
        for (title, slug), cell in zip(texts, row.cells, strict=True):
            yield [
                *person, title, slug, labels[cell.status], cell.percent, cell.lessons_done, cell.lessons_total,
                local(cell.enrolled_at), local(cell.last_activity_at), local(cell.completed_at),
                cell.quiz_best_score if cell.quiz_best_score is not None else empty,
                yes if cell.quiz_passed else no, cell.certificate_code or "", local(cell.certificate_issued_at),
            ]


class _Progress:
    """Writes the export's progress (and the run's heartbeat) to its row every ~2 % (a handful of small UPDATEs)."""

    def __init__(self, export_id: int, total: int, token: str = ""):
        self.export_id, self.total, self.done, self.token = export_id, total, 0, token
        self.step = max(1, total // PROGRESS_STEPS)

    def tick(self, lines: int = 1) -> None:
        before, self.done = self.done, self.done + lines
        if self.done // self.step != before // self.step and self.done < self.total:
            CohortExport.objects.filter(pk=self.export_id, run_token=self.token).update(
                rows_done=self.done, progress=min(99, 100 * self.done // self.total), heartbeat_at=timezone.now())


def _csv_fields(values: list) -> str:
    """Fields encoded as `csv.writer` (QUOTE_MINIMAL) writes them, joined by commas, without the line's end."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)   # the default dialect: fields holding a line break are quoted
    return buffer.getvalue().removesuffix("\r\n")


def _write_csv(path: Path, modules: list[ModuleColumn], rows: Iterator[LearnerRow], progress: _Progress) -> None:
    """The rows of `export_rows`, byte for byte as `csv.writer` writes them, but encoded once where they repeat:
    a learner's own cells (on each of their modules' lines), each module's title, the status words. What is left
    per line is numbers, dates in ISO 8601 and certificate codes, which never need quotes (checked: a code
    that did would go through the csv module). Half of the CSV's time was `writerow` on 18 fields a line."""
    local = _local_converter(spreadsheet=False)
    texts = [_csv_fields([cell_escape(m.title), cell_escape(m.slug)]) for m in modules]
    labels = {key: _csv_fields([str(label)]) for key, label in STATUS_LABELS.items()}
    yes, no = _csv_fields([_("Yes")]), _csv_fields([_("No")])
    needs_quotes = re.compile(r'[,"\r\n]').search
    # A byte order mark first (what utf-8-sig writes): Excel (French or Chinese) then opens the accents and the hanzi
    # correctly. Then plain UTF-8, whose encoder is C (utf-8-sig's is Python, called on every write), a learner's
    # lines at a time.
    with path.open("w", encoding="utf-8", newline="") as handle:
        write = handle.write
        write("\ufeff" + _csv_fields([cell_escape(h) for h in export_headers()]) + "\r\n")
        tick = progress.tick
        for row in rows:
            person = _csv_fields([cell_escape(row.name), cell_escape(row.email), cell_escape(row.association),
                                  cell_escape(row.country), local(row.joined_at)])
            lines = []
            for text, cell in zip(texts, row.cells, strict=True):
                code = cell.certificate_code or ""
                if needs_quotes(code):
                    code = _csv_fields([code])
                best = cell.quiz_best_score
                lines.append(f"{person},{text},{labels[cell.status]},{cell.percent},{cell.lessons_done},{cell.lessons_total},"
                             f"{local(cell.enrolled_at)},{local(cell.last_activity_at)},{local(cell.completed_at)},"
                             f"{'' if best is None else best},{yes if cell.quiz_passed else no},{code},"
                             f"{local(cell.certificate_issued_at)}\r\n")
            write("".join(lines))
            tick(len(lines))


XLSX_WIDTHS = (26, 30, 30, 8, 20, 34, 22, 14, 10, 10, 10, 20, 20, 20, 12, 10, 20, 20)


def _write_xlsx(path: Path, modules: list[ModuleColumn], rows: Iterator[LearnerRow], progress: _Progress, title: str) -> None:
    """The same rows as the CSV through the streaming writer of cohorts/services/xlsx.py. What repeats is
    rendered once: a learner's cells on each of their modules, each module's title, the status words."""
    from .xlsx import SheetWriter

    local = _local_converter(spreadsheet=True)
    with SheetWriter(path, title=title or "Cohort", widths=XLSX_WIDTHS) as sheet:
        sheet.header([cell_escape(h) for h in export_headers()])
        cells = sheet.cells
        texts = [cells([cell_escape(m.title), cell_escape(m.slug)], start=5) for m in modules]
        labels = {key: cells([str(label)], start=7) for key, label in STATUS_LABELS.items()}
        yes, no = cells([_("Yes")], start=15), cells([_("No")], start=15)
        tick = progress.tick
        for row in rows:
            person = cells([cell_escape(row.name), cell_escape(row.email), cell_escape(row.association),
                            cell_escape(row.country), local(row.joined_at)])
            lines = []
            for text, cell in zip(texts, row.cells, strict=True):
                lines.append(person + text + labels[cell.status] + cells(
                    [cell.percent, cell.lessons_done, cell.lessons_total, local(cell.enrolled_at),
                     local(cell.last_activity_at), local(cell.completed_at), cell.quiz_best_score], start=8)
                    + (yes if cell.quiz_passed else no)
                    + cells([cell.certificate_code or None, local(cell.certificate_issued_at)], start=16))
            sheet.rows_xml(lines)
            tick(len(lines))


def _claim(export_id: int, token: str, now: datetime) -> bool:
    """Take the export for this run: a waiting one, or one whose run went silent (its worker died)."""
    fields = {"status": CohortExport.Status.RUNNING, "heartbeat_at": now, "run_token": token, "attempts": F("attempts") + 1,
              "progress": 0, "rows_done": 0, "error": ""}
    pending = CohortExport.objects.filter(pk=export_id, status=CohortExport.Status.PENDING)
    if pending.update(started_at=now, **fields):
        return True
    return bool(CohortExport.objects.filter(pk=export_id, status=CohortExport.Status.RUNNING,
                                            heartbeat_at__lt=now - _stale_after()).update(**fields))


def _failure_reason(error: Exception) -> str:
    """What the page shows (in the export's language): a sentence, not a stack trace."""
    if isinstance(error, OSError):
        return _("The file could not be written on the server (%(reason)s). Tell the site's administrator, "
                 "then start a new export.") % {"reason": error.strerror or str(error) or error.__class__.__name__}
    return _("The export stopped on an unexpected error. Start a new export; if it fails again, tell the site's administrator.")


def export_generate(*, export_id: int, language: str) -> CohortExport | None:
    """Write the export file, exactly once. Idempotent: a second run of a finished export does nothing;
    a run whose worker died (silent for ESSOR_EXPORT_STALE_SECONDS) is taken over, and only the run
    that holds the export's token may finish it, so a slow run that lost it removes its own file."""
    now = timezone.now()
    token = secrets.token_hex(8)
    if not _claim(export_id, token, now):
        return None
    export = CohortExport.objects.select_related("cohort").get(pk=export_id)
    mine = CohortExport.objects.filter(pk=export.pk, run_token=token)
    if export.attempts > EXPORT_MAX_ATTEMPTS:
        with translation.override(export.language):
            mine.update(status=CohortExport.Status.FAILED, finished_at=now, error=_export_interrupted_reason(export.attempts - 1))
        export.refresh_from_db()
        return export
    final = partial = None
    try:
        # Inside the try: an unwritable exports folder is recorded as a failure like any other.
        directory = exports_dir() / str(export.cohort_id)
        directory.mkdir(parents=True, exist_ok=True)
        for left in directory.glob(f"{export.pk}-*.part"):
            left.unlink(missing_ok=True)  # half a file of a run that died: this run owns the export now
        final = directory / f"{export.pk}-{secrets.token_hex(8)}.{export.format}"
        partial = final.with_name(final.name + ".part")
        with translation.override(language):
            modules = cohort_module_columns(cohort_id=export.cohort_id, language=language)
            total = cohort_stats_get(cohort=export.cohort).learners * len(modules)
            mine.update(rows_total=total, heartbeat_at=timezone.now())
            progress = _Progress(export.pk, total, token)
            rows = cohort_export_iter(cohort=export.cohort, modules=modules)
            if export.format == CohortExport.Format.XLSX:
                _write_xlsx(partial, modules, rows, progress, export.cohort.name)
            else:
                _write_csv(partial, modules, rows, progress)
            total = progress.done
        partial.replace(final)
        finished = timezone.now()
        if not mine.update(status=CohortExport.Status.DONE, progress=100, rows_done=total,
                           file_path=str(final.relative_to(exports_dir())), file_size=final.stat().st_size, finished_at=finished,
                           heartbeat_at=finished, expires_at=finished + timedelta(days=settings.ESSOR_EXPORT_RETENTION_DAYS)):
            final.unlink(missing_ok=True)  # another run took over while this one was silent: its file counts
    except Exception as error:
        logger.exception("Export %s failed", export_id)
        if partial is not None:
            partial.unlink(missing_ok=True)
        if final is not None and not mine.filter(status=CohortExport.Status.DONE).exists():
            final.unlink(missing_ok=True)  # this run's own file (a random name), never recorded
        with translation.override(export.language):
            mine.exclude(status=CohortExport.Status.DONE).update(status=CohortExport.Status.FAILED, error=_failure_reason(error)[:300],
                                                                 finished_at=timezone.now())
    export.refresh_from_db()
    return export


def _export_interrupted_reason(runs: int) -> str:
    return ngettext("The export was interrupted (its run stopped, %(count)d time). Start a new export.",
                    "The export was interrupted (its runs stopped, %(count)d times). Start a new export.", runs) % {"count": runs}


def exports_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic: exports stuck "running" (their worker died) are resumed by a new run, or failed with a
    reason once EXPORT_MAX_ATTEMPTS runs were interrupted. Returns {"resumed": n, "failed": n}."""
    from core.outbox import outbox_enqueue

    from ..tasks import cohort_export_run_task

    now = now or timezone.now()
    counts = {"resumed": 0, "failed": 0}
    stuck = CohortExport.objects.filter(status=CohortExport.Status.RUNNING, heartbeat_at__lt=now - _stale_after())
    for export_id, attempts, language, heartbeat in stuck.values_list("pk", "attempts", "language", "heartbeat_at"):
        same = CohortExport.objects.filter(pk=export_id, status=CohortExport.Status.RUNNING, heartbeat_at=heartbeat)
        with transaction.atomic():
            if attempts >= EXPORT_MAX_ATTEMPTS:
                with translation.override(language):
                    counts["failed"] += same.update(status=CohortExport.Status.FAILED, finished_at=now,
                                                    error=_export_interrupted_reason(attempts))
            elif same.update(status=CohortExport.Status.PENDING, run_token=""):
                counts["resumed"] += 1
                outbox_enqueue(cohort_export_run_task, args=[export_id, language], key=f"cohort-export:{export_id}:run:{attempts + 1}")
    return counts


def export_file_path(export: CohortExport) -> Path | None:
    """The file of a finished, unexpired export — never a path outside the exports folder."""
    if export.status != CohortExport.Status.DONE or not export.file_path:
        return None
    if export.expires_at is not None and export.expires_at <= timezone.now():
        return None
    root = exports_dir().resolve()
    path = (root / export.file_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def export_filename(export: CohortExport) -> str:
    from django.utils.text import slugify

    day = timezone.localtime(export.finished_at or export.created_at).date().isoformat()
    return f"{slugify(export.cohort.name) or 'cohort'}-{day}.{export.format}"


def exports_purge(*, now: datetime | None = None) -> int:
    """Delete the files of expired exports (and of failed ones left behind). Returns how many."""
    now = now or timezone.now()
    count = 0
    root = exports_dir()
    expired = CohortExport.objects.filter(status=CohortExport.Status.DONE, expires_at__lte=now)
    for export_id, file_path in expired.values_list("pk", "file_path"):
        if file_path:
            (root / file_path).unlink(missing_ok=True)
        with transaction.atomic():
            count += CohortExport.objects.filter(pk=export_id, status=CohortExport.Status.DONE).update(
                status=CohortExport.Status.EXPIRED, file_path="", file_size=0)
    # Half-written files of exports that failed or died long ago.
    cutoff = (now - timedelta(days=1)).timestamp()
    for partial in root.glob("*/*.part"):
        if partial.stat().st_mtime < cutoff:
            partial.unlink(missing_ok=True)
    return count
