"""The cohort dashboard: header figures and the learner × module matrix, from stored aggregates.

The header figures come from the cohort's stored sums (CohortStats, CohortModuleStats and the
CohortActivityDay histogram, cohorts/services/stats.py): a few queries whose cost does not grow with
the cohort. The matrix is filtered, sorted and paginated in SQL on the members' stored figures, and
only the page's learners are read (enrolments and certificates of 50 learners). The full matrix is
read in chunks, for the export and the reminders only. The HTML page, the API and the export all
read these functions, so they show the same numbers.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter

from django.conf import settings
from django.db import router
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courses.models import ModuleTranslation
from learners.models import Certificate, Enrollment
from learners.progress import progress_percent

from ..models import Cohort, CohortActivityDay, CohortMembership, CohortModule, CohortModuleStats

STATE_NOT_STARTED, STATE_OPEN, STATE_COMPLETED = CohortMembership.State.values  # the members' stored states

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
STALLED = "stalled"
COMPLETED = "completed"
STATUSES = (NOT_STARTED, IN_PROGRESS, STALLED, COMPLETED)
STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    STALLED: _("Stalled"),
    COMPLETED: _("Completed"),
}
ACTIVE_DAYS = 7

SORTS = ("name", "association", "joined", "activity", "percent", "status")
STATUS_ORDER = {NOT_STARTED: 0, STALLED: 1, IN_PROGRESS: 2, COMPLETED: 3}


@dataclass(slots=True)
class ModuleColumn:
    id: int
    slug: str
    title: str
    position: int
    target_date: date | None
    lessons_total: int
    started: int = 0  # stored: members who started it
    completed: int = 0  # stored: members who completed it


@dataclass(slots=True)
class Cell:
    module_id: int
    status: str
    percent: int = 0
    lessons_done: int = 0
    lessons_total: int = 0
    enrolled: bool = False
    enrolled_at: datetime | None = None
    last_activity_at: datetime | None = None
    completed_at: datetime | None = None
    quiz_best_score: int | None = None
    quiz_passed: bool = False
    certificate_code: str = ""
    certificate_issued_at: datetime | None = None


@dataclass(slots=True)
class LearnerRow:
    user_id: int
    name: str
    email: str
    association: str
    country: str
    language: str
    reminders_enabled: bool
    joined_at: datetime
    last_activity_at: datetime | None
    percent: int
    status: str
    cells: list[Cell]
    last_active_on: date | None = None


@dataclass(slots=True)
class DiagnosticSummary:
    learners: int  # learners with a score at joining
    average_at_joining: int | None
    average_now: int | None
    retaken: int  # learners with a newer self-diagnostic than the one at joining


@dataclass(slots=True)
class Summary:
    learners: int = 0
    active_recently: int = 0
    started: int = 0
    not_started: int = 0
    in_progress: int = 0
    stalled: int = 0
    completed_all: int = 0
    certificates: int = 0
    completed_by_module: dict[int, int] = field(default_factory=dict)
    status_by_module: dict[int, dict[str, int]] = field(default_factory=dict)
    diagnostic: DiagnosticSummary | None = None
    coaching: dict | None = None


@dataclass(slots=True)
class CohortDashboard:
    cohort_id: int
    stalled_after_days: int
    generated_at: datetime
    modules: list[ModuleColumn]
    rows: list[LearnerRow]
    summary: Summary


@dataclass(slots=True)
class MatrixPage:
    rows: list[LearnerRow]
    count: int  # learners matching the filters
    number: int  # this page (1-based)
    pages: int
    page_size: int

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.count, self.number * self.page_size)

    # The parts of Django's Page that the template reads.
    @property
    def object_list(self) -> list[LearnerRow]:
        return self.rows

    @property
    def paginator(self) -> MatrixPage:
        return self

    @property
    def num_pages(self) -> int:
        return self.pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def title_pick(titles: dict[str, str], language: str, source_language: str, fallback: str) -> str:
    for candidate in (language, source_language, settings.LANGUAGE_CODE, *settings.CONTENT_LANGUAGES):
        if candidate in titles:
            return titles[candidate]
    return fallback


def cohort_module_columns(*, cohort_id: int, language: str | None = None) -> list[ModuleColumn]:
    """The cohort's modules in order, titled in `language`, with their stored counts (two queries)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    stats = CohortModuleStats.objects.filter(cohort_id=OuterRef("cohort_id"), module_id=OuterRef("module_id"))
    rows = list(
        CohortModule.objects.filter(cohort_id=cohort_id)
        .annotate(lessons=Count("module__lessons", filter=Q(module__lessons__is_archived=False)),
                  s_started=Subquery(stats.values("started")[:1]), s_completed=Subquery(stats.values("completed")[:1]))
        .order_by("position", "id")
        .values_list("module_id", "module__slug", "module__source_language", "position", "target_date", "lessons",
                     "s_started", "s_completed")
    )
    titles: dict[int, dict[str, str]] = defaultdict(dict)
    for module_id, lang, title in ModuleTranslation.objects.filter(module_id__in=[r[0] for r in rows]).values_list(
            "module_id", "language", "title"):
        titles[module_id][lang] = title
    return [
        ModuleColumn(id=module_id, slug=slug, title=title_pick(titles[module_id], language, source, slug), position=position,
                     target_date=target, lessons_total=lessons, started=started or 0, completed=completed or 0)
        for module_id, slug, source, position, target, lessons, started, completed in rows
    ]


