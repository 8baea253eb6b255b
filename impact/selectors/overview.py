"""An intermediary's cohorts side by side, read from the stored per-cohort aggregates (cohorts.models:
CohortStats, CohortModuleStats, CohortActivityDay, CohortMonthStats) and two coaching queries: the
number of queries does not depend on the number of cohorts or learners (tests/impact/test_overview.py)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Intermediary
from coaching.selectors import coaching_counts_by_cohort
from cohorts.models import Cohort, CohortActivityDay, CohortModule, CohortModuleStats, CohortMonthStats
from cohorts.selectors.dashboard import ACTIVE_DAYS, title_pick
from courses.models import ModuleTranslation

MAX_PERIOD_DAYS = 366 * 10


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates, both included."""

    start: date
    end: date

    @classmethod
    def default(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        first = date(today.year - 1, today.month, 1) + timedelta(days=32)
        return cls(first.replace(day=1), today)

    def months(self) -> list[date]:
        out, month = [], self.start.replace(day=1)
        while month <= self.end:
            out.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return out


@dataclass(slots=True)
class Line:
    """One cohort (or the total of several): counts of its active members, and coaching in the period."""

    id: int | None
    name: str
    group: int | None = None  # the cohort's intermediary
    starts_on: date | None = None
    ends_on: date | None = None
    learners: int = 0
    active: int = 0  # latest activity in the last 7 days
    started: int = 0
    completed_all: int = 0
    certificates: int = 0
    completed_in_period: int = 0  # module completions in the period
    certificates_in_period: int = 0
    diagnostic_learners: int = 0
    diagnostic_sum_baseline: int = 0
    diagnostic_sum_latest: int = 0
    diagnostic_retaken: int = 0
    modules: dict[int, dict] = field(default_factory=dict)  # module id -> {"started", "completed", "certificates"}
    coaching: dict = field(default_factory=lambda: {"requested": 0, "matched": 0, "completed": 0, "minutes": 0, "sessions": 0})

    @property
    def diagnostic_before(self) -> int | None:
        return round(self.diagnostic_sum_baseline / self.diagnostic_learners) if self.diagnostic_learners else None

    @property
    def diagnostic_after(self) -> int | None:
        return round(self.diagnostic_sum_latest / self.diagnostic_learners) if self.diagnostic_learners else None

    @property
    def diagnostic_change(self) -> int | None:
        if not self.diagnostic_learners:
            return None
        return self.diagnostic_after - self.diagnostic_before

    @property
    def hours_given(self) -> float:
        return round(self.coaching["minutes"] / 60, 1)

    def add(self, other: Line) -> None:
        for name in ("learners", "active", "started", "completed_all", "certificates", "completed_in_period",
                     "certificates_in_period", "diagnostic_learners", "diagnostic_sum_baseline", "diagnostic_sum_latest",
                     "diagnostic_retaken"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for module_id, counts in other.modules.items():
            mine = self.modules.setdefault(module_id, {"started": 0, "completed": 0, "certificates": 0})
            for key, value in counts.items():
                mine[key] += value
        for key, value in other.coaching.items():
            self.coaching[key] += value


@dataclass(slots=True)
class Overview:
    period: Period
    module_id: int | None
    modules: list[tuple[int, str]]  # (id, title) in the order of first appearance
    lines: list[Line]
    total: Line
    months: list[dict]  # {"month", "completed", "certificates"}, every month of the period
    modules_by_cohort: dict[int, set[int]]

    def as_dict(self) -> dict:
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "module": self.module_id,
            "modules": [{"id": mid, "title": title} for mid, title in self.modules],
            "cohorts": [line_as_dict(line) for line in self.lines],
            "total": line_as_dict(self.total),
            "months": [{"month": m["month"].isoformat()[:7], "completed": m["completed"], "certificates": m["certificates"]}
                       for m in self.months],
        }


def line_as_dict(line: Line) -> dict:
    return {
        "id": line.id, "name": line.name, "learners": line.learners, "active_last_7_days": line.active,
        "started": line.started, "completed_all_modules": line.completed_all, "certificates": line.certificates,
        "completed_in_period": line.completed_in_period, "certificates_in_period": line.certificates_in_period,
        "modules": {str(mid): dict(counts) for mid, counts in line.modules.items()},
        "diagnostic": {"learners": line.diagnostic_learners, "before": line.diagnostic_before,
                       "after": line.diagnostic_after, "retaken": line.diagnostic_retaken},
        "coaching": {"requested": line.coaching["requested"], "matched": line.coaching["matched"],
                     "completed": line.coaching["completed"], "hours_given": line.hours_given},
    }


STAT_COLUMNS = ("stats__learners", "stats__started", "stats__completed_all", "stats__certificates",
                "stats__diagnostic_learners", "stats__diagnostic_sum_baseline", "stats__diagnostic_sum_latest",
                "stats__diagnostic_retaken")


def _cohort_rows(cohorts) -> list[tuple]:
    """One query; a cohort whose stored row is missing (dropped by a cascade) is rebuilt first."""
    columns = ("id", "name", "intermediary_id", "starts_on", "ends_on", *STAT_COLUMNS)
    rows = list(cohorts.values_list(*columns))
    missing = [row[0] for row in rows if row[5] is None]
    if missing:
        from cohorts.services.stats import cohort_stats_rebuild

        for cohort_id in missing:
            cohort_stats_rebuild(cohort_id=cohort_id)
        rows = list(cohorts.values_list(*columns))
    return rows


def overview_for_cohorts(*, cohorts, period: Period, module_id: int | None = None, language: str | None = None,
                         today: date | None = None) -> Overview:
    """The cohorts of `cohorts` (a queryset) side by side, and their total. Eight queries."""
    language = language or get_language() or settings.LANGUAGE_CODE
    today = today or timezone.localdate()
    lines: dict[int, Line] = {}
    for cid, name, group, starts_on, ends_on, *stats in _cohort_rows(cohorts):
        line = Line(id=cid, name=name, group=group, starts_on=starts_on, ends_on=ends_on)
        (line.learners, line.started, line.completed_all, line.certificates, line.diagnostic_learners,
         line.diagnostic_sum_baseline, line.diagnostic_sum_latest, line.diagnostic_retaken) = (v or 0 for v in stats)
        lines[cid] = line
    ids = list(lines)

    modules_by_cohort: dict[int, set[int]] = defaultdict(set)
    module_order: dict[int, tuple] = {}
    module_filter = Q(module_id=module_id) if module_id else Q()
    for cid, mid, slug, source, position in CohortModule.objects.filter(module_filter, cohort_id__in=ids).order_by(
            "position", "id").values_list("cohort_id", "module_id", "module__slug", "module__source_language", "position"):
        modules_by_cohort[cid].add(mid)
        module_order.setdefault(mid, (position, slug, source))
    titles: dict[int, dict[str, str]] = defaultdict(dict)
    for mid, lang, title in ModuleTranslation.objects.filter(module_id__in=list(module_order)).values_list(
            "module_id", "language", "title"):
        titles[mid][lang] = title
    modules = [(mid, title_pick(titles[mid], language, source, slug))
               for mid, (position, slug, source) in sorted(module_order.items(), key=lambda kv: (kv[1][0], kv[0]))]

    for cid, mid, started, completed, certificates in CohortModuleStats.objects.filter(
            module_filter, cohort_id__in=ids).values_list("cohort_id", "module_id", "started", "completed", "certificates"):
        if mid in modules_by_cohort[cid]:
            lines[cid].modules[mid] = {"started": started, "completed": completed, "certificates": certificates}

    active_from = today - timedelta(days=ACTIVE_DAYS - 1)
    for cid, active in CohortActivityDay.objects.filter(cohort_id__in=ids, module_id=0, day__gte=active_from).values(
            "cohort_id").annotate(active=Sum("learners")).values_list("cohort_id", "active"):
        lines[cid].active = active or 0

    months = {m: {"month": m, "completed": 0, "certificates": 0} for m in period.months()}
    for cid, month, completed, certificates in CohortMonthStats.objects.filter(
            cohort_id__in=ids, module_id=module_id or 0, month__gte=period.start.replace(day=1), month__lte=period.end
    ).values_list("cohort_id", "month", "completed", "certificates"):
        lines[cid].completed_in_period += completed
        lines[cid].certificates_in_period += certificates
        if month in months:
            months[month]["completed"] += completed
            months[month]["certificates"] += certificates

    for cid, counts in coaching_counts_by_cohort(cohort_ids=ids, start=period.start, end=period.end).items():
        lines[cid].coaching.update(counts)

    total = Line(id=None, name="")
    for line in lines.values():
        total.add(line)
    return Overview(period=period, module_id=module_id, modules=modules, lines=list(lines.values()), total=total,
                    months=list(months.values()), modules_by_cohort=dict(modules_by_cohort))


def intermediary_cohorts(*, intermediary_ids, period: Period):
    """The cohorts that overlap the period (no dates: always)."""
    return Cohort.objects.filter(intermediary_id__in=intermediary_ids).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=period.end)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start)).order_by("starts_on", "name", "id")


def intermediary_overview(*, intermediary: Intermediary, period: Period | None = None, module_id: int | None = None,
                          language: str | None = None, today: date | None = None) -> Overview:
    period = period or Period.default(today)
    return overview_for_cohorts(cohorts=intermediary_cohorts(intermediary_ids=[intermediary.pk], period=period),
                                period=period, module_id=module_id, language=language, today=today)
