"""Every read the coaching pages, the API and the cohort dashboard need, filtered by permission."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from cohorts.models import Cohort, CohortMembership, CohortModule
from courses.models import Module, ModuleTranslation, Topic
from learners.models import Certificate, DiagnosticResponse, Enrollment

from . import matching
from .models import (
    ACTIVE_MISSION_STATUSES,
    CoachingRequest,
    CoachProfile,
    Feedback,
    Mission,
    Proposal,
    Session,
)
from .permissions import active_memberships_of_staff, is_coaching_staff, staff_intermediary_ids, staff_request_q

Status = CoachingRequest.Status

# Default time zone of a request, from the country of the learner's association.
COUNTRY_TIME_ZONES = {"FR": "Europe/Paris", "CN": "Asia/Shanghai"}


# --- Coaches ------------------------------------------------------------------------------------

def coach_profile_get(*, user) -> CoachProfile | None:
    if not user.is_authenticated:
        return None
    return CoachProfile.objects.filter(user=user).prefetch_related("skills__topic", "languages").first()


def coach_list_for_staff(*, user, vetted: bool | None = None) -> QuerySet[CoachProfile]:
    """Coaches form one pool that every intermediary's staff can see and vet."""
    if not is_coaching_staff(user):
        return CoachProfile.objects.none()
    profiles = CoachProfile.objects.select_related("user", "vetted_by").prefetch_related("skills__topic", "languages")
    if vetted is not None:
        profiles = profiles.filter(is_vetted=vetted)
    return profiles.order_by("is_vetted", "user__display_name", "id")


def coach_committed_hours(*, profile_ids: list[int]) -> dict[int, int]:
    """Hours per month reserved by each coach's running missions."""
    rows = (Mission.objects.filter(coach_id__in=profile_ids, request__status__in=ACTIVE_MISSION_STATUSES)
            .values("coach_id").annotate(hours=Sum("monthly_hours")))
    return {row["coach_id"]: row["hours"] or 0 for row in rows}


def coach_facts(*, profiles: list[CoachProfile], request: CoachingRequest | None = None) -> list[matching.CoachFacts]:
    """The matching facts of these coaches (skills and languages prefetched), in a fixed number of queries."""
    ids = [p.id for p in profiles]
    committed = coach_committed_hours(profile_ids=ids)
    feedback = {
        row["mission__coach_id"]: row
        for row in Feedback.objects.filter(mission__coach_id__in=ids, role=Feedback.Role.LEARNER)
        .values("mission__coach_id").annotate(mean=Avg("rating"), count=Count("id"))
    }
    last_mission = dict(Mission.objects.filter(coach_id__in=ids).values("coach_id").annotate(last=Max("created_at"))
                        .values_list("coach_id", "last"))
    declined, pending = set(), set()
    if request is not None and request.pk:
        for coach_id, status in Proposal.objects.filter(request=request, coach_id__in=ids).values_list("coach_id", "status"):
            if status == Proposal.Status.DECLINED:
                declined.add(coach_id)
            elif status == Proposal.Status.PENDING:
                pending.add(coach_id)
    facts = []
    for p in profiles:
        skills = list(p.skills.all())
        facts.append(matching.CoachFacts(
            profile_id=p.id, user_id=p.user_id, name=p.user.display_name, country=p.country, city=p.city,
            works_remotely=p.works_remotely, works_in_person=p.works_in_person, time_zone=p.time_zone,
            monthly_capacity_hours=p.monthly_capacity_hours, committed_monthly_hours=committed.get(p.id, 0),
            topic_levels={s.topic.key: s.level for s in skills if s.topic_id},
            tags={s.tag: s.level for s in skills if s.tag},
            languages={lang.language: lang.level for lang in p.languages.all()},
            available_from=p.available_from, available_until=p.available_until,
            feedback_mean=float(feedback[p.id]["mean"]) if p.id in feedback else None,
            feedback_count=feedback[p.id]["count"] if p.id in feedback else 0,
            last_mission_at=last_mission.get(p.id), declined=p.id in declined, pending=p.id in pending,
        ))
    return facts