def coaching_summary(*, cohort_ids: list[int]) -> dict | None:
    """Coaching figures per cohort, from the selector named by settings.ESSOR_COHORT_COACHING_SUMMARY
    (the coaching app's `cohort_coaching_summary`, returning {cohort_id: {"requested", "matched",
    "completed", "hours_given", "satisfaction", "diagnostic_change", ...}}); None when none is set.

    Named in settings rather than imported: coaching builds on cohorts, never the other way round."""
    dotted = getattr(settings, "ESSOR_COHORT_COACHING_SUMMARY", "")
    if not dotted:
        return None
    return import_string(dotted)(cohort_ids=cohort_ids)


@dataclass(slots=True)
class Days:
    """The days that decide time-dependent statuses, in the site's time zone. A started, unfinished
    learner is stalled when their latest activity is `stalled_after_days` days old or more (on or
    before `stalled_on`); active recently when it is within the last 7 days (on or after `active_from`)."""

    today: date
    stalled_on: date
    active_from: date

    @classmethod
    def of(cls, cohort: Cohort, now: datetime) -> Days:
        today = timezone.localdate(now)
        return cls(today, today - timedelta(days=cohort.stalled_after_days), today - timedelta(days=ACTIVE_DAYS - 1))


def cohort_summary(*, cohort: Cohort, modules: list[ModuleColumn], now: datetime | None = None,
                   with_coaching: bool = True) -> Summary:
    """The header figures and the per-module statuses: stored sums, three queries (plus coaching's)."""
    from ..services.stats import cohort_stats_get  # services import the selectors

    days = Days.of(cohort, now or timezone.now())
    stats = cohort_stats_get(cohort=cohort)
    if stats.rebuilt_now:  # the modules' counts were read before the rebuild
        counts = {m: (a, b) for m, a, b in CohortModuleStats.objects.filter(cohort=cohort).values_list(
            "module_id", "started", "completed")}
        for m in modules:
            m.started, m.completed = counts.get(m.id, (0, 0))
    by_day = {module_id: (stalled or 0, active or 0) for module_id, stalled, active in CohortActivityDay.objects.filter(
        cohort=cohort).values("module_id").annotate(
        stalled=Sum("open", filter=Q(day__lte=days.stalled_on)), active=Sum("learners", filter=Q(day__gte=days.active_from))
    ).values_list("module_id", "stalled", "active")}
    stalled, active = by_day.get(0, (0, 0))
    summary = Summary(
        learners=stats.learners, active_recently=active, started=stats.started, completed_all=stats.completed_all,
        certificates=stats.certificates, stalled=stalled, not_started=stats.learners - stats.started,
        in_progress=stats.started - stats.completed_all - stalled,
    )
    for m in modules:
        module_stalled = by_day.get(m.id, (0, 0))[0]
        summary.completed_by_module[m.id] = m.completed
        summary.status_by_module[m.id] = {
            NOT_STARTED: stats.learners - m.started, IN_PROGRESS: m.started - m.completed - module_stalled,
            STALLED: module_stalled, COMPLETED: m.completed,
        }
    if stats.diagnostic_learners:
        n = stats.diagnostic_learners
        summary.diagnostic = DiagnosticSummary(learners=n, average_at_joining=round(stats.diagnostic_sum_baseline / n),
                                               average_now=round(stats.diagnostic_sum_latest / n), retaken=stats.diagnostic_retaken)
    if with_coaching:
        coaching = coaching_summary(cohort_ids=[cohort.pk])
        summary.coaching = coaching.get(cohort.pk) if isinstance(coaching, dict) else None
    return summary


