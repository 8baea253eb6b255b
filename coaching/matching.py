"""The explainable matching score: plain facts in, a ranked list with every component out.

Pure functions over dataclasses (no database access here), so the same request and coaches always
give the same ranking, and tests can build cases by hand. `coaching.selectors.coach_ranking` loads
the facts from the database in a fixed number of queries and calls `rank()`.

Score = sum over components of weight × value, value in [0, 1], weights summing to 100.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import LanguageLevel, Level

# The weights of the components (they sum to 100). Documented in docs/coaching.md.
WEIGHTS: dict[str, int] = {
    "skill": 35,
    "language": 15,
    "proximity": 15,
    "load": 15,
    "feedback": 10,
    "recency": 10,
}
COMPONENT_LABELS = {
    "skill": gettext_lazy("Skill fit and level"),
    "language": gettext_lazy("Language level"),
    "proximity": gettext_lazy("Place and time zone"),
    "load": gettext_lazy("Current load"),
    "feedback": gettext_lazy("Past feedback"),
    "recency": gettext_lazy("Time since last mission"),
}
# A matching free tag adds this share of its level to the topic skill value.
TAG_BONUS = 0.25
# A language the learner listed after their first one counts for this share of its level.
SECOND_LANGUAGE_FACTOR = 0.8
# Time-zone differences at or beyond this many hours score zero.
MAX_HOURS_APART = 12
# Days after which a coach's last mission no longer lowers their recency value.
RECENCY_FULL_DAYS = 180

REMOTE, IN_PERSON, EITHER = "remote", "in_person", "either"


@dataclass(frozen=True)
class RequestFacts:
    topic_key: str
    languages: tuple[str, ...]  # the learner's, first one preferred
    format: str  # remote | in_person | either
    country: str
    city: str
    time_zone: str
    monthly_hours: int
    starts_on: dt.date
    ends_on: dt.date
    text: str = ""  # the need and the expected result, where free tags are looked for
    learner_id: int | None = None


@dataclass(frozen=True)
class CoachFacts:
    profile_id: int
    user_id: int
    name: str
    country: str
    city: str
    works_remotely: bool
    works_in_person: bool
    time_zone: str
    monthly_capacity_hours: int
    committed_monthly_hours: int = 0
    topic_levels: dict[str, int] = field(default_factory=dict)  # topic key -> 1..3
    tags: dict[str, int] = field(default_factory=dict)  # free tag -> 1..3
    languages: dict[str, int] = field(default_factory=dict)  # language code -> 1..3
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    feedback_mean: float | None = None  # learners' mean rating 1..5 of past missions
    feedback_count: int = 0
    last_mission_at: dt.datetime | None = None
    declined: bool = False  # already declined this request
    pending: bool = False  # a proposal or offer for this request waits for an answer


@dataclass(frozen=True)
class Component:
    key: str
    weight: int
    value: float  # 0..1
    details: dict

    @property
    def points(self) -> float:
        return round(self.weight * self.value, 1)

    @property
    def label(self) -> str:
        return str(COMPONENT_LABELS[self.key])

    @property
    def reason(self) -> str:
        return component_reason(self.key, self.details)

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    def as_dict(self) -> dict:
        return {"key": self.key, "weight": self.weight, "value": round(self.value, 4), "points": self.points,
                "details": self.details}


@dataclass(frozen=True)
class Candidate:
    coach: CoachFacts
    score: float
    components: tuple[Component, ...]
    excluded_because: tuple[str, ...] = ()  # filter keys, see FILTER_MESSAGES

    @property
    def eligible(self) -> bool:
        return not self.excluded_because

    @property
    def exclusion_reasons(self) -> list[str]:
        return [str(FILTER_MESSAGES[key]) for key in self.excluded_because]

    def breakdown(self) -> dict:
        return {"score": self.score, "components": [c.as_dict() for c in self.components]}


FILTER_MESSAGES = {
    "self": gettext_lazy("A person cannot coach their own request."),
    "language": gettext_lazy("No language in common with the learner."),
    "remote": gettext_lazy("Does not coach remotely, and is not in the learner's city."),
    "place": gettext_lazy("The learner asked for in-person coaching in another city."),
    "capacity": gettext_lazy("Not enough hours left this month for this request."),
    "availability": gettext_lazy("Not available during the request's time frame."),
    "declined": gettext_lazy("Already declined this request."),
}


def _same_city(request: RequestFacts, coach: CoachFacts) -> bool:
    return bool(request.city.strip()) and request.country == coach.country and \
        request.city.strip().casefold() == coach.city.strip().casefold()


def _offset_hours(time_zone: str, when: dt.datetime) -> float:
    offset = when.astimezone(ZoneInfo(time_zone)).utcoffset() or dt.timedelta(0)
    return offset.total_seconds() / 3600


def hours_apart(request: RequestFacts, coach: CoachFacts) -> float:
    # Measured on the first day of the request, so the answer never depends on today's date.
    when = dt.datetime.combine(request.starts_on, dt.time(12), tzinfo=dt.UTC)
    return abs(_offset_hours(request.time_zone, when) - _offset_hours(coach.time_zone, when))


def hard_filter_failures(request: RequestFacts, coach: CoachFacts, *, check_capacity: bool = True) -> tuple[str, ...]:
    """The hard filters a coach fails for a request (empty: eligible)."""
    failures = []
    if request.learner_id is not None and coach.user_id == request.learner_id:
        failures.append("self")
    if not set(request.languages) & set(coach.languages):
        failures.append("language")
    same_city = _same_city(request, coach)
    if request.format == IN_PERSON:
        if not (coach.works_in_person and same_city):
            failures.append("place")
    elif request.format == REMOTE:
        if not coach.works_remotely:
            failures.append("remote")
    elif not (coach.works_remotely or (coach.works_in_person and same_city)):
        failures.append("remote")
    if check_capacity:
        if coach.monthly_capacity_hours - coach.committed_monthly_hours < request.monthly_hours:
            failures.append("capacity")
        if (coach.available_from and coach.available_from > request.ends_on) or \
                (coach.available_until and coach.available_until < request.starts_on):
            failures.append("availability")
    if coach.declined:
        failures.append("declined")
    return tuple(failures)


def _skill(request: RequestFacts, coach: CoachFacts) -> Component:
    level = coach.topic_levels.get(request.topic_key, 0)
    text = request.text.casefold()
    tags = sorted((tag, tag_level) for tag, tag_level in coach.tags.items() if tag.strip() and tag.casefold() in text)
    value = min(1.0, level / 3 + TAG_BONUS * sum(tag_level / 3 for _tag, tag_level in tags))
    return Component("skill", WEIGHTS["skill"], value,
                     {"topic": request.topic_key, "level": level, "tags": [tag for tag, _level in tags]})


def _language(request: RequestFacts, coach: CoachFacts) -> Component:
    best, best_language, first = 0.0, None, False
    for index, language in enumerate(request.languages):
        if language in coach.languages:
            value = coach.languages[language] / 3 * (1.0 if index == 0 else SECOND_LANGUAGE_FACTOR)
            if value > best:
                best, best_language, first = value, language, index == 0
    return Component("language", WEIGHTS["language"], best,
                     {"language": best_language, "level": coach.languages.get(best_language, 0), "first": first})


def _proximity(request: RequestFacts, coach: CoachFacts) -> Component:
    same_city = _same_city(request, coach)
    if request.format != REMOTE and coach.works_in_person and same_city:
        return Component("proximity", WEIGHTS["proximity"], 1.0, {"same_city": True, "city": coach.city})
    apart = hours_apart(request, coach)
    value = 1 - min(apart, MAX_HOURS_APART) / MAX_HOURS_APART
    return Component("proximity", WEIGHTS["proximity"], value, {"same_city": False, "hours_apart": apart})


def _load(request: RequestFacts, coach: CoachFacts) -> Component:
    capacity = max(coach.monthly_capacity_hours, 1)
    value = max(0.0, 1 - coach.committed_monthly_hours / capacity)
    return Component("load", WEIGHTS["load"], value,
                     {"committed": coach.committed_monthly_hours, "capacity": coach.monthly_capacity_hours})


def _feedback(request: RequestFacts, coach: CoachFacts) -> Component:
    if coach.feedback_mean is None:
        return Component("feedback", WEIGHTS["feedback"], 0.5, {"mean": None, "count": 0})
    return Component("feedback", WEIGHTS["feedback"], (coach.feedback_mean - 1) / 4,
                     {"mean": round(coach.feedback_mean, 2), "count": coach.feedback_count})


def _recency(request: RequestFacts, coach: CoachFacts, now: dt.datetime) -> Component:
    if coach.last_mission_at is None:
        return Component("recency", WEIGHTS["recency"], 1.0, {"days": None})
    days = max(0, (now - coach.last_mission_at).days)
    return Component("recency", WEIGHTS["recency"], min(days, RECENCY_FULL_DAYS) / RECENCY_FULL_DAYS, {"days": days})


def score_coach(request: RequestFacts, coach: CoachFacts, *, now: dt.datetime) -> Candidate:
    components = (
        _skill(request, coach),
        _language(request, coach),
        _proximity(request, coach),
        _load(request, coach),
        _feedback(request, coach),
        _recency(request, coach, now),
    )
    score = round(sum(c.weight * c.value for c in components), 1)
    return Candidate(coach=coach, score=score, components=components, excluded_because=hard_filter_failures(request, coach))


def rank(request: RequestFacts, coaches: list[CoachFacts], *, now: dt.datetime) -> tuple[list[Candidate], list[Candidate]]:
    """(eligible coaches best first, excluded coaches with their reasons). Ties: better skill, then oldest profile."""
    candidates = [score_coach(request, coach, now=now) for coach in coaches]
    eligible = [c for c in candidates if c.eligible]
    excluded = [c for c in candidates if not c.eligible]
    eligible.sort(key=lambda c: (-c.score, -c.components[0].value, c.coach.profile_id))
    excluded.sort(key=lambda c: (-c.score, c.coach.profile_id))
    return eligible, excluded


def _language_name(code: str | None) -> str:
    return dict(settings.LANGUAGES).get(code or "", code or "")


def component_reason(key: str, details: dict) -> str:
    """One sentence saying why a component has its value (in the active language)."""
    if key == "skill":
        level = details.get("level") or 0
        tags = ", ".join(details.get("tags") or [])
        if level:
            text = _("Declared level in this topic: %(level)s.") % {"level": Level(level).label}
        else:
            text = _("No declared skill in this topic.")
        if tags:
            text += " " + _("Skills named in the request: %(tags)s.") % {"tags": tags}
        return text
    if key == "language":
        if not details.get("language"):
            return _("No language in common.")
        values = {"language": _language_name(details["language"]), "level": LanguageLevel(details["level"]).label}
        if details.get("first"):
            return _("Speaks %(language)s (%(level)s), the learner's first language.") % values
        return _("Speaks %(language)s (%(level)s), one of the learner's languages.") % values
    if key == "proximity":
        if details.get("same_city"):
            return _("Lives in the learner's city (%(city)s).") % {"city": details.get("city", "")}
        apart = details.get("hours_apart") or 0
        if not apart:
            return _("Same time zone as the learner.")
        return _("%(hours)s hours of time difference with the learner.") % {"hours": f"{apart:g}"}
    if key == "load":
        return _("%(committed)s of %(capacity)s hours a month already committed.") % details
    if key == "feedback":
        if details.get("mean") is None:
            return _("No feedback yet: counted as average.")
        return ngettext("Learners rated past missions %(mean)s out of 5 (%(count)s rating).",
                        "Learners rated past missions %(mean)s out of 5 (%(count)s ratings).", details["count"]) % details
    if key == "recency":
        if details.get("days") is None:
            return _("No mission yet: first in line.")
        if not details["days"]:
            return _("Last mission started today.")
        return ngettext("Last mission started %(days)s day ago.", "Last mission started %(days)s days ago.",
                        details["days"]) % details
    return ""
