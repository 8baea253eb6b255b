"""A network's view: the accepted intermediaries side by side, aggregates only, with small cells
suppressed. Nothing here reads a learner's name or email; every count below the minimum group size
(settings.ESSOR_NETWORK_MIN_GROUP_SIZE) is replaced by None, shown as "< 5", and an average or a
sum of hours is shown only when the number of people behind it reaches the minimum."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from accounts.models import Intermediary

from ..models import Network
from ..permissions import network_intermediary_ids
from .overview import Line, Overview, Period, intermediary_cohorts, overview_for_cohorts


def min_group_size() -> int:
    return max(2, int(getattr(settings, "ESSOR_NETWORK_MIN_GROUP_SIZE", 5)))


def safe(value: int, k: int) -> int | None:
    return value if value >= k else None


def safe_line(line: Line, k: int, module_ids: list[int]) -> dict:
    """A line's figures with every count below k suppressed (None); nothing at all for a group below k."""
    small = line.learners < k
    modules = {}
    for mid in module_ids:
        counts = line.modules.get(mid)
        modules[mid] = None if counts is None else {key: None if small else safe(value, k) for key, value in counts.items()}
    diagnostic_ok = not small and line.diagnostic_learners >= k
    coaching_ok = not small and line.coaching["matched"] >= k
    return {
        "id": line.group, "name": line.name,
        "learners": None if small else line.learners,
        "active_last_7_days": None if small else safe(line.active, k),
        "started": None if small else safe(line.started, k),
        "completed_all_modules": None if small else safe(line.completed_all, k),
        "certificates": None if small else safe(line.certificates, k),
        "completed_in_period": None if small else safe(line.completed_in_period, k),
        "certificates_in_period": None if small else safe(line.certificates_in_period, k),
        "modules": modules,
        "diagnostic": {"learners": line.diagnostic_learners if diagnostic_ok else None,
                       "before": line.diagnostic_before if diagnostic_ok else None,
                       "after": line.diagnostic_after if diagnostic_ok else None},
        "coaching": {"requested": None if small else safe(line.coaching["requested"], k),
                     "matched": None if small else safe(line.coaching["matched"], k),
                     "completed": None if small else safe(line.coaching["completed"], k),
                     "hours_given": line.hours_given if coaching_ok else None},
    }


@dataclass(slots=True)
class NetworkView:
    network: Network
    period: Period
    module_id: int | None
    min_group_size: int
    modules: list[tuple[int, str]]
    intermediaries: list[dict]  # safe lines, one per accepted intermediary
    total: dict
    months: list[dict]  # {"month", "completed", "certificates"}, suppressed below k

    def as_dict(self) -> dict:
        return {
            "network": {"id": self.network.pk, "name": self.network.name},
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "module": self.module_id, "min_group_size": self.min_group_size,
            "modules": [{"id": mid, "title": title} for mid, title in self.modules],
            "intermediaries": [{**line, "modules": {str(k): v for k, v in line["modules"].items()}} for line in self.intermediaries],
            "total": {**self.total, "modules": {str(k): v for k, v in self.total["modules"].items()}},
            "months": [{"month": m["month"].isoformat()[:7], "completed": m["completed"], "certificates": m["certificates"]}
                       for m in self.months],
        }


def network_lines(*, network: Network, period: Period, module_id: int | None = None, language: str | None = None,
                  today: date | None = None) -> tuple[Overview, list[Line], dict[int, str]]:
    """The raw (unsuppressed) lines per intermediary: for the report's totals and this module only."""
    ids = network_intermediary_ids(network.pk)
    names = dict(Intermediary.objects.filter(pk__in=ids).values_list("id", "name"))
    overview = overview_for_cohorts(cohorts=intermediary_cohorts(intermediary_ids=ids, period=period), period=period,
                                    module_id=module_id, language=language, today=today)
    groups: dict[int, Line] = {iid: Line(id=None, name=names[iid], group=iid) for iid in sorted(names, key=lambda i: names[i].casefold())}
    for line in overview.lines:
        groups[line.group].add(line)
    return overview, list(groups.values()), names


def network_view(*, network: Network, period: Period | None = None, module_id: int | None = None,
                 language: str | None = None, today: date | None = None) -> NetworkView:
    """Nine queries whatever the number of intermediaries, cohorts and learners."""
    period = period or Period.default(today)
    k = min_group_size()
    overview, lines, _names = network_lines(network=network, period=period, module_id=module_id, language=language, today=today)
    module_ids = [mid for mid, _title in overview.modules]
    total = Line(id=None, name="", group=None)
    for line in lines:
        total.add(line)
    months = [{"month": m["month"], "completed": safe(m["completed"], k), "certificates": safe(m["certificates"], k)}
              for m in overview.months]
    return NetworkView(network=network, period=period, module_id=module_id, min_group_size=k, modules=overview.modules,
                       intermediaries=[safe_line(line, k, module_ids) for line in lines],
                       total=safe_line(total, k, module_ids), months=months)