MEMBER_COLUMNS = ("user_id", "joined_at", "user__display_name", "user__email", "user__association__name",
                  "user__association__country", "user__preferred_language", "user__reminders_enabled", "state", "last_active_on",
                  "percent_sum")


def _learner_status(state: int, last_active_on: date | None, days: Days) -> str:
    if state == STATE_COMPLETED:
        return COMPLETED
    if state == STATE_NOT_STARTED:
        return NOT_STARTED
    return STALLED if last_active_on is None or last_active_on <= days.stalled_on else IN_PROGRESS


def _cell_status(completed_at, activity, lessons_done: int, attempts: int, busy: str) -> str:
    """A module's status for a learner; `busy` is the learner's IN_PROGRESS or STALLED (their inactivity)."""
    if completed_at is not None:
        return COMPLETED
    return busy if activity is not None or lessons_done > 0 or attempts > 0 else NOT_STARTED


def _busy(last_active_on: date | None, days: Days) -> str:
    """The learner's inactivity decides whether their started, unfinished modules are stalled."""
    return STALLED if last_active_on is None or last_active_on <= days.stalled_on else IN_PROGRESS


def _rows(members: list[tuple], modules: list[ModuleColumn], days: Days, *, dates: bool) -> list[LearnerRow]:
    """Rows for these members (MEMBER_COLUMNS values): their enrolments and certificates, two queries."""
    user_ids = [m[0] for m in members]
    module_ids = [m.id for m in modules]
    fields = ["user_id", "module_id", "percent", "lessons_done", "lessons_total", "last_activity_at", "completed_at",
              "quiz_best_score", "quiz_passed", "quiz_attempts"]
    if dates:
        fields.append("enrolled_at")
    enrollments: dict[int, dict[int, tuple]] = defaultdict(dict)
    for row in Enrollment.objects.filter(user_id__in=user_ids, module_id__in=module_ids).values_list(*fields):
        enrollments[row[0]][row[1]] = row
    certificates: dict[int, dict[int, tuple]] = defaultdict(dict)
    for user_id, module_id, code, issued_at in Certificate.objects.filter(
            user_id__in=user_ids, module_id__in=module_ids, revoked_at__isnull=True).values_list(
            "user_id", "module_id", "code", "issued_at" if dates else "module_id"):
        certificates[user_id][module_id] = (code, issued_at if dates else None)
    rows = []
    empty: dict = {}
    for (user_id, joined_at, name, email, association, country, language, reminders, state, last_active_on,
         percent_sum) in members:
        if not name:  # an erased account (docs/privacy.md): still counted, without identity
            name, email = str(_("Deleted account")), ""
        status = _learner_status(state, last_active_on, days)
        busy = _busy(last_active_on, days)
        mine, my_certificates = enrollments.get(user_id, empty), certificates.get(user_id, empty)
        cells, last = [], None
        for module in modules:
            raw = mine.get(module.id)
            if raw is None:
                cell = Cell(module.id, NOT_STARTED, 0, 0, module.lessons_total)
            else:
                (_u, _m, percent, done, total, activity, completed_at, best, passed, attempts, *rest) = raw
                cell_status = _cell_status(completed_at, activity, done, attempts, busy)
                cell = Cell(module.id, cell_status, percent, done, total, True, rest[0] if rest else None,
                            activity if dates else None, completed_at if dates else None, best, bool(passed))
                if activity is not None and (last is None or activity > last):
                    last = activity
            certificate = my_certificates.get(module.id)
            if certificate:
                cell.certificate_code, cell.certificate_issued_at = certificate
            cells.append(cell)
        rows.append(LearnerRow(user_id, name, email, association or "", country or "", language, reminders, joined_at, last,
                               progress_percent(percent_sum, 100 * len(modules)), status, cells, last_active_on))
    return rows


def _status_filter(status: str, inactive_days: int | None, days: Days) -> Q:
    if status == STALLED and inactive_days is not None:
        # Started, not finished, and no activity for `inactive_days` days or more.
        return Q(state=STATE_OPEN, last_active_on__lte=days.today - timedelta(days=inactive_days))
    if status == STALLED:
        return Q(state=STATE_OPEN) & (Q(last_active_on__isnull=True) | Q(last_active_on__lte=days.stalled_on))
    if status == IN_PROGRESS:
        return Q(state=STATE_OPEN, last_active_on__gt=days.stalled_on)
    if status == NOT_STARTED:
        return Q(state=STATE_NOT_STARTED)
    if status == COMPLETED:
        return Q(state=STATE_COMPLETED)
    return Q()


