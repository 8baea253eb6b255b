"""Stored cohort aggregates: each active member's figures (on CohortMembership) and the cohort's sums
(CohortStats, CohortModuleStats, CohortActivityDay, CohortMonthStats), kept up to date in the same
transaction as the progress that changes them, so that a cohort page costs the same at 100 and at
20,000 learners. Tables and rules: docs/performance.md.

- `enrollment_changed` is called by the learner services (settings.ESSOR_ENROLLMENT_CHANGED) after
  every change of an enrolment. When only the percent moved on a day the learner was already active,
  it is one UPDATE; otherwise (a module started or completed, a certificate, the first activity of a
  day, a self-diagnostic) the member's figures are recomputed from the base tables and the
  difference is added to the cohort's sums (`members_refresh`).
- Joining and leaving refresh the member; deleting a membership (an account deleted) drops the
  cohort's CohortStats row, and `cohort_stats_get` rebuilds a missing row from the base tables.
- `cohort_stats_rebuild` recomputes a whole cohort (a missing row, modules changed, data written in
  bulk behind the services' back); `cohort_stats_check` compares the stored figures with a rebuild.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from learners.models import Certificate, DiagnosticResponse, Enrollment

from ..models import (
    Cohort,
    CohortActivityDay,
    CohortMembership,
    CohortModule,
    CohortModuleStats,
    CohortMonthStats,
    CohortStats,
)

NEVER = date(2000, 1, 1)  # the day of a start that has no recorded time
ACTIVE = CohortMembership.Status.ACTIVE
NOT_STARTED, OPEN, COMPLETED = CohortMembership.State.values
MEMBER_FIELDS = ("state", "last_active_on", "percent_sum", "started_mask", "completed_mask", "certified_mask",
                 "diagnostic_baseline", "diagnostic_latest", "diagnostic_retaken")


def local_day(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value is not None else None


def month_of(value: datetime) -> date:
    return local_day(value).replace(day=1)


@dataclass
class Figures:
    """What one active member adds to the cohort's sums (all zero for a member who is not active)."""

    state: int = NOT_STARTED
    last_active_on: date | None = None
    percent_sum: int = 0
    started_mask: int = 0
    completed_mask: int = 0
    certified_mask: int = 0
    diagnostic_baseline: int | None = None
    diagnostic_latest: int | None = None
    diagnostic_retaken: bool = False

    @classmethod
    def stored(cls, membership) -> Figures:
        if membership.status != ACTIVE:
            return cls()
        return cls(**{name: getattr(membership, name) for name in MEMBER_FIELDS})


def _bits(mask: int) -> list[int]:
    return [n for n in range(63) if mask >> n & 1]


@dataclass
class Cell:
    started: bool
    completed: bool
    percent: int
    last_activity_at: datetime | None
    completed_at: datetime | None


def _cells(user_ids, module_ids) -> dict[int, dict[int, Cell]]:
    by_user: dict[int, dict[int, Cell]] = defaultdict(dict)
    for user_id, module_id, percent, done, attempts, last, completed in Enrollment.objects.filter(
            user_id__in=user_ids, module_id__in=module_ids).values_list(
            "user_id", "module_id", "percent", "lessons_done", "quiz_attempts", "last_activity_at", "completed_at"):
        by_user[user_id][module_id] = Cell(last is not None or done > 0 or attempts > 0, completed is not None, percent, last, completed)
    return by_user


def _certificates(user_ids, module_ids) -> dict[int, dict[int, tuple[datetime, bool]]]:
    """{user: {module: (issued at, valid)}}: revoked ones too, for the month they were counted in."""
    by_user: dict[int, dict[int, tuple[datetime, bool]]] = defaultdict(dict)
    for user_id, module_id, issued_at, revoked_at in Certificate.objects.filter(
            user_id__in=user_ids, module_id__in=module_ids).values_list("user_id", "module_id", "issued_at", "revoked_at"):
        by_user[user_id][module_id] = (issued_at, revoked_at is None)
    return by_user