def request_facts(request: CoachingRequest) -> matching.RequestFacts:
    return matching.RequestFacts(
        topic_key=request.topic.key, languages=tuple(request.languages), format=request.format, country=request.country,
        city=request.city, time_zone=request.time_zone, monthly_hours=request.monthly_hours, starts_on=request.starts_on,
        ends_on=request.ends_on, text=f"{request.need}\n{request.expected_result}", learner_id=request.learner_id,
    )


@dataclass
class Ranking:
    eligible: list[matching.Candidate]
    excluded: list[matching.Candidate]
    profiles: dict[int, CoachProfile] = field(default_factory=dict)

    def candidate_for(self, profile_id: int) -> matching.Candidate | None:
        for candidate in self.eligible + self.excluded:
            if candidate.coach.profile_id == profile_id:
                return candidate
        return None


def coach_ranking(*, request: CoachingRequest, now: dt.datetime | None = None, profile_ids: list[int] | None = None) -> Ranking:
    """All vetted coaches for a request: the eligible ones ranked, the others with the filters they fail."""
    profiles = CoachProfile.objects.filter(is_vetted=True).select_related("user").prefetch_related("skills__topic", "languages")
    if profile_ids is not None:
        profiles = profiles.filter(id__in=profile_ids)
    profiles = list(profiles.order_by("id"))
    eligible, excluded = matching.rank(request_facts(request), coach_facts(profiles=profiles, request=request),
                                       now=now or timezone.now())
    return Ranking(eligible=eligible, excluded=excluded, profiles={p.id: p for p in profiles})


# --- Requests -----------------------------------------------------------------------------------

def _requests() -> QuerySet[CoachingRequest]:
    return CoachingRequest.objects.select_related("learner", "topic", "module", "cohort", "association", "intermediary")


def request_list_for_learner(*, user) -> QuerySet[CoachingRequest]:
    if not user.is_authenticated:
        return CoachingRequest.objects.none()
    return _requests().filter(learner=user)


def request_list_for_staff(*, user, status: str | None = None) -> QuerySet[CoachingRequest]:
    if not is_coaching_staff(user):
        return CoachingRequest.objects.none()
    requests = _requests().filter(staff_request_q(user))
    if status:
        requests = requests.filter(status=status)
    return requests


def request_list_for_coach(*, user) -> QuerySet[CoachingRequest]:
    """Requests proposed to this coach, offered on by them, or matched with them."""
    if not user.is_authenticated:
        return CoachingRequest.objects.none()
    proposed = Proposal.objects.filter(request_id=OuterRef("pk"), coach__user=user)
    return _requests().filter(Q(Exists(proposed)) | Q(mission__coach__user=user))


def request_list_for_user(*, user) -> QuerySet[CoachingRequest]:
    """Every request a user may open, whatever their role (the marketplace aside)."""
    if not user.is_authenticated:
        return CoachingRequest.objects.none()
    proposed = Proposal.objects.filter(request_id=OuterRef("pk"), coach__user=user)
    q = Q(learner=user) | Q(Exists(proposed)) | Q(mission__coach__user=user)
    if is_coaching_staff(user):
        q |= staff_request_q(user)
    return _requests().filter(q)


def request_roles(*, user, request: CoachingRequest) -> set[str]:
    """How a user relates to a request: "learner", "staff", "coach" (proposed, matched or marketplace)."""
    roles = set()
    if not user.is_authenticated:
        return roles
    if request.learner_id == user.id:
        roles.add("learner")
    if is_coaching_staff(user) and CoachingRequest.objects.filter(staff_request_q(user), pk=request.pk).exists():
        roles.add("staff")
    if user.is_coach:
        involved = Proposal.objects.filter(request=request, coach__user=user).exists() or \
            Mission.objects.filter(request=request, coach__user=user).exists()
        if involved or marketplace_list(user=user, request_ids=[request.pk]):
            roles.add("coach")
    return roles


