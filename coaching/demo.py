"""Demo coaching data: four vetted coaches, a request of the demo learner proposed to the demo coach,
and a completed mission (sessions, feedback) of the Chinese-speaking demo learner. Idempotent."""
import datetime as dt

from django.utils import timezone

from accounts.models import User
from core.demo import demo_password
from courses.models import Module, Topic
from learners.models import Certificate

from . import services
from .models import CoachingRequest, CoachProfile, Mission, Proposal, RequestTransition
from .selectors import request_prefill

OTHER_COACHES = [
    # email, name, language, profile, topics, tags, languages
    ("chen.jing@essor.demo", "陈静", "zh-hans",
     {"country": "CN", "city": "成都", "works_remotely": True, "works_in_person": True, "time_zone": "Asia/Shanghai",
      "monthly_capacity_hours": 6, "employer": "", "bio": "十年公益传播经验，擅长微信公众号运营与年度报告写作。"},
     {"communication": 3, "strategy": 2}, {"WeChat": 3}, {"zh-hans": 3, "en": 2}),
    ("sophie.laurent@essor.demo", "Sophie Laurent", "fr",
     {"country": "FR", "city": "Paris", "works_remotely": True, "works_in_person": True, "time_zone": "Europe/Paris",
      "monthly_capacity_hours": 6, "employer": "Cabinet RH (mécénat de compétences)",
      "bio": "Responsable RH, j'accompagne les associations sur l'accueil et la fidélisation des bénévoles."},
     {"volunteers": 3, "governance": 2}, {}, {"fr": 3, "en": 3}),
    ("zhang.wei@essor.demo", "张伟", "zh-hans",
     {"country": "CN", "city": "上海", "works_remotely": True, "works_in_person": False, "time_zone": "Asia/Shanghai",
      "monthly_capacity_hours": 4, "employer": "", "bio": "注册会计师，为社会组织提供财务与战略规划辅导。"},
     {"finance": 2, "strategy": 3}, {"Excel": 3}, {"zh-hans": 3, "fr": 2}),
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _coach(user, *, profile: dict, topics: dict, tags: dict, languages: dict, staff, available: set[str]) -> CoachProfile:
    coach = services.coach_profile_save(
        user=user, data=profile, topic_levels={k: v for k, v in topics.items() if k in available}, tags=tags, languages=languages,
    )
    if not coach.is_vetted and staff is not None:
        coach = services.coach_vet(profile=coach, by=staff)
    return coach


def _open_request(*, learner, topic: Topic, module: Module | None, intermediary, data: dict, days_ago: int) -> CoachingRequest:
    """Build a request as the learner would have sent it (the demo may lack the certificate the form requires)."""
    prefill = request_prefill(user=learner, module=module, topic=topic)
    if prefill.cohort is None and intermediary is not None:
        # Staff follow a request only through a cohort where the learner is active (docs/security.md).
        _join_demo_cohort(learner, intermediary)
        prefill = request_prefill(user=learner, module=module, topic=topic)
    certificate = Certificate.objects.filter(user=learner, module=module, revoked_at__isnull=True).first() if module else None
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    request = CoachingRequest(
        learner=learner, created_by=learner, topic=topic, module=module, certificate=certificate,
        cohort=prefill.cohort, intermediary=(prefill.cohort.intermediary if prefill.cohort else intermediary),
        association=prefill.association, diagnostic_before=prefill.diagnostic, diagnostic_score_before=prefill.diagnostic_score,
        languages=prefill.languages, country=prefill.country, city=prefill.city, time_zone=prefill.time_zone,
        starts_on=start, ends_on=start + dt.timedelta(days=120), status=CoachingRequest.Status.OPEN,
        status_changed_at=timezone.now(), **data,
    )
    request.full_clean()
    request.save()
    CoachingRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    request.refresh_from_db()
    RequestTransition.objects.create(request=request, from_status="", to_status=request.status, by=learner)
    return request


def _join_demo_cohort(learner, intermediary) -> None:
    from cohorts.models import Cohort
    from cohorts.services import cohort_join, invitation_create

    cohort, _created = Cohort.objects.get_or_create(intermediary=intermediary, name="Coaching (demo)")
    invitation = cohort.invitations.first() or invitation_create(cohort=cohort, created_by=None)
    cohort_join(invitation=invitation, user=learner)


def seed(context: dict, stdout=None) -> None:
    users = context.get("users") or {}
    staff = users.get("staff")
    intermediary = context.get("intermediary")
    topics = {t.key: t for t in Topic.objects.all()}
    if not topics:
        _say(stdout, "Coaching demo skipped: no topics in the database. Import the content (manage.py import_content) first.")
        return
    available = set(topics)

    coaches = {}
    demo_coach = users.get("coach")
    if demo_coach is not None:
        coaches["coach"] = _coach(
            demo_coach, staff=staff, available=available,
            profile={"country": "FR", "city": "Lyon", "works_remotely": True, "works_in_person": True, "time_zone": "Europe/Paris",
                     "monthly_capacity_hours": 8, "employer": "Banque Rhône-Alpes (mécénat de compétences)",
                     "bio": "Contrôleur de gestion, j'aide les associations à construire leur budget et à suivre leur trésorerie."},
            topics={"finance": 3, "communication": 2}, tags={"Budget": 3}, languages={"fr": 3, "zh-hans": 2},
        )
    for email, name, language, profile, skills, tags, languages in OTHER_COACHES:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=demo_password(), display_name=name, preferred_language=language, is_coach=True,
            email_verified_at=timezone.now())  # demo people are verified: they publish feedback
        coaches[email] = _coach(user, profile=profile, topics=skills, tags=tags, languages=languages, staff=staff, available=available)
    _say(stdout, f"Coaching demo: {len(coaches)} vetted coaches.")

    learner, learner_zh = users.get("learner"), users.get("learner_zh")
    if learner is not None and "finance" in topics and demo_coach is not None and staff is not None:
        module = Module.objects.filter(slug="basic-finance").first()
        request = CoachingRequest.objects.filter(learner=learner, topic=topics["finance"]).first()
        if request is None:
            if module is None:
                _say(stdout, "Coaching demo: module basic-finance not found; the demo request has no module.")
            request = _open_request(learner=learner, topic=topics["finance"], module=module, intermediary=intermediary, days_ago=3, data={
                "need": "Notre budget est fait sur un coin de table et nous découvrons les problèmes de trésorerie trop tard.",
                "expected_result": "Un budget annuel voté en assemblée et un tableau de trésorerie que le bureau sait tenir.",
                "format": CoachingRequest.Format.EITHER, "hours_wanted": 8,
            })
        if request.status in (CoachingRequest.Status.OPEN, CoachingRequest.Status.PROPOSED) and not Proposal.objects.filter(
                request=request, coach=coaches["coach"]).exists():
            services.proposal_create(request=request, coach=coaches["coach"], by=staff,
                                     message="Julien a déjà accompagné deux associations lyonnaises sur leur budget.")
        _say(stdout, f"Coaching demo: request #{request.pk} of {learner.email} proposed to {demo_coach.email}.")

    chen = coaches.get("chen.jing@essor.demo")
    ready = learner_zh is not None and "communication" in topics and chen is not None and staff is not None
    if ready and not CoachingRequest.objects.filter(learner=learner_zh, topic=topics["communication"]).exists():
        _completed_mission(learner_zh, chen, topics["communication"], intermediary, staff)
        _say(stdout, f"Coaching demo: a completed mission for {learner_zh.email}.")