def _diagnostics(user_ids) -> dict[int, list[tuple[int, datetime]]]:
    by_user: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for user_id, average, created_at in DiagnosticResponse.objects.filter(user_id__in=user_ids).order_by(
            "user_id", "created_at", "id").values_list("user_id", "average", "created_at"):
        by_user[user_id].append((average, created_at))
    return by_user


def _figures(slots: dict[int, int], cells: dict[int, Cell], certificates: dict[int, tuple[datetime, bool]],
             diagnostics: list[tuple[int, datetime]] | None, joined_at: datetime) -> Figures:
    figures = Figures()
    last = None
    for module_id, slot in slots.items():
        cell = cells.get(module_id)
        if cell is None:
            continue
        figures.percent_sum += cell.percent
        if cell.started:
            figures.started_mask |= 1 << slot
        if cell.completed:
            figures.completed_mask |= 1 << slot
        if certificates.get(module_id, (None, False))[1]:
            figures.certified_mask |= 1 << slot
        if cell.last_activity_at is not None and (last is None or cell.last_activity_at > last):
            last = cell.last_activity_at
    figures.last_active_on = local_day(last)
    every = (1 << len(slots)) - 1 if slots else 0
    if slots and figures.completed_mask & every == every:
        figures.state = COMPLETED
    elif figures.started_mask:
        figures.state = OPEN
    if diagnostics:
        # The score at joining: the latest one taken before joining, else the first one after.
        before = [item for item in diagnostics if item[1] <= joined_at]
        baseline = len(before) - 1 if before else 0
        figures.diagnostic_baseline, figures.diagnostic_latest = diagnostics[baseline][0], diagnostics[-1][0]
        figures.diagnostic_retaken = baseline < len(diagnostics) - 1
    return figures


class Sums:
    """Differences to add to a cohort's stored sums."""

    def __init__(self):
        self.cohort: Counter = Counter()
        self.modules: dict[int, Counter] = defaultdict(Counter)
        self.days: dict[tuple[date, int], Counter] = defaultdict(Counter)
        self.months: dict[tuple[date, int], Counter] = defaultdict(Counter)

    def add(self, figures: Figures, slots: dict[int, int], sign: int, months: list[tuple[date, int, str]] = ()) -> None:
        c = self.cohort
        c["learners"] += sign
        c["started"] += sign * (figures.state != NOT_STARTED)
        c["completed_all"] += sign * (figures.state == COMPLETED)
        c["certificates"] += sign * bin(figures.certified_mask).count("1")
        if figures.diagnostic_baseline is not None:
            c["diagnostic_learners"] += sign
            c["diagnostic_sum_baseline"] += sign * figures.diagnostic_baseline
            c["diagnostic_sum_latest"] += sign * figures.diagnostic_latest
            c["diagnostic_retaken"] += sign * figures.diagnostic_retaken
        open_mask = figures.started_mask & ~figures.completed_mask
        day = figures.last_active_on or NEVER
        if figures.last_active_on is not None or figures.state != NOT_STARTED:
            self.days[day, 0]["learners"] += sign * (figures.last_active_on is not None)
            self.days[day, 0]["open"] += sign * (figures.state == OPEN)
        for module_id, slot in slots.items():
            bit = 1 << slot
            m = self.modules[module_id]
            m["started"] += sign * bool(figures.started_mask & bit)
            m["completed"] += sign * bool(figures.completed_mask & bit)
            m["certificates"] += sign * bool(figures.certified_mask & bit)
            if open_mask & bit:
                self.days[day, module_id]["open"] += sign
        for month, module_id, name in months:
            self.months[month, module_id][name] += sign

    def write(self, cohort_id: int) -> None:
        cohort = {k: v for k, v in self.cohort.items() if v}
        if cohort:
            CohortStats.objects.filter(cohort_id=cohort_id).update(**{k: F(k) + v for k, v in cohort.items()})
        for module_id, counts in self.modules.items():
            counts = {k: v for k, v in counts.items() if v}
            if counts:
                CohortModuleStats.objects.filter(cohort_id=cohort_id, module_id=module_id).update(
                    **{k: F(k) + v for k, v in counts.items()})
        _upsert_add(CohortActivityDay._meta.db_table, ("day", "module_id"), ("learners", "open"), cohort_id, self.days)
        _upsert_add(CohortMonthStats._meta.db_table, ("month", "module_id"), ("completed", "certificates"), cohort_id, self.months)


