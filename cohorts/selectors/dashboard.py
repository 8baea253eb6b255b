"""The cohort dashboard: header figures and the learner × module matrix, from stored aggregates.

Built from a fixed number of queries whatever the size of the cohort (seven, plus whatever the
coaching app's summary costs): plain `values_list()` rows pivoted in Python. The HTML page, the
API and the export all read this one function, so they show the same numbers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, ExpressionWrapper, Field, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courses.models import ModuleTranslation
from learners.models import Certificate, DiagnosticResponse, Enrollment

from ..models import Cohort, CohortMembership, CohortModule

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


def title_pick(titles: dict[str, str], language: str, source_language: str, fallback: str) -> str:
    for candidate in (language, source_language, settings.LANGUAGE_CODE, *settings.CONTENT_LANGUAGES):
        if candidate in titles:
            return titles[candidate]
    return fallback


def cohort_module_columns(*, cohort_id: int, language: str | None = None) -> list[ModuleColumn]:
    """The cohort's modules in order, titled in `language` (two queries)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    rows = list(
        CohortModule.objects.filter(cohort_id=cohort_id)
        .annotate(lessons=Count("module__lessons", filter=Q(module__lessons__is_archived=False)))
        .order_by("position", "id")
        .values_list("module_id", "module__slug", "module__source_language", "position", "target_date", "lessons")
    )
    titles: dict[int, dict[str, str]] = defaultdict(dict)
    for module_id, lang, title in ModuleTranslation.objects.filter(module_id__in=[r[0] for r in rows]).values_list(
            "module_id", "language", "title"):
        titles[module_id][lang] = title
    return [
        ModuleColumn(id=module_id, slug=slug, title=title_pick(titles[module_id], language, source, slug), position=position,
                     target_date=target, lessons_total=lessons)
        for module_id, slug, source, position, target, lessons in rows
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


def _diagnostic_summary(responses: list[tuple[int, int, datetime]], joined: dict[int, datetime]) -> DiagnosticSummary | None:
    by_user: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for user_id, average, created_at in responses:  # ordered by user, then time
        by_user[user_id].append((average, created_at))
    if not by_user:
        return None
    at_joining, now, retaken = [], [], 0
    for user_id, items in by_user.items():
        before = [item for item in items if item[1] <= joined[user_id]]
        # The score at joining: the latest one taken before joining, else the first one after.
        baseline_index = len(before) - 1 if before else 0
        at_joining.append(items[baseline_index][0])
        now.append(items[-1][0])
        retaken += baseline_index < len(items) - 1
    return DiagnosticSummary(
        learners=len(at_joining), average_at_joining=round(sum(at_joining) / len(at_joining)),
        average_now=round(sum(now) / len(now)), retaken=retaken,
    )


def _flag(condition: Q) -> ExpressionWrapper:
    # Read as 0/1 on SQLite, true/false on PostgreSQL, with no per-value converter (a plain Field
    # has none): at 8,000 cells Django's converters, above all the timestamp ones, cost more than
    # the query itself.
    return ExpressionWrapper(condition, output_field=Field())


def _enrollments_by_user(member_ids, module_ids: list[int], *, dates: bool) -> dict[int, dict[int, tuple]]:
    """{user: {module: (percent, done, total, started, completed, best score, passed[, enrolled, last activity, completed at])}}.

    Without `dates` no timestamp is read: the dashboard only needs each learner's latest activity."""
    rows = Enrollment.objects.filter(user_id__in=member_ids, module_id__in=module_ids).annotate(
        f_started=_flag(Q(last_activity_at__isnull=False) | Q(lessons_done__gt=0) | Q(quiz_attempts__gt=0)),
        f_completed=_flag(Q(completed_at__isnull=False)), f_passed=_flag(Q(quiz_passed=True)))
    fields = ["user_id", "module_id", "percent", "lessons_done", "lessons_total", "f_started", "f_completed", "quiz_best_score",
              "f_passed"]
    if dates:
        fields += ["enrolled_at", "last_activity_at", "completed_at"]
    by_user: dict[int, dict[int, tuple]] = defaultdict(dict)
    for row in rows.values_list(*fields):
        by_user[row[0]][row[1]] = row[2:]
    return by_user


def cohort_dashboard(*, cohort: Cohort, language: str | None = None, now: datetime | None = None,
                     with_coaching: bool = True, dates: bool = False) -> CohortDashboard:
    """Every number of a cohort's dashboard, its matrix and its export (`dates=True` adds each
    cell's enrolment, last activity and completion dates and the certificates' dates)."""
    now = now or timezone.now()
    threshold = cohort.stalled_after_days
    stalled_before = now - timedelta(days=threshold)
    active_after = now - timedelta(days=ACTIVE_DAYS)

    modules = cohort_module_columns(cohort_id=cohort.pk, language=language)
    module_ids = [m.id for m in modules]
    active = CohortMembership.objects.filter(cohort=cohort, status=CohortMembership.Status.ACTIVE)
    members = list(active.order_by("user__display_name", "user_id").values_list(
        "user_id", "joined_at", "user__display_name", "user__email", "user__association__name", "user__association__country",
        "user__preferred_language", "user__reminders_enabled"))
    member_ids = active.values("user_id")
    enrollments = _enrollments_by_user(member_ids, module_ids, dates=dates)
    # Each learner's latest activity in the cohort's modules (one timestamp per learner, not per cell).
    last_activity = dict(Enrollment.objects.filter(user_id__in=member_ids, module_id__in=module_ids)
                         .values("user_id").annotate(last=Max("last_activity_at")).values_list("user_id", "last"))
    certificates: dict[int, dict[int, tuple]] = defaultdict(dict)
    for row in Certificate.objects.filter(user_id__in=member_ids, module_id__in=module_ids, revoked_at__isnull=True).values_list(
            *(("user_id", "module_id", "code", "issued_at") if dates else ("user_id", "module_id", "code"))):
        certificates[row[0]][row[1]] = (row[2], row[3] if dates else None)
    diagnostics = list(DiagnosticResponse.objects.filter(user_id__in=member_ids).order_by("user_id", "created_at", "id")
                       .values_list("user_id", "average", "created_at"))

    summary = Summary(
        learners=len(members),
        completed_by_module=dict.fromkeys(module_ids, 0),
        status_by_module={module_id: dict.fromkeys(STATUSES, 0) for module_id in module_ids},
    )
    by_status = summary.status_by_module
    columns = [(m.id, m.lessons_total, by_status[m.id]) for m in modules]
    empty: dict = {}
    rows: list[LearnerRow] = []
    for user_id, joined_at, name, email, association, country, user_language, reminders in members:
        last = last_activity.get(user_id)
        # The learner's inactivity decides whether their started, unfinished modules are stalled.
        busy_status = STALLED if last is None or last < stalled_before else IN_PROGRESS
        mine, my_certificates = enrollments.get(user_id, empty), certificates.get(user_id, empty)
        cells, started_any, completed_count, percent_sum = [], False, 0, 0
        for module_id, lessons_total, counts in columns:
            raw = mine.get(module_id)
            if raw is None:
                status = NOT_STARTED
                cell = Cell(module_id, status, 0, 0, lessons_total)
            else:
                status = COMPLETED if raw[4] else (busy_status if raw[3] else NOT_STARTED)
                if dates:
                    cell = Cell(module_id, status, raw[0], raw[1], raw[2], True, raw[7], raw[8], raw[9], raw[5], bool(raw[6]))
                else:
                    cell = Cell(module_id, status, raw[0], raw[1], raw[2], True, None, None, None, raw[5], bool(raw[6]))
                started_any = started_any or bool(raw[3])
                percent_sum += raw[0]
                completed_count += status == COMPLETED
            if my_certificates:
                certificate = my_certificates.get(module_id)
                if certificate:
                    cell.certificate_code, cell.certificate_issued_at = certificate
                    summary.certificates += 1
            counts[status] += 1
            cells.append(cell)
        if modules and completed_count == len(modules):
            status = COMPLETED
        elif not started_any:
            status = NOT_STARTED
        else:
            status = busy_status
        summary.started += started_any
        summary.active_recently += last is not None and last >= active_after
        rows.append(LearnerRow(user_id, name, email, association or "", country or "", user_language, reminders, joined_at, last,
                               percent_sum // len(modules) if modules else 0, status, cells))
    for module_id in module_ids:
        summary.completed_by_module[module_id] = by_status[module_id][COMPLETED]
    for row in rows:
        if row.status == COMPLETED:
            summary.completed_all += 1
        elif row.status == NOT_STARTED:
            summary.not_started += 1
        elif row.status == STALLED:
            summary.stalled += 1
        else:
            summary.in_progress += 1
    summary.diagnostic = _diagnostic_summary(diagnostics, {m[0]: m[1] for m in members})
    if with_coaching:
        coaching = coaching_summary(cohort_ids=[cohort.pk])
        summary.coaching = coaching.get(cohort.pk) if isinstance(coaching, dict) else None
    return CohortDashboard(cohort_id=cohort.pk, stalled_after_days=threshold, generated_at=now, modules=modules, rows=rows,
                           summary=summary)


def cohort_matrix_filter(dashboard: CohortDashboard, *, status: str = "", inactive_days: int | None = None, query: str = "",
                         sort: str = "name", descending: bool = False) -> list[LearnerRow]:
    """Filter and sort the matrix rows (pure Python over the dashboard: no query).

    status: "", not_started, in_progress, stalled, completed. With "stalled", `inactive_days`
    replaces the cohort's threshold: learners who started, have not finished, and have not
    studied for more than that many days. sort: one of SORTS or "module-<id>"."""
    rows = dashboard.rows
    if status == STALLED and inactive_days is not None:
        before = dashboard.generated_at - timedelta(days=inactive_days)
        rows = [r for r in rows if r.status in (STALLED, IN_PROGRESS) and r.last_activity_at is not None
                and r.last_activity_at < before]
    elif status in STATUSES:
        rows = [r for r in rows if r.status == status]
    query = query.strip().casefold()
    if query:
        rows = [r for r in rows if query in r.name.casefold() or query in r.email.casefold() or query in r.association.casefold()]
    oldest = datetime.min.replace(tzinfo=UTC)
    keys = {
        "name": lambda r: (r.name.casefold(), r.user_id),
        "association": lambda r: (r.association.casefold(), r.name.casefold()),
        "joined": lambda r: (r.joined_at, r.user_id),
        "activity": lambda r: (r.last_activity_at or oldest, r.user_id),
        "percent": lambda r: (r.percent, r.user_id),
        "status": lambda r: (STATUS_ORDER[r.status], r.user_id),
    }
    if sort.startswith("module-"):
        try:
            index = [m.id for m in dashboard.modules].index(int(sort.removeprefix("module-")))
        except ValueError:
            index = None
        if index is not None:
            return sorted(rows, key=lambda r: (r.cells[index].percent, r.user_id), reverse=descending)
        sort = "name"
    return sorted(rows, key=keys.get(sort, keys["name"]), reverse=descending)


def summary_as_dict(dashboard: CohortDashboard) -> dict:
    """The header figures as plain values (the API and the comparison tests read this)."""
    s = dashboard.summary
    return {
        "learners": s.learners,
        "active_last_7_days": s.active_recently,
        "started": s.started,
        "not_started": s.not_started,
        "in_progress": s.in_progress,
        "stalled": s.stalled,
        "completed_all_modules": s.completed_all,
        "certificates": s.certificates,
        "stalled_after_days": dashboard.stalled_after_days,
        "modules": [
            {"id": m.id, "slug": m.slug, "title": m.title, "position": m.position, "target_date": m.target_date,
             "lessons": m.lessons_total, "completed": s.completed_by_module[m.id], "statuses": s.status_by_module[m.id]}
            for m in dashboard.modules
        ],
        "diagnostic": None if s.diagnostic is None else {
            "learners": s.diagnostic.learners, "average_at_joining": s.diagnostic.average_at_joining,
            "average_now": s.diagnostic.average_now, "retaken": s.diagnostic.retaken,
        },
        "coaching": s.coaching,
        "generated_at": dashboard.generated_at,
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
