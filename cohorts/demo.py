"""Demo data of the cohorts app: a cohort run by the demo staff member, with learners at every stage,
an open invitation code and a finished export. Idempotent; skipped while no module is published."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Association, User
from accounts.services import association_create, user_create
from courses.models import Diagnostic, Module
from learners.models import Certificate, DiagnosticResponse, Enrollment, LessonProgress
from learners.services import diagnostic_submit, progress_record, quiz_attempt_submit

from .models import Cohort, CohortExport, CohortInvitation, CohortMembership
from .services import ModuleAssignment, cohort_create, cohort_join, cohort_stats_rebuild, export_generate, invitation_create

COHORT_NAME = "Promotion printemps 2026 — Lyon"
COHORT_DESCRIPTION = (
    "Douze semaines pour consolider la gestion de votre association : finances, bénévoles, stratégie et communication. "
    "Rencontres mensuelles au Centre de bénévolat, le reste à votre rythme, en français ou en chinois."
)

# email key, name, language, association, country, city, stage (completed: the first module; _two, _all: more)
LEARNERS = [
    ("camille.laurent", "Camille Laurent", "fr", "Les Amis du Quartier Guillotière", "FR", "Lyon", "completed_all"),
    ("youssef.benali", "Youssef Benali", "fr", "Solidarité Vaulx Jeunesse", "FR", "Vaulx-en-Velin", "in_progress"),
    ("sophie.girard", "Sophie Girard", "fr", "Compagnie Théâtre en Herbe", "FR", "Villeurbanne", "stalled"),
    ("mamadou.diop", "Mamadou Diop", "fr", "Foot Solidaire de la Duchère", "FR", "Lyon", "not_started"),
    ("julie.moreau", "Julie Moreau", "fr", "Repair Café des Pentes", "FR", "Lyon", "in_progress"),
    ("lucas.fontaine", "Lucas Fontaine", "en", "Harbour Community Kitchen", "FR", "Marseille", "stalled"),
    ("zhang.wei", "张伟", "zh-hans", "绿色家园环保协会", "CN", "成都", "completed_two"),
    ("li.na", "李娜", "zh-hans", "春苗儿童阅读社", "CN", "上海", "in_progress"),
    ("liu.yang", "刘洋", "zh-hans", "夕阳红志愿服务队", "CN", "武汉", "stalled"),
    ("chen.jing", "陈静", "zh-hans", "彩虹社区融合中心", "CN", "广州", "not_started"),
    ("yang.fan", "杨帆", "zh-hans", "青禾乡村教育发展中心", "CN", "昆明", "completed"),
    ("zhao.min", "赵敏", "zh-hans", "阳光助残服务社", "CN", "南京", "not_started"),
]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _learner(key: str, name: str, language: str, association_name: str, country: str, city: str) -> User:
    email = f"{key}@cohorte.essor.demo"
    user = User.objects.filter(email=email).first()
    if user is None:
        association = Association.objects.filter(name=association_name).first() or association_create(
            name=association_name, country=country, city=city)
        # No password: these people exist to fill the dashboard, nobody logs in as them.
        user = user_create(email=email, password=None, display_name=name, preferred_language=language, is_learner=True,
                           association=association)
    return user


def _complete(user: User, lessons, *, at) -> None:
    progress_record(user=user, events=[{"lesson": lesson.pk, "event": "viewed", "at": at - timedelta(minutes=20)} for lesson in lessons]
                    + [{"lesson": lesson.pk, "event": "completed", "at": at} for lesson in lessons])


def _pass_quiz(user: User, module: Module, *, fail_first: bool) -> None:
    quiz = getattr(module, "quiz", None)
    if quiz is None or not quiz.questions.filter(is_archived=False).exists():
        return
    questions = list(quiz.questions.filter(is_archived=False).prefetch_related("choices"))
    if fail_first:  # a first try with half of the answers wrong, for the per-question results
        wrong = {str(q.pk): [c.pk for c in q.choices.all() if c.is_correct == bool(n % 2)][:1] for n, q in enumerate(questions)}
        quiz_attempt_submit(user=user, quiz=quiz, answers=wrong, language=user.preferred_language)
    answers = {str(q.pk): [c.pk for c in q.choices.all() if c.is_correct] for q in questions}
    quiz_attempt_submit(user=user, quiz=quiz, answers=answers, language=user.preferred_language)


def _backdate(user: User, modules: list[Module], days: int) -> None:
    """Everything this learner did in the cohort's modules happened `days` ago."""
    when = timezone.now() - timedelta(days=days)
    Enrollment.objects.filter(user=user, module__in=modules, last_activity_at__isnull=False).update(last_activity_at=when)
    LessonProgress.objects.filter(user=user, lesson__module__in=modules).update(first_seen_at=when, last_seen_at=when)