def _upsert_add(table: str, keys: tuple[str, str], counters: tuple[str, str], cohort_id: int, rows: dict) -> None:
    """INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n, every row in one statement (SQLite and PostgreSQL)."""
    values = [(cohort_id, *key, *(counts.get(name, 0) for name in counters)) for key, counts in rows.items()
              if any(counts.get(name, 0) for name in counters)]
    if not values:
        return
    columns = ("cohort_id", *keys, *counters)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    adapt = connection.ops.adapt_datefield_value
    params = [adapt(v) if isinstance(v, date) else v for row in values for v in row]
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in counters)
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(values))} "  # noqa: S608 (names are ours)
           f"ON CONFLICT (cohort_id, {', '.join(keys)}) DO UPDATE SET {updates}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _slots(cohort_ids) -> dict[int, dict[int, int]]:
    slots: dict[int, dict[int, int]] = defaultdict(dict)
    for cohort_id, module_id, slot in CohortModule.objects.filter(cohort_id__in=cohort_ids).order_by(
            "position", "id").values_list("cohort_id", "module_id", "slot"):
        slots[cohort_id][module_id] = slot
    return slots


def _month_events(slots: dict[int, int], cells: dict[int, Cell], certificates: dict[int, tuple[datetime, bool]],
                  figures: Figures) -> list[tuple[date, int, str]]:
    """The (month, module, counter) the completions and certificates that `figures` hold count in
    (module 0: the whole cohort). Their dates never change, so old and new figures can be told apart."""
    events = []
    for module_id, slot in slots.items():
        bit = 1 << slot
        cell = cells.get(module_id)
        if figures.completed_mask & bit and cell is not None and cell.completed_at is not None:
            events += [(month_of(cell.completed_at), module_id, "completed"), (month_of(cell.completed_at), 0, "completed")]
        if figures.certified_mask & bit and module_id in certificates:
            month = month_of(certificates[module_id][0])
            events += [(month, module_id, "certificates"), (month, 0, "certificates")]
    return events


def members_refresh(*, membership_ids: list[int], diagnostics: bool = False, joining: bool = False,
                    leaving: bool = False) -> None:
    """Recompute these memberships' figures from the base tables and add the difference to their
    cohorts' sums. Call inside the transaction that changed the base tables. `joining`: the members
    have just become active (nothing of theirs is counted yet); `leaving`: they are about to stop
    being active (their stored figures come off the sums)."""
    if not membership_ids:
        return
    with transaction.atomic():
        members = list(CohortMembership.objects.select_for_update().filter(pk__in=membership_ids).order_by("pk"))
        stats_exist = set(CohortStats.objects.filter(cohort_id__in={m.cohort_id for m in members}).values_list("cohort_id", flat=True))
        members = [m for m in members if m.cohort_id in stats_exist]  # a cohort without stats is rebuilt when read
        if not members:
            return
        slots = _slots({m.cohort_id for m in members})
        user_ids = {m.user_id for m in members}
        module_ids = {module_id for s in slots.values() for module_id in s}
        cells, certificates = _cells(user_ids, module_ids), _certificates(user_ids, module_ids)
        diagnostic_rows = _diagnostics(user_ids) if diagnostics else {}
        sums: dict[int, Sums] = defaultdict(Sums)
        for member in members:
            cohort_slots = slots[member.cohort_id]
            mine_cells, mine_certificates = cells.get(member.user_id, {}), certificates.get(member.user_id, {})
            old = Figures.stored(member)
            new = _figures(cohort_slots, mine_cells, mine_certificates, diagnostic_rows.get(member.user_id, []), member.joined_at)
            if not diagnostics:
                new.diagnostic_baseline, new.diagnostic_latest = member.diagnostic_baseline, member.diagnostic_latest
                new.diagnostic_retaken = member.diagnostic_retaken
            if member.status == ACTIVE:
                if not joining:
                    sums[member.cohort_id].add(old, cohort_slots, -1, _month_events(cohort_slots, mine_cells, mine_certificates, old))
                if not leaving:
                    sums[member.cohort_id].add(new, cohort_slots, +1, _month_events(cohort_slots, mine_cells, mine_certificates, new))
            if new != Figures(**{name: getattr(member, name) for name in MEMBER_FIELDS}):
                CohortMembership.objects.filter(pk=member.pk).update(**{name: getattr(new, name) for name in MEMBER_FIELDS})
        for cohort_id, cohort_sums in sums.items():
            cohort_sums.write(cohort_id)