def _ordering(sort: str, descending: bool, modules: list[ModuleColumn], days: Days) -> list:
    """ORDER BY of the matrix. Name, association, joined, activity and percent follow an index
    of the memberships; status and a module's percent are computed for every member."""
    keys: list
    if sort.startswith("module-") and sort.removeprefix("module-").isdigit() and int(sort.removeprefix("module-")) in {
            m.id for m in modules}:
        keys = [Subquery(Enrollment.objects.filter(user_id=OuterRef("user_id"), module_id=int(sort.removeprefix("module-")))
                         .values("percent")[:1], output_field=IntegerField())]
    elif sort == "association":
        keys = [F("sort_association"), F("sort_name")]
    elif sort == "joined":
        keys = [F("joined_at")]
    elif sort == "activity":
        keys = [F("last_active_on")]
    elif sort == "percent":
        keys = [F("percent_sum")]
    elif sort == "status":
        keys = [Case(When(state=STATE_NOT_STARTED, then=Value(STATUS_ORDER[NOT_STARTED])),
                     When(state=STATE_COMPLETED, then=Value(STATUS_ORDER[COMPLETED])),
                     When(Q(last_active_on__isnull=True) | Q(last_active_on__lte=days.stalled_on),
                          then=Value(STATUS_ORDER[STALLED])),
                     default=Value(STATUS_ORDER[IN_PROGRESS]), output_field=IntegerField())]
    else:
        keys = [F("sort_name")]
    keys.append(F("user_id"))
    if descending:
        return [k.desc(nulls_last=True) if hasattr(k, "desc") else k for k in keys]
    return [k.asc(nulls_first=True) if hasattr(k, "asc") else k for k in keys]


def _members(cohort: Cohort):
    return CohortMembership.objects.filter(cohort=cohort, status=CohortMembership.Status.ACTIVE)