def _stage(user: User, stage: str, modules: list[Module], index: int) -> None:
    now = timezone.now()
    first = list(modules[0].lessons.filter(is_archived=False).order_by("position"))
    if stage == "in_progress":
        _complete(user, first[: 1 + index % 2], at=now - timedelta(days=index % 4, hours=3))
    elif stage == "stalled":
        _complete(user, first[: 1 + index % 3], at=now - timedelta(days=21 + 4 * index))
        _backdate(user, modules, 21 + 4 * index)
    elif stage.startswith("completed"):
        count = {"completed_all": len(modules), "completed_two": 2}.get(stage, 1)
        for position, module in enumerate(modules[:count]):
            at = now - timedelta(days=12 - 3 * position, hours=index)
            _complete(user, list(module.lessons.filter(is_archived=False).order_by("position")), at=at)
            _pass_quiz(user, module, fail_first=(index + position) % 4 == 0)
            # The quiz was passed half an hour after the last lesson, not when the seeder ran (the timeline puts the
            # attempts before it); the cohort's stored figures are rebuilt at the end of seed().
            finished = at + timedelta(minutes=30)
            Enrollment.objects.filter(user=user, module=module, completed_at__isnull=False).update(
                completed_at=finished, last_activity_at=finished)
            Certificate.objects.filter(user=user, module=module).update(issued_at=finished)
        if count < len(modules):  # already reading the next module
            _complete(user, list(modules[count].lessons.filter(is_archived=False).order_by("position")[:1]),
                      at=now - timedelta(days=1))


def _diagnostics(user: User, index: int, joined_at) -> None:
    diagnostic = Diagnostic.objects.order_by("pk").first()
    if diagnostic is None or user.diagnostic_responses.exists():
        return
    keys = list(diagnostic.areas.values_list("statements__key", flat=True))
    before = diagnostic_submit(user=user, diagnostic=diagnostic, context=DiagnosticResponse.Context.COHORT_JOIN,
                               answers={key: 1 + (n + index) % 3 for n, key in enumerate(keys)})
    DiagnosticResponse.objects.filter(pk=before.pk).update(created_at=joined_at - timedelta(hours=1))
    if index % 2 == 0:
        diagnostic_submit(user=user, diagnostic=diagnostic, answers={key: 2 + (n + index) % 3 for n, key in enumerate(keys)})


def seed(context: dict, stdout=None) -> None:
    modules = list(Module.objects.filter(status=Module.Status.PUBLISHED).order_by("topic__position", "level", "slug")[:4])
    if not modules:
        _say(stdout, "Cohorts: no module is published yet, so the demo cohort was not created (import the content first).")
        return
    staff, intermediary = context["users"]["staff"], context["intermediary"]
    today = timezone.localdate()
    cohort = Cohort.objects.filter(intermediary=intermediary, name=COHORT_NAME).first()
    if cohort is None:
        cohort = cohort_create(
            intermediary=intermediary, created_by=staff, name=COHORT_NAME, description=COHORT_DESCRIPTION, language="fr",
            starts_on=today - timedelta(days=45), ends_on=today + timedelta(days=75), stalled_after_days=14, facilitators=[staff],
            modules=[ModuleAssignment(module=m, target_date=today + timedelta(days=20 * (n + 1))) for n, m in enumerate(modules)])
    invitation = next((i for i in cohort.invitations.filter(kind=CohortInvitation.Kind.LINK) if i.state() == "open"), None)
    if invitation is None:
        invitation = invitation_create(cohort=cohort, created_by=staff, label="Réunion d'information — 12 mars",
                                       expires_at=timezone.now() + timedelta(days=60), max_uses=40)
    # The two demo learners (their progress is the learners seeder's).
    for key in ("learner", "learner_zh"):
        user = context["users"].get(key)
        if user is not None and not CohortMembership.objects.filter(cohort=cohort, user=user).exists():
            cohort_join(invitation=invitation, user=user)
    cohort_modules = [cm.module for cm in cohort.cohort_modules.select_related("module").order_by("position")]
    for index, (key, name, language, association, country, city, stage) in enumerate(LEARNERS):
        user = _learner(key, name, language, association, country, city)
        if CohortMembership.objects.filter(cohort=cohort, user=user).exists():
            continue  # already seeded: never add progress twice
        membership, _created = cohort_join(invitation=invitation, user=user)
        CohortMembership.objects.filter(pk=membership.pk).update(joined_at=timezone.now() - timedelta(days=40 - index))
        membership.refresh_from_db()
        _stage(user, stage, cohort_modules, index)
        _diagnostics(user, index, membership.joined_at)
    cohort_stats_rebuild(cohort_id=cohort.pk)   # completion dates were moved behind the services' back
    if not cohort.exports.filter(status=CohortExport.Status.DONE).exists():
        export = CohortExport.objects.create(cohort=cohort, created_by=staff, format=CohortExport.Format.XLSX, language="fr")
        export_generate(export_id=export.pk, language="fr")
    context["cohort"] = cohort
    learners = cohort.memberships.filter(status=CohortMembership.Status.ACTIVE).count()
    _say(stdout, f"Cohorts: “{cohort.name}” with {learners} learners; invitation code {invitation.code_display}.")