def request_transitions(*, request: CoachingRequest):
    return request.transitions.select_related("by").order_by("at", "id")


def request_proposals(*, request: CoachingRequest) -> QuerySet[Proposal]:
    return request.proposals.select_related("coach__user", "created_by", "responded_by").order_by("-created_at", "-id")


@dataclass
class Prefill:
    """What Essor already knows when a learner asks for coaching after a module."""

    module: Module | None
    module_title: str
    topic: Topic | None
    certificate: Certificate | None
    diagnostic: DiagnosticResponse | None
    diagnostic_score: int | None
    association: object | None
    cohort: Cohort | None
    languages: list[str]
    country: str
    city: str
    time_zone: str


def module_title(module: Module | None, language: str) -> str:
    if module is None:
        return ""
    titles = dict(ModuleTranslation.objects.filter(module=module).values_list("language", "title"))
    return titles.get(language) or titles.get(module.source_language) or next(iter(titles.values()), module.slug)


def certificate_list_for_learner(*, user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user, revoked_at__isnull=True).select_related("module__topic").order_by("-issued_at")


def request_prefill(*, user, module: Module | None = None, topic: Topic | None = None, language: str = "") -> Prefill:
    """Pre-fill a request from the learner's certificate, latest diagnostic, association, languages and cohort."""
    language = language or user.preferred_language
    topic = module.topic if module is not None else topic
    certificate = None
    if module is not None:
        certificate = Certificate.objects.filter(user=user, module=module, revoked_at__isnull=True).first()
    diagnostic = DiagnosticResponse.objects.filter(user=user).order_by("-created_at", "-id").first()
    score = None
    if diagnostic is not None and topic is not None:
        value = (diagnostic.scores or {}).get(topic.key)
        score = int(value) if isinstance(value, (int, float)) else None
    memberships = list(CohortMembership.objects.filter(user=user, status=CohortMembership.Status.ACTIVE)
                       .select_related("cohort").order_by("-joined_at", "-id"))
    cohort = None
    if module is not None and memberships:
        with_module = set(CohortModule.objects.filter(cohort_id__in=[m.cohort_id for m in memberships], module=module)
                          .values_list("cohort_id", flat=True))
        cohort = next((m.cohort for m in memberships if m.cohort_id in with_module), None)
    if cohort is None and memberships:
        cohort = memberships[0].cohort
    codes = dict(settings.LANGUAGES)
    languages = [user.preferred_language] if user.preferred_language in codes else []
    for code in Enrollment.objects.filter(user=user).order_by("-last_activity_at").values_list("content_language", flat=True):
        if code in codes and code not in languages:
            languages.append(code)
    association = user.association
    country = association.country if association else "FR"
    return Prefill(
        module=module, module_title=module_title(module, language), topic=topic, certificate=certificate,
        diagnostic=diagnostic, diagnostic_score=score, association=association, cohort=cohort,
        languages=languages or [settings.LANGUAGE_CODE], country=country, city=association.city if association else "",
        time_zone=COUNTRY_TIME_ZONES.get(country, settings.TIME_ZONE),
    )


def learner_list_for_staff(*, user):
    """Learners with an active membership in a cohort of the staff member's intermediaries (for
    opening a request for them); every learner for an admin."""
    from accounts.models import User

    if user.is_superuser:
        return User.objects.filter(is_learner=True).order_by("display_name", "id")
    if not is_coaching_staff(user):
        return User.objects.none()
    active = active_memberships_of_staff(user).filter(user_id=OuterRef("pk"))
    return User.objects.filter(Exists(active)).order_by("display_name", "id")


# --- Marketplace --------------------------------------------------------------------------------

@dataclass
class MarketItem:
    request: CoachingRequest
    candidate: matching.Candidate
    pending_kind: str | None = None  # "proposal" or "offer" when one waits for an answer
    pending_id: int | None = None

    @property
    def offered(self) -> bool:
        return self.pending_kind is not None

    @property
    def has_capacity(self) -> bool:
        return "capacity" not in self.candidate.excluded_because and "availability" not in self.candidate.excluded_because


