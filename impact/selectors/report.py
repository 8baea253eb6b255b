"""The figures of an impact report for a cohort, an intermediary or a network over a period.

`impact_report()` is the one function that computes them: the page, the PDF, the CSV and the API all
render its `figures` (tests/impact/test_report.py checks that they show the same numbers). Every figure
carries `n`, the number of people behind it; in a network's report a figure with n below the minimum
group size is withheld (None), like on the network's pages. Definitions are in METHOD_NOTES.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import Intermediary
from coaching.models import CoachingRequest, Feedback, Session
from cohorts.models import Cohort, CohortMembership, CohortModule, CohortMonthStats
from cohorts.selectors.dashboard import title_pick
from courses.models import DiagnosticArea, ModuleTranslation
from learners.models import DiagnosticResponse, LessonProgress, QuizAttempt

from ..models import ImpactReport, Network
from ..permissions import network_intermediary_ids
from .network import min_group_size
from .overview import Period, intermediary_cohorts

Scope = ImpactReport.Scope
STORIES_MAX = 6

METHOD_NOTES = [
    gettext_lazy("Reach counts the learners who are active members of the cohorts in the report at the time it is "
                 "produced, their associations (each counted once) and the places (country and city) of those associations."),
    gettext_lazy("Learning counts what happened during the period: lessons marked as done, modules completed (every "
                 "lesson done and the quiz passed where there is one), certificates issued and not revoked, and quiz "
                 "attempts (average score of every attempt; passed: learners with at least one passing attempt)."),
    gettext_lazy("Capacity compares, area by area, the first self-diagnostic each learner ever took (before) with the "
                 "latest one taken during the period (after), for the learners who took at least two. The number of "
                 "responses behind each figure is shown. Scores are self-assessments out of 100."),
    gettext_lazy("Coaching counts requests sent, matches made and missions completed during the period, and the hours "
                 "of the sessions held in it. The value of the pro bono hours is an estimate: hours × the rate set for "
                 "the site. It is not an amount paid by anyone."),
    gettext_lazy("Stories are comments that learners gave at the end of a mission and agreed to share; they are quoted "
                 "without a name."),
    gettext_lazy("What is not measured: whether the associations' work improved in the field, learners who left a "
                 "cohort, and anything outside Essor. The report describes what happened alongside the programme; it "
                 "does not show that the programme caused it, since there is no comparison group."),
]
NETWORK_NOTE = gettext_lazy("In a network's report, a figure based on fewer than %(k)s people is not shown (“< %(k)s”), "
                            "and no learner is named.")


@dataclass(slots=True)
class Figure:
    key: str  # stable: the CSV and the API use it
    label: str
    value: int | float | None  # None: withheld (below the minimum group size) or nothing to measure
    n: int | None = None  # people behind the figure (None: not a count of people)
    unit: str = ""
    decimals: int = 0
    withheld: bool = False
    counts_its_people: bool = False  # the value is the number of people behind it (learners, matches...)

    @property
    def display(self) -> str:
        if self.value is None and self.withheld:
            # "< 5" only where the figure counts those people: an average, hours or a sum of money withheld
            # because fewer than 5 people are behind it is not itself below 5.
            return f"< {min_group_size()}" if self.counts_its_people else f"— (n < {min_group_size()})"
        if self.value is None:
            return "—"
        text = number_format(self.value, decimal_pos=self.decimals, use_l10n=True, force_grouping=True)
        return f"{text} {self.unit}".strip()


@dataclass(slots=True)
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    scope: str
    scope_id: int
    scope_name: str
    period: Period
    language: str
    sections: list[Section]
    stories: list[str]
    months: list[dict]
    min_group_size: int | None  # set for a network's report
    currency: str
    rate: int

    @property
    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def as_dict(self) -> dict:
        return {
            "scope": self.scope, "scope_id": self.scope_id, "name": self.scope_name,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "language": self.language, "min_group_size": self.min_group_size, "currency": self.currency,
            # A network's report gives no base counts (they could be below the minimum group size).
            "figures": [{"key": f.key, "section": s.key, "label": f.label, "value": f.value, "unit": f.unit, "display": f.display,
                         "people": f.n is not None, "n": None if self.min_group_size else f.n}
                        for s in self.sections for f in s.figures],
            "stories": self.stories,
            "method_notes": [str(note) for note in method_notes(self)],
        }


def method_notes(report: Report) -> list[str]:
    notes = [str(note) for note in METHOD_NOTES]
    if report.min_group_size:
        notes.append(str(NETWORK_NOTE) % {"k": report.min_group_size})
    return notes


def report_scope(*, scope: str, scope_id: int) -> tuple[str, list[int] | None]:
    """The scope's name and, for a cohort, its id (the intermediary and network reports pick cohorts by period)."""
    if scope == Scope.COHORT:
        name = Cohort.objects.filter(pk=scope_id).values_list("name", flat=True).first()
    elif scope == Scope.INTERMEDIARY:
        name = Intermediary.objects.filter(pk=scope_id).values_list("name", flat=True).first()
    elif scope == Scope.NETWORK:
        name = Network.objects.filter(pk=scope_id).values_list("name", flat=True).first()
    else:
        name = None
    if name is None:
        raise Http404
    return name