def cohort_matrix_page(*, cohort: Cohort, modules: list[ModuleColumn], summary: Summary | None = None,
                       now: datetime | None = None, status: str = "", inactive_days: int | None = None, query: str = "",
                       sort: str = "name", descending: bool = False, page: int = 1, page_size: int = 50,
                       clamp: bool = True) -> MatrixPage:
    """One page of the matrix, filtered, sorted and paginated in SQL (three queries; a fourth counts
    the matches of a search or of "stalled for N days", other counts are the stored figures).

    status: "", not_started, in_progress, stalled, completed; with "stalled", `inactive_days`
    replaces the cohort's threshold. sort: one of SORTS or "module-<id>"."""
    days = Days.of(cohort, now or timezone.now())
    members = _members(cohort).filter(_status_filter(status, inactive_days, days))
    query = query.strip()
    if query:
        folded = query.casefold()
        members = members.filter(Q(sort_name__contains=folded) | Q(sort_association__contains=folded) |
                                 Q(user__email__icontains=query))
    if summary is not None and not query and not (status == STALLED and inactive_days is not None):
        count = {"": summary.learners, NOT_STARTED: summary.not_started, IN_PROGRESS: summary.in_progress,
                 STALLED: summary.stalled, COMPLETED: summary.completed_all}.get(status, summary.learners)
    else:
        count = members.count()
    pages = max(1, -(-count // page_size))
    number = min(max(1, page), pages) if clamp else max(1, page)
    start = (number - 1) * page_size
    values = list(members.order_by(*_ordering(sort, descending, modules, days)).values_list(*MEMBER_COLUMNS)[
        start:start + page_size]) if start < count else []
    return MatrixPage(rows=_rows(values, modules, days, dates=False), count=count, number=number, pages=pages,
                      page_size=page_size)


def cohort_rows_iter(*, cohort: Cohort, modules: list[ModuleColumn], now: datetime | None = None, dates: bool = False,
                     chunk: int = 1000) -> Iterator[LearnerRow]:
    """Every learner of the matrix, by name, read `chunk` learners at a time (the export: flat memory)."""
    days = Days.of(cohort, now or timezone.now())
    after: tuple[str, int] | None = None
    while True:
        members = _members(cohort)
        if after is not None:
            members = members.filter(Q(sort_name__gt=after[0]) | Q(sort_name=after[0], user_id__gt=after[1]))
        values = list(members.order_by("sort_name", "user_id").values_list(*MEMBER_COLUMNS, "sort_name")[:chunk])
        if not values:
            return
        yield from _rows([v[:-1] for v in values], modules, days, dates=dates)
        after = (values[-1][-1], values[-1][0])


class Epoch(Func):
    """A timestamp as whole seconds since 1970 (UTC), truncated. Read this way, the export turns a date
    into an aware datetime with one C call (`datetime.fromtimestamp`) instead of the ORM's parsing and
    Django's time-zone lookups, which were most of its time (docs/performance.md)."""

    output_field = BigIntegerField()
    template = "CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS bigint)"  # PostgreSQL

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): the first 19 characters, since SQLite would round
        # .9995 up to the next second. '%%%%s': the template, then the backend's parameter style, halve the '%'.
        return self.as_sql(compiler, connection, template="CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)",
                           **extra)


def cohort_export_iter(*, cohort: Cohort, modules: list[ModuleColumn], now: datetime | None = None,
                       chunk_size: int = 2000) -> Iterator[LearnerRow]:
    """Every learner of the matrix by name, with each cell's dates and certificate (the export).

    ONE query whatever the size of the cohort: the active members, LEFT JOIN their enrolments in the
    cohort's modules, LEFT JOIN those modules' valid certificates, ordered by name; read `chunk_size`
    rows at a time (a server-side cursor on PostgreSQL, fetchmany on SQLite) and grouped by learner
    here, so memory stays flat and the file is one consistent snapshot of the cohort. The same rules
    as the page's rows (`_learner_status`, `_busy`, `_cell_status`). Dates are aware datetimes in the
    current time zone, in whole seconds."""
    days = Days.of(cohort, now or timezone.now())
    zone = timezone.get_current_timezone()
    local = datetime.fromtimestamp
    index = {m.id: i for i, m in enumerate(modules)}  # (no module: `IN (0)`, since an empty IN would empty the query)
    fields = ("user_id", "joined", "user__display_name", "user__email", "user__association__name", "user__association__country",
              "user__preferred_language", "user__reminders_enabled", "state", "active_on", "percent_sum", "e__module_id",
              "e__percent", "e__lessons_done", "e__lessons_total", "active", "completed", "e__quiz_best_score", "e__quiz_passed",
              "e__quiz_attempts", "enrolled", "c__code", "issued")
    query = (
        _members(cohort)
        .annotate(e=FilteredRelation("user__enrollments", condition=Q(user__enrollments__module_id__in=list(index) or [0])),
                  c=FilteredRelation("user__certificates", condition=Q(user__certificates__module_id=F("e__module_id"),
                                                                     user__certificates__revoked_at__isnull=True)),
                  joined=Epoch("joined_at"), enrolled=Epoch("e__enrolled_at"), active=Epoch("e__last_activity_at"),
                  completed=Epoch("e__completed_at"), issued=Epoch("c__issued_at"),
                  # As text: SQLite's driver would otherwise parse the date on each of the learner's rows (64,000
                  # calls for 2,000 learners × 40 modules); it is parsed once per learner below.
                  active_on=Cast("last_active_on", output_field=CharField()))
        .order_by("sort_name", "user_id")
        .values_list(*fields)
    ).query
    # The database's own values, without the ORM's per-value converters (a third of the export's time):
    # every column here is an integer, a text or a boolean the same on both databases, but the one date,
    # converted once per learner below. Columns come in the order of `query.selected` (Django 5.2: as asked).
    selected = list(query.selected)
    in_order = itemgetter(*[selected.index(name) for name in fields])
    chunks = query.get_compiler(using=router.db_for_read(CohortMembership)).execute_sql(
        MULTI, chunked_fetch=True, chunk_size=chunk_size)
    deleted = str(_("Deleted account"))
    row: LearnerRow | None = None
    latest = None
    for chunk in chunks:
        for (user_id, joined, name, email, association, country, language, reminders, state, last_active_on, percent_sum,
             module_id, percent, done, total, active, completed, best, passed, attempts, enrolled, code, issued) in map(
                in_order, chunk):
            if row is None or row.user_id != user_id:  # the rows of one learner follow each other (ORDER BY name, id)
                if row is not None:
                    yield _export_row_end(row, modules, latest)
                if not name:  # an erased account (docs/privacy.md): still counted, without identity
                    name, email = deleted, ""
                if last_active_on is not None:
                    last_active_on = date.fromisoformat(last_active_on)
                row = LearnerRow(user_id, name, email, association or "", country or "", language, bool(reminders),
                                 local(joined, zone), None, progress_percent(percent_sum, 100 * len(modules)),
                                 _learner_status(state, last_active_on, days), [None] * len(modules), last_active_on)
                busy = _busy(last_active_on, days)
                latest = None
            if module_id is None:  # a member without any enrolment in the cohort's modules
                continue
            activity = local(active, zone) if active is not None else None
            if activity is not None and (latest is None or activity > latest):
                latest = activity
            row.cells[index[module_id]] = Cell(
                module_id, _cell_status(completed, active, done, attempts, busy), percent, done, total, True,
                local(enrolled, zone) if enrolled is not None else None, activity,
                local(completed, zone) if completed is not None else None, best, bool(passed), code or "",
                local(issued, zone) if issued is not None else None)
    if row is not None:
        yield _export_row_end(row, modules, latest)


def _export_row_end(row: LearnerRow, modules: list[ModuleColumn], latest: datetime | None) -> LearnerRow:
    row.last_activity_at = latest
    cells = row.cells
    for i, module in enumerate(modules):
        if cells[i] is None:
            cells[i] = Cell(module.id, NOT_STARTED, 0, 0, module.lessons_total)
    return row


def cohort_dashboard(*, cohort: Cohort, language: str | None = None, now: datetime | None = None,
                     with_coaching: bool = True, dates: bool = False) -> CohortDashboard:
    """Every number of a cohort's dashboard with the FULL matrix (`dates=True` adds each cell's
    enrolment, last activity and completion dates and the certificates' dates): for the export,
    the reminders and the tests. Pages use cohort_summary and cohort_matrix_page."""
    now = now or timezone.now()
    modules = cohort_module_columns(cohort_id=cohort.pk, language=language)
    summary = cohort_summary(cohort=cohort, modules=modules, now=now, with_coaching=with_coaching)
    rows = list(cohort_rows_iter(cohort=cohort, modules=modules, now=now, dates=dates))
    return CohortDashboard(cohort_id=cohort.pk, stalled_after_days=cohort.stalled_after_days, generated_at=now, modules=modules,
                           rows=rows, summary=summary)


def summary_as_dict(dashboard: CohortDashboard) -> dict:
    """The header figures as plain values (the API and the comparison tests read this)."""
    return summary_values(summary=dashboard.summary, modules=dashboard.modules, stalled_after_days=dashboard.stalled_after_days,
                          generated_at=dashboard.generated_at)


def summary_values(*, summary: Summary, modules: list[ModuleColumn], stalled_after_days: int, generated_at: datetime) -> dict:
    s = summary
    return {
        "learners": s.learners,
        "active_last_7_days": s.active_recently,
        "started": s.started,
        "not_started": s.not_started,
        "in_progress": s.in_progress,
        "stalled": s.stalled,
        "completed_all_modules": s.completed_all,
        "certificates": s.certificates,
        "stalled_after_days": stalled_after_days,
        "modules": [
            {"id": m.id, "slug": m.slug, "title": m.title, "position": m.position, "target_date": m.target_date,
             "lessons": m.lessons_total, "completed": s.completed_by_module[m.id], "statuses": s.status_by_module[m.id]}
            for m in modules
        ],
        "diagnostic": None if s.diagnostic is None else {
            "learners": s.diagnostic.learners, "average_at_joining": s.diagnostic.average_at_joining,
            "average_now": s.diagnostic.average_now, "retaken": s.diagnostic.retaken,
        },
        "coaching": s.coaching,
        "generated_at": generated_at,
    }


def row_as_dict(row: LearnerRow) -> dict:
    return {
        "user_id": row.user_id, "name": row.name, "email": row.email, "association": row.association, "country": row.country,
        "joined_at": row.joined_at, "last_activity_at": row.last_activity_at, "percent": row.percent, "status": row.status,
        "reminders_enabled": row.reminders_enabled,
        "modules": [
            {"module_id": c.module_id, "status": c.status, "percent": c.percent, "lessons_done": c.lessons_done,
             "lessons_total": c.lessons_total, "quiz_best_score": c.quiz_best_score, "quiz_passed": c.quiz_passed,
             "certificate": c.certificate_code or None}
            for c in row.cells
        ],
    }