def marketplace_list(*, user, request_ids: list[int] | None = None, now: dt.datetime | None = None) -> list[MarketItem]:
    """Open requests that fit a vetted coach: a topic they declared and a language they speak,
    in a place they can work. Capacity is shown, not filtered (the offer says if it is short)."""
    profile = coach_profile_get(user=user)
    if profile is None or not profile.is_vetted:
        return []
    topic_ids = [s.topic_id for s in profile.skills.all() if s.topic_id]
    if not topic_ids:
        return []
    requests = (_requests().filter(status__in=[Status.OPEN, Status.PROPOSED], topic_id__in=topic_ids)
                .exclude(learner=user).order_by("-created_at", "-id"))
    if request_ids is not None:
        requests = requests.filter(pk__in=request_ids)
    requests = list(requests[:200])
    [coach] = coach_facts(profiles=[profile])
    answers, pending = defaultdict(set), {}
    for pk, request_id, status, kind in Proposal.objects.filter(coach=profile, request__in=requests) \
            .values_list("pk", "request_id", "status", "kind"):
        answers[request_id].add(status)
        if status == Proposal.Status.PENDING:
            pending[request_id] = (kind, pk)
    now = now or timezone.now()
    items = []
    for request in requests:
        if Proposal.Status.DECLINED in answers[request.id]:
            continue
        facts = request_facts(request)
        place_and_language = matching.hard_filter_failures(facts, coach, check_capacity=False)
        if place_and_language:
            continue
        candidate = matching.score_coach(facts, coach, now=now)
        kind, pk = pending.get(request.id, (None, None))
        items.append(MarketItem(request=request, candidate=candidate, pending_kind=kind, pending_id=pk))
    return items


# --- Proposals ------------------------------------------------------------------------------------

def proposal_list_for_coach(*, user) -> QuerySet[Proposal]:
    return (Proposal.objects.filter(coach__user=user).select_related("request__topic", "request__module", "request__learner")
            .order_by("-created_at", "-id"))


def proposal_list_for_user(*, user) -> QuerySet[Proposal]:
    """Proposals a user may see: theirs as a coach, those on their requests, those on requests they follow."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    visible = request_list_for_user(user=user).values("pk")
    return (Proposal.objects.filter(Q(coach__user=user) | Q(request__in=visible))
            .select_related("request__topic", "coach__user").order_by("-created_at", "-id"))


# --- Missions ----------------------------------------------------------------------------------

def _missions() -> QuerySet[Mission]:
    return Mission.objects.select_related("request__learner", "request__topic", "request__module", "request__association",
                                          "request__cohort", "coach__user")


def mission_list_for_user(*, user) -> QuerySet[Mission]:
    if not user.is_authenticated:
        return Mission.objects.none()
    q = Q(request__learner=user) | Q(coach__user=user)
    if is_coaching_staff(user):
        q |= Q(request__in=CoachingRequest.objects.filter(staff_request_q(user)).values("pk"))
    return _missions().filter(q).order_by("-created_at", "-id")


def mission_sessions(*, mission: Mission) -> QuerySet[Session]:
    return mission.sessions.select_related("logged_by").order_by("-held_on", "-id")


def diagnostic_after(*, mission: Mission) -> DiagnosticResponse | None:
    """The learner's first self-diagnostic taken after the mission was completed."""
    if mission.completed_at is None:
        return None
    return (DiagnosticResponse.objects.filter(user_id=mission.request.learner_id, created_at__gte=mission.completed_at)
            .order_by("created_at", "id").first())


def diagnostic_change(*, mission: Mission) -> dict | None:
    """{"area", "before", "after", "change"} when both diagnostics have the mission's area."""
    request = mission.request
    after = diagnostic_after(mission=mission)
    if after is None or request.diagnostic_before_id is None:
        return None
    before = DiagnosticResponse.objects.filter(pk=request.diagnostic_before_id).values_list("scores", flat=True).first()
    area = request.topic.key
    if not before or area not in before or area not in (after.scores or {}):
        return None
    return {"area": area, "before": before[area], "after": after.scores[area], "change": after.scores[area] - before[area]}