def _completed_mission(learner, coach: CoachProfile, topic: Topic, intermediary, staff) -> Mission:
    module = Module.objects.filter(topic=topic, status=Module.Status.PUBLISHED).order_by("level", "slug").first()
    if module is not None and not Certificate.objects.filter(user=learner, module=module).exists():
        # A graduate asks for coaching: the module of the topic was completed (certificate) before the request.
        from learners.demo import _complete

        _complete(learner, module, language=learner.preferred_language or "zh-hans",
                  start=timezone.now() - dt.timedelta(days=110))
    request = _open_request(learner=learner, topic=topic, module=module, intermediary=intermediary, days_ago=75, data={
        "need": "我们的微信公众号一年只发了三篇文章，志愿者和捐赠人都不了解我们在做什么。",
        "expected_result": "一份全年传播计划，每月固定发布两篇文章，并写出第一份年度报告。",
        "format": CoachingRequest.Format.REMOTE, "hours_wanted": 6,
    })
    proposal = services.proposal_create(request=request, coach=coach, by=staff)
    mission = services.proposal_accept(proposal=proposal, by=coach.user)
    started = timezone.now() - dt.timedelta(days=70)
    Mission.objects.filter(pk=mission.pk).update(created_at=started)
    mission.refresh_from_db()
    services.mission_objectives_set(mission=mission, by=coach.user,
                                    objectives="1. 制定全年传播计划\n2. 每月发布两篇公众号文章\n3. 完成第一份年度报告")
    services.mission_objectives_agree(mission=mission, by=learner)
    for days, minutes, notes in ((62, 90, "梳理受众与核心信息。"), (41, 60, "一起修改了两篇文章的初稿。"), (20, 75, "年度报告提纲。")):
        services.session_log(mission=mission, by=coach.user, held_on=timezone.localdate() - dt.timedelta(days=days),
                             duration_minutes=minutes, notes=notes)
    services.mission_complete(mission=mission, by=coach.user)
    mission = services.mission_complete(mission=mission, by=learner)
    services.feedback_give(mission=mission, by=learner, rating=5, comment="陈老师非常耐心，我们现在每个月都能按时发文章。")
    services.feedback_give(mission=mission, by=coach.user, rating=5, comment="团队很投入，执行力强。")
    # Spread the history over the weeks it would have taken.
    for step, transition in enumerate(request.transitions.order_by("id")):
        RequestTransition.objects.filter(pk=transition.pk).update(at=started - dt.timedelta(days=5) + dt.timedelta(days=step * 14))
    return mission