def enrollment_changed(*, user_id: int, module_id: int, percent_delta: int, structural: bool) -> None:
    """Called by the learner services in the transaction that changed an enrolment. `structural`:
    the module was started or completed, a certificate was issued or revoked, or the enrolment's
    latest activity moved to another day — the member's figures are recomputed. Otherwise only the
    percent moved (one UPDATE, none when it did not)."""
    cohorts = CohortModule.objects.filter(module_id=module_id).values("cohort_id")
    if structural:
        members_refresh(membership_ids=list(CohortMembership.objects.filter(
            user_id=user_id, status=ACTIVE, cohort_id__in=cohorts).values_list("pk", flat=True)))
    elif percent_delta:
        CohortMembership.objects.filter(user_id=user_id, status=ACTIVE, cohort_id__in=cohorts).update(
            percent_sum=F("percent_sum") + percent_delta)


def diagnostic_submitted(*, user_id: int) -> None:
    """A self-diagnostic changes the member's score at joining or latest score in each cohort."""
    members_refresh(membership_ids=list(CohortMembership.objects.filter(user_id=user_id, status=ACTIVE).values_list("pk", flat=True)),
                    diagnostics=True)


def member_names_refresh(*, user_ids) -> None:
    """The sort keys of the matrix follow a learner's name and association."""
    from accounts.models import User

    for user_id, name, association in User.objects.filter(pk__in=user_ids).values_list("pk", "display_name", "association__name"):
        CohortMembership.objects.filter(user_id=user_id).update(sort_name=name.casefold()[:150],
                                                                 sort_association=(association or "").casefold()[:200])


@transaction.atomic
def cohort_stats_rebuild(*, cohort_id: int) -> CohortStats:
    """Recompute every stored figure of a cohort from the base tables (members, enrolments,
    certificates, self-diagnostics). Locks the cohort's memberships first, so that a progress event
    running at the same time waits and then adds its difference to the rebuilt figures."""
    from accounts.models import User

    cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
    members = list(CohortMembership.objects.select_for_update().filter(cohort=cohort, status=ACTIVE).order_by("pk"))
    modules = list(CohortModule.objects.filter(cohort=cohort).order_by("position", "id"))
    for slot, cohort_module in enumerate(modules):
        if cohort_module.slot != slot:
            CohortModule.objects.filter(pk=cohort_module.pk).update(slot=slot)
    slots = {cm.module_id: slot for slot, cm in enumerate(modules)}
    user_ids = [m.user_id for m in members]
    names = {}
    cells: dict = {}
    certificates: dict = {}
    diagnostics: dict = {}
    for start in range(0, len(user_ids), 2000):  # bounded IN lists
        chunk = user_ids[start:start + 2000]
        cells.update(_cells(chunk, list(slots)))
        certificates.update(_certificates(chunk, list(slots)))
        diagnostics.update(_diagnostics(chunk))
        names.update({pk: (name, association) for pk, name, association in User.objects.filter(pk__in=chunk).values_list(
            "pk", "display_name", "association__name")})
    sums = Sums()
    updates = []
    for member in members:
        mine_cells, mine_certificates = cells.get(member.user_id, {}), certificates.get(member.user_id, {})
        figures = _figures(slots, mine_cells, mine_certificates, diagnostics.get(member.user_id, []), member.joined_at)
        sums.add(figures, slots, +1, _month_events(slots, mine_cells, mine_certificates, figures))
        name, association = names[member.user_id]
        updates.append((*(getattr(figures, n) for n in MEMBER_FIELDS), name.casefold()[:150], (association or "").casefold()[:200],
                        member.pk))
    adapt = connection.ops.adapt_datefield_value
    table = CohortMembership._meta.db_table
    assignments = ", ".join(f"{name} = %s" for name in (*MEMBER_FIELDS, "sort_name", "sort_association"))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 (names are ours)
                           [tuple(adapt(v) if isinstance(v, date) else v for v in row) for row in updates])
    CohortModuleStats.objects.filter(cohort=cohort).delete()
    CohortActivityDay.objects.filter(cohort=cohort).delete()
    CohortMonthStats.objects.filter(cohort=cohort).delete()
    CohortStats.objects.filter(cohort=cohort).delete()
    stats = CohortStats.objects.create(cohort=cohort, rebuilt_at=timezone.now(),
                                       **dict(sums.cohort))
    CohortModuleStats.objects.bulk_create([CohortModuleStats(cohort=cohort, module_id=module_id, **sums.modules.get(module_id, {}))
                                           for module_id in slots])
    CohortActivityDay.objects.bulk_create([CohortActivityDay(cohort=cohort, day=day, module_id=module_id, **counts)
                                           for (day, module_id), counts in sums.days.items() if any(counts.values())],
                                          batch_size=1000)
    CohortMonthStats.objects.bulk_create([CohortMonthStats(cohort=cohort, month=month, module_id=module_id, **counts)
                                          for (month, module_id), counts in sums.months.items() if any(counts.values())],
                                         batch_size=1000)
    return stats