def session_reminders_due(*, today: dt.date | None = None) -> list[tuple[int, str]]:
    """(mission id, quiet-since date) of running missions with no session for the configured days."""
    today = today or timezone.localdate()
    days = settings.COACHING_SESSION_REMINDER_DAYS
    due = []
    for mission_id, last_session_on, created_at in Mission.objects.filter(request__status__in=ACTIVE_MISSION_STATUSES,
                                                                          completed_at__isnull=True).values_list(
            "id", "last_session_on", "created_at"):
        since = last_session_on or timezone.localtime(created_at).date()
        if (today - since).days >= days:
            due.append((mission_id, since.isoformat()))
    return due


# --- Cohort reports -----------------------------------------------------------------------------

def cohort_list_for_staff(*, user) -> QuerySet[Cohort]:
    if user.is_superuser:
        return Cohort.objects.select_related("intermediary").all()
    return Cohort.objects.select_related("intermediary").filter(intermediary_id__in=staff_intermediary_ids(user))


def _active_in_request_cohort():
    return CohortMembership.objects.filter(cohort_id=OuterRef("cohort_id"), user_id=OuterRef("learner_id"),
                                           status=CohortMembership.Status.ACTIVE)


def _current_members_requests() -> QuerySet[CoachingRequest]:
    """A cohort's requests count while their learner is a member: leaving takes them out of its
    lists and figures, as it does on the cohort dashboard."""
    return CoachingRequest.objects.filter(Exists(_active_in_request_cohort()))


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def cohort_coaching_summary(*, cohort_ids: list[int]) -> dict[int, dict]:
    """Per cohort: requested, matched, in_progress, completed, hours_given, satisfaction, diagnostic_change.

    - requested: requests sent (drafts not counted); matched: requests that got a coach (whatever
      happened next); in_progress: missions running now (matched or in progress); completed.
    - hours_given: hours of the sessions logged; satisfaction: mean of the learners' ratings (1–5).
    - diagnostic_change: mean, over completed missions, of (area score in the first diagnostic taken
      after completion) − (area score in the diagnostic before the request), in the request's topic.
    Four queries, whatever the number of cohorts and requests.
    """
    summary = {cid: {"requested": 0, "matched": 0, "in_progress": 0, "completed": 0, "hours_given": 0.0,
                     "satisfaction": None, "diagnostic_change": None} for cid in cohort_ids}
    if not cohort_ids:
        return summary
    rows = list(_current_members_requests().filter(cohort_id__in=cohort_ids).exclude(status=Status.DRAFT).values_list(
        "id", "cohort_id", "status", "learner_id", "topic__key", "diagnostic_before_id",
        "mission__id", "mission__minutes_logged", "mission__completed_at"))
    mission_cohort = {row[6]: row[1] for row in rows if row[6]}
    ratings = defaultdict(list)
    for mission_id, rating in Feedback.objects.filter(mission_id__in=list(mission_cohort), role=Feedback.Role.LEARNER) \
            .values_list("mission_id", "rating"):
        ratings[mission_cohort[mission_id]].append(rating)
    completed = [row for row in rows if row[2] == Status.COMPLETED and row[5] and row[8]]
    before_scores, after_by_learner = {}, defaultdict(list)
    if completed:
        before_scores = dict(DiagnosticResponse.objects.filter(pk__in={row[5] for row in completed})
                             .values_list("id", "scores"))
        earliest = min(row[8] for row in completed)
        for user_id, created_at, scores in DiagnosticResponse.objects.filter(
                user_id__in={row[3] for row in completed}, created_at__gte=earliest
        ).order_by("created_at", "id").values_list("user_id", "created_at", "scores"):
            after_by_learner[user_id].append((created_at, scores or {}))
    changes = defaultdict(list)
    minutes = defaultdict(int)
    for _id, cohort_id, status, learner_id, area, before_id, mission_id, minutes_logged, completed_at in rows:
        entry = summary[cohort_id]
        entry["requested"] += 1
        if mission_id:
            entry["matched"] += 1
            minutes[cohort_id] += minutes_logged or 0
        if status in ACTIVE_MISSION_STATUSES:
            entry["in_progress"] += 1
        elif status == Status.COMPLETED:
            entry["completed"] += 1
            before = (before_scores.get(before_id) or {}).get(area)
            after = next((scores.get(area) for created_at, scores in after_by_learner.get(learner_id, [])
                          if completed_at and created_at >= completed_at), None)
            if isinstance(before, (int, float)) and isinstance(after, (int, float)):
                changes[cohort_id].append(after - before)
    for cohort_id, entry in summary.items():
        entry["hours_given"] = round(minutes[cohort_id] / 60, 1)
        entry["satisfaction"] = _mean(ratings[cohort_id])
        entry["diagnostic_change"] = _mean(changes[cohort_id])
    return summary