def timeline(context: dict, stdout=None) -> None:
    """The last seeder: one story in time. The other seeders backdate what learners did; here each enrolment starts
    before its first activity, each learner arrives (account, cohort) before anything they did, on different days, and
    quiz attempts fall before the completion they led to. Written behind the services' back, so the cohorts' stored
    aggregates are rebuilt. Only moves dates earlier: running it again changes nothing."""
    from django.db.models import Min

    from cohorts.models import CohortMembership
    from cohorts.services import cohort_stats_rebuild
    from learners.models import DiagnosticResponse, Enrollment, LessonProgress, QuizAttempt

    now = timezone.now()
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    first_seen = {(u, m): at for u, m, at in LessonProgress.objects.values("user_id", "lesson__module_id")
                  .annotate(at=Min("first_seen_at")).values_list("user_id", "lesson__module_id", "at").order_by()}
    # Quiz attempts before the completion they led to (the services stamped them "now").
    for enrollment in Enrollment.objects.filter(completed_at__isnull=False):
        attempts = list(QuizAttempt.objects.filter(user_id=enrollment.user_id, quiz__module_id=enrollment.module_id)
                        .order_by("submitted_at", "pk"))
        for n, attempt in enumerate(attempts):
            when = enrollment.completed_at - dt.timedelta(minutes=10 * (len(attempts) - n))
            if attempt.submitted_at > when:
                QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=when)
    first_activity: dict[tuple[int, int], dt.datetime] = {}
    for enrollment in Enrollment.objects.all():
        key = (enrollment.user_id, enrollment.module_id)
        candidates = [at for at in (first_seen.get(key), enrollment.last_activity_at, enrollment.completed_at) if at]
        attempt = QuizAttempt.objects.filter(user_id=key[0], quiz__module_id=key[1]).aggregate(at=Min("submitted_at"))["at"]
        if attempt:
            candidates.append(attempt)
        if candidates:
            first_activity[key] = min(candidates)
    cohort_module_ids: dict[int, set[int]] = {}
    cohorts = set()
    memberships = list(CohortMembership.objects.select_related("cohort").order_by("cohort_id", "pk"))
    for position, membership in enumerate(memberships):
        modules = cohort_module_ids.setdefault(membership.cohort_id, set(
            membership.cohort.cohort_modules.values_list("module_id", flat=True)))
        activity = [at for (user_id, module_id), at in first_activity.items()
                    if user_id == membership.user_id and module_id in modules]
        # Learners arrive over the weeks of the cohort; those who have not started yet arrived recently.
        wanted = (min(now - dt.timedelta(days=40 - position % 30), min(activity) - hour) if activity
                  else now - dt.timedelta(days=1 + position % 10, hours=position))
        if wanted < membership.joined_at:
            CohortMembership.objects.filter(pk=membership.pk).update(joined_at=wanted)
            DiagnosticResponse.objects.filter(user_id=membership.user_id, context=DiagnosticResponse.Context.COHORT_JOIN,
                                              created_at__gt=wanted).update(created_at=wanted - hour)
            cohorts.add(membership.cohort_id)
        joined = min(wanted, membership.joined_at)
        for enrollment in Enrollment.objects.filter(user_id=membership.user_id, module_id__in=modules):
            start = min(joined + dt.timedelta(minutes=5), first_activity.get((enrollment.user_id, enrollment.module_id), now) - hour)
            if start < enrollment.enrolled_at:
                Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=start)
    for enrollment in Enrollment.objects.all():
        first = first_activity.get((enrollment.user_id, enrollment.module_id))
        if first is not None and first - hour < enrollment.enrolled_at:
            Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=first - hour)
    # Each account exists a day before the first thing its owner did.
    for user in User.objects.all():
        moments = [at for at in (
            Enrollment.objects.filter(user=user).aggregate(at=Min("enrolled_at"))["at"],
            CohortMembership.objects.filter(user=user).aggregate(at=Min("joined_at"))["at"],
            DiagnosticResponse.objects.filter(user=user).aggregate(at=Min("created_at"))["at"],
            CoachingRequest.objects.filter(learner=user).aggregate(at=Min("created_at"))["at"],
        ) if at]
        if moments and min(moments) - day < user.date_joined:
            User.objects.filter(pk=user.pk).update(date_joined=min(moments) - day)
    for cohort_id in cohorts:
        cohort_stats_rebuild(cohort_id=cohort_id)
    _say(stdout, "Demo timeline: every date tells one story.")