def cohort_stats_snapshot(*, cohort_id: int) -> dict:
    """Every stored figure of a cohort as plain values (zero rows left out), to compare two states."""
    stats = CohortStats.objects.filter(cohort_id=cohort_id).values().first() or {}
    stats.pop("rebuilt_at", None)
    return {
        "cohort": stats,
        "modules": {m: c for m, *c in CohortModuleStats.objects.filter(cohort_id=cohort_id).values_list(
            "module_id", "started", "completed", "certificates")},
        "days": {(d, m): (n, o) for d, m, n, o in CohortActivityDay.objects.filter(cohort_id=cohort_id).values_list(
            "day", "module_id", "learners", "open") if n or o},
        "months": {(d, m): (c, k) for d, m, c, k in CohortMonthStats.objects.filter(cohort_id=cohort_id).values_list(
            "month", "module_id", "completed", "certificates") if c or k},
        "members": {row[0]: row[1:] for row in CohortMembership.objects.filter(cohort_id=cohort_id, status=ACTIVE).values_list(
            "user_id", *MEMBER_FIELDS)},
    }


def cohort_stats_check(*, cohort_id: int) -> dict:
    """The differences between the stored figures and a rebuild ({} when they agree). Rolls the rebuild back."""
    stored = cohort_stats_snapshot(cohort_id=cohort_id)
    with transaction.atomic():
        cohort_stats_rebuild(cohort_id=cohort_id)
        rebuilt = cohort_stats_snapshot(cohort_id=cohort_id)
        transaction.set_rollback(True)
    return {key: {"stored": stored[key], "rebuilt": rebuilt[key]} for key in stored if stored[key] != rebuilt[key]}


def cohort_stats_get(*, cohort: Cohort) -> CohortStats:
    """The cohort's stored header figures; rebuilt first when missing (a new cohort, an account deleted)."""
    stats = CohortStats.objects.filter(cohort=cohort).first()
    if stats is not None:
        stats.rebuilt_now = False
        return stats
    stats = cohort_stats_rebuild(cohort_id=cohort.pk)
    stats.rebuilt_now = True
    return stats


__all__ = ["Figures", "cohort_stats_check", "cohort_stats_get", "cohort_stats_rebuild", "cohort_stats_snapshot",
           "diagnostic_submitted", "enrollment_changed", "member_names_refresh", "members_refresh"]