def cohort_mission_rows(*, cohort: Cohort) -> list[dict]:
    """The requests and missions of the cohort's current members, with the ratings (fixed queries).
    Self-diagnostic scores are not in the rows: staff see them only as the cohort's average change."""
    requests = list(_requests().filter(cohort=cohort).filter(Exists(_active_in_request_cohort())).exclude(status=Status.DRAFT)
                    .select_related("mission__coach__user").order_by("-created_at", "-id"))
    mission_ids = [r.mission.id for r in requests if hasattr(r, "mission")]
    ratings = defaultdict(dict)
    for mission_id, role, rating in Feedback.objects.filter(mission_id__in=mission_ids).values_list("mission_id", "role", "rating"):
        ratings[mission_id][role] = rating
    rows = []
    for r in requests:
        mission = getattr(r, "mission", None)
        rows.append({"request": r, "mission": mission,
                     "learner_rating": ratings[mission.id].get(Feedback.Role.LEARNER) if mission else None,
                     "coach_rating": ratings[mission.id].get(Feedback.Role.COACH) if mission else None})
    return rows


def coaching_counts_by_cohort(*, cohort_ids: list[int], start: dt.date | None = None, end: dt.date | None = None) -> dict[int, dict]:
    """Per cohort, over a period (local dates, both ends included; None: open): requests sent, matches
    made, missions completed, and minutes of the sessions held. Two queries whatever the number of
    cohorts; the impact overview and report add cohorts up from these (issue #17)."""

    def in_period(prefix: str) -> Q:
        q = Q()
        if start is not None:
            q &= Q(**{f"{prefix}__date__gte": start})
        if end is not None:
            q &= Q(**{f"{prefix}__date__lte": end})
        return q

    counts = {cid: {"requested": 0, "matched": 0, "completed": 0, "minutes": 0, "sessions": 0} for cid in cohort_ids}
    if not cohort_ids:
        return counts
    for cohort_id, requested, matched, completed in CoachingRequest.objects.filter(cohort_id__in=cohort_ids).exclude(
            status=Status.DRAFT).values("cohort_id").annotate(
            requested=Count("id", filter=in_period("created_at")),
            matched=Count("mission", filter=in_period("mission__created_at")),
            completed=Count("mission", filter=Q(mission__completed_at__isnull=False) & in_period("mission__completed_at")),
    ).values_list("cohort_id", "requested", "matched", "completed"):
        counts[cohort_id].update(requested=requested, matched=matched, completed=completed)
    held = Q()
    if start is not None:
        held &= Q(held_on__gte=start)
    if end is not None:
        held &= Q(held_on__lte=end)
    for cohort_id, minutes, sessions in Session.objects.filter(held, mission__request__cohort_id__in=cohort_ids).values(
            "mission__request__cohort_id").annotate(minutes=Sum("duration_minutes"), sessions=Count("id")).values_list(
            "mission__request__cohort_id", "minutes", "sessions"):
        counts[cohort_id].update(minutes=minutes or 0, sessions=sessions)
    return counts