def scope_cohort_ids(*, scope: str, scope_id: int, period: Period) -> list[int]:
    if scope == Scope.COHORT:
        return [scope_id]
    intermediary_ids = [scope_id] if scope == Scope.INTERMEDIARY else network_intermediary_ids(scope_id)
    return list(intermediary_cohorts(intermediary_ids=intermediary_ids, period=period).values_list("id", flat=True))


def _in(prefix: str, period: Period) -> Q:
    return Q(**{f"{prefix}__date__gte": period.start, f"{prefix}__date__lte": period.end})


def impact_report(*, scope: str, scope_id: int, period: Period | None = None, language: str | None = None) -> Report:
    """Every figure of the report, in a fixed number of queries (about fifteen) whatever the scope's size."""
    language = language or get_language() or settings.LANGUAGE_CODE
    period = period or Period.default()
    name = report_scope(scope=scope, scope_id=scope_id)
    cohort_ids = scope_cohort_ids(scope=scope, scope_id=scope_id, period=period)
    k = min_group_size() if scope == Scope.NETWORK else None
    rate, currency = int(settings.ESSOR_PRO_BONO_HOURLY_VALUE), settings.ESSOR_PRO_BONO_CURRENCY

    members = CohortMembership.objects.filter(cohort_id__in=cohort_ids, status=CohortMembership.Status.ACTIVE)
    member_users = members.values("user_id")
    module_ids = list(CohortModule.objects.filter(cohort_id__in=cohort_ids).values_list("module_id", flat=True).distinct())

    # Reach (two queries).
    reach = members.aggregate(leaders=Count("user", distinct=True), associations=Count("user__association", distinct=True))
    places = set(members.exclude(user__association__isnull=True).values_list(
        "user__association__country", "user__association__city").distinct())
    countries = {country for country, _city in places}
    intermediaries = Cohort.objects.filter(pk__in=cohort_ids).values("intermediary_id").distinct().count()

    # Learning (five queries).
    lessons_done = LessonProgress.objects.filter(user_id__in=member_users, lesson__module_id__in=module_ids).filter(
        _in("completed_at", period)).aggregate(n=Count("id"), people=Count("user", distinct=True))
    month_sums = CohortMonthStats.objects.filter(cohort_id__in=cohort_ids, module_id=0, month__gte=period.start.replace(day=1),
                                                 month__lte=period.end)
    totals = month_sums.aggregate(completed=Sum("completed"), certificates=Sum("certificates"))
    months = {m: {"month": m, "completed": 0, "certificates": 0} for m in period.months()}
    for month, completed, certificates in month_sums.values("month").annotate(
            c=Sum("completed"), t=Sum("certificates")).values_list("month", "c", "t"):
        if month in months:
            months[month].update(completed=completed or 0, certificates=certificates or 0)
    quiz_rows = list(QuizAttempt.objects.filter(user_id__in=member_users, quiz__module_id__in=module_ids).filter(
        _in("submitted_at", period)).values("quiz__module_id", "quiz__module__slug", "quiz__module__source_language").annotate(
        attempts=Count("id"), learners=Count("user", distinct=True), passed=Count("user", distinct=True, filter=Q(passed=True)),
        average=Avg("score")).order_by("quiz__module__slug"))
    titles: dict[int, dict] = defaultdict(dict)
    for mid, lang, title in ModuleTranslation.objects.filter(module_id__in=[r["quiz__module_id"] for r in quiz_rows]).values_list(
            "module_id", "language", "title"):
        titles[mid][lang] = title

    # Capacity (two queries): first response ever (before) and latest in the period (after), per learner.
    firsts, lasts, count = {}, {}, defaultdict(int)
    for user_id, created_at, scores, average in DiagnosticResponse.objects.filter(user_id__in=member_users, created_at__date__lte=
                                                                                  period.end).order_by("created_at", "id").values_list(
            "user_id", "created_at", "scores", "average"):
        count[user_id] += 1
        firsts.setdefault(user_id, (scores or {}, average))
        if timezone.localdate(created_at) >= period.start:
            lasts[user_id] = (scores or {}, average)
    pairs = [(firsts[u], lasts[u]) for u in lasts if count[u] >= 2]
    areas = list(DiagnosticArea.objects.order_by("diagnostic_id", "position").values_list("key", "titles"))

    # Coaching (three queries).
    requests = CoachingRequest.objects.filter(cohort_id__in=cohort_ids).exclude(status=CoachingRequest.Status.DRAFT)
    coaching = requests.aggregate(
        requested=Count("id", filter=_in("created_at", period)),
        requesters=Count("learner", distinct=True, filter=_in("created_at", period)),
        matched=Count("mission", filter=_in("mission__created_at", period)),
        completed=Count("mission", filter=Q(mission__completed_at__isnull=False) & _in("mission__completed_at", period)),
        completed_people=Count("learner", distinct=True,
                               filter=Q(mission__completed_at__isnull=False) & _in("mission__completed_at", period)),
    )
    sessions = Session.objects.filter(
        mission__request__cohort_id__in=cohort_ids, held_on__gte=period.start, held_on__lte=period.end).aggregate(
        minutes=Sum("duration_minutes"), n=Count("id"), people=Count("mission__request__learner", distinct=True))
    feedback = Feedback.objects.filter(mission__request__cohort_id__in=cohort_ids, role=Feedback.Role.LEARNER).filter(
        _in("created_at", period))
    rating = feedback.aggregate(average=Avg("rating"), n=Count("id"))
    stories = list(feedback.filter(share_consent=True).exclude(comment="").order_by("-rating", "-created_at", "-id")
                   .values_list("comment", flat=True)[:STORIES_MAX])

    hours = round((sessions["minutes"] or 0) / 60, 1)

    def fig(key, label, value, n=None, **kwargs) -> Figure:
        figure = Figure(key=key, label=str(label), value=value, n=n, **kwargs)
        if k is not None and figure.n is not None and figure.n < k:
            figure.counts_its_people = figure.value == figure.n
            figure.value, figure.withheld = None, True
        return figure

    reach_section = Section("reach", _("Reach"), [
        fig("reach.cohorts", _("Cohorts"), len(cohort_ids)),
        *([fig("reach.intermediaries", _("Intermediaries"), intermediaries)] if scope == Scope.NETWORK else []),
        fig("reach.leaders", _("Association leaders (learners)"), reach["leaders"], n=reach["leaders"]),
        fig("reach.associations", _("Associations"), reach["associations"], n=reach["associations"]),
        # Counts of places, not of people: shown whatever their size (a city names nobody).
        fig("reach.places", _("Places (cities)"), len(places)),
        fig("reach.countries", _("Countries"), len(countries)),
    ])
    learning = Section("learning", _("Learning"), [
        fig("learning.lessons", _("Lessons done"), lessons_done["n"], n=lessons_done["people"]),
        fig("learning.modules_completed", _("Modules completed"), totals["completed"] or 0, n=totals["completed"] or 0),
        fig("learning.certificates", _("Certificates issued"), totals["certificates"] or 0, n=totals["certificates"] or 0),
    ])
    for row in quiz_rows:
        mid = row["quiz__module_id"]
        title = title_pick(titles[mid], language, row["quiz__module__source_language"], row["quiz__module__slug"])
        slug = row["quiz__module__slug"]
        learning.figures += [
            fig(f"quiz.{slug}.learners", _("Quiz “%(module)s”: learners who tried") % {"module": title}, row["learners"],
                n=row["learners"]),
            fig(f"quiz.{slug}.passed", _("Quiz “%(module)s”: learners who passed") % {"module": title}, row["passed"],
                n=row["passed"]),
            fig(f"quiz.{slug}.average", _("Quiz “%(module)s”: average score") % {"module": title},
                round(row["average"]) if row["average"] is not None else None, n=row["learners"], unit="/ 100"),
        ]
    capacity = Section("capacity", _("Capacity (self-diagnostic)"))
    overall = [(b[1], a[1]) for b, a in pairs]
    capacity.figures.append(fig("capacity.responses", _("Learners with a self-diagnostic before and after"), len(pairs), n=len(pairs)))
    if overall:
        capacity.figures += [
            fig("capacity.overall.before", _("All areas: before"), round(sum(b for b, _a in overall) / len(overall)), n=len(overall),
                unit="/ 100"),
            fig("capacity.overall.after", _("All areas: after"), round(sum(a for _b, a in overall) / len(overall)), n=len(overall),
                unit="/ 100"),
        ]
    seen_areas = set()
    for key, area_titles in areas:
        if key in seen_areas:
            continue
        seen_areas.add(key)
        both = [(b[0][key], a[0][key]) for b, a in pairs
                if isinstance(b[0].get(key), (int, float)) and isinstance(a[0].get(key), (int, float))]
        if not both:
            continue
        title = title_pick(area_titles or {}, language, settings.LANGUAGE_CODE, key)
        capacity.figures += [
            fig(f"capacity.{key}.before", _("%(area)s: before") % {"area": title}, round(sum(b for b, _a in both) / len(both)),
                n=len(both), unit="/ 100"),
            fig(f"capacity.{key}.after", _("%(area)s: after") % {"area": title}, round(sum(a for _b, a in both) / len(both)),
                n=len(both), unit="/ 100"),
            fig(f"capacity.{key}.responses", _("%(area)s: responses") % {"area": title}, len(both), n=len(both)),
        ]
    coaching_section = Section("coaching", _("Pro bono coaching"), [
        fig("coaching.requested", _("Coaching requests"), coaching["requested"], n=coaching["requesters"]),
        fig("coaching.matched", _("Matches"), coaching["matched"], n=coaching["matched"]),
        fig("coaching.completed", _("Missions completed"), coaching["completed"], n=coaching["completed_people"]),
        fig("coaching.sessions", _("Sessions held"), sessions["n"], n=sessions["people"]),
        fig("coaching.hours", _("Hours given by the coaches"), hours, n=sessions["people"], decimals=1),
        fig("coaching.value", _("Estimated value of the pro bono hours"), round(hours * rate), n=sessions["people"], unit=currency),
        fig("coaching.rating", _("Learners' rating of the missions"), round(rating["average"], 1) if rating["average"] else None,
            n=rating["n"], unit="/ 5", decimals=1),
    ])
    return Report(scope=scope, scope_id=scope_id, scope_name=name, period=period, language=language,
                  sections=[reach_section, learning, capacity, coaching_section], stories=stories,
                  months=[{"month": m["month"],
                           "completed": None if k and m["completed"] < k else m["completed"],
                           "certificates": None if k and m["certificates"] < k else m["certificates"]}
                          for m in months.values()],
                  min_group_size=k, currency=currency, rate=rate)


def report_csv_rows(report: Report) -> list[list]:
    """The CSV of the figures: one row per figure, the raw value (empty when withheld) and its base."""
    rows = [["section", "key", "label", "value", "unit", "n"]]
    for section in report.sections:
        for f in section.figures:
            rows.append([section.key, f.key, f.label, "" if f.value is None else f.value, f.unit,
                         "" if f.n is None or report.min_group_size else f.n])
    return rows


