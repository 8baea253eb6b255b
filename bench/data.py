"""Realistic bench data at three sizes, written in bulk (raw multi-row inserts for the big tables).

    small   CI: 1 intermediary, cohorts of 10 / 100 / 200, 4 modules × 10 lessons   (seconds)
    medium  2,000 learners: cohorts of 100 / 1,000 / 2,000, 4 modules × 10 lessons
    large   20,000 learners: 20 cohorts of 1,000 (4 modules each, among 8 × 20 lessons) at one intermediary,
            a cohort of 100 and a programme of all 20,000; ≥ 1.5 M lesson progress rows
    exports 2,000 learners: cohorts of 1,000 / 2,000 that follow 40 modules × 5 lessons each, a gentler
            drop-off (most learners enrolled in most modules): the exports' 2,000 × 40 (issue #18)

Ten intermediaries, each with a cohort at least, in a funder's network (the network view of #17).

Every size also has intermediaries, associations, quiz attempts, certificates, self-diagnostics,
coaches, coaching requests and missions, and logged-in sessions for the HTTP benchmarks. Only base
tables are written (what the learner services would have left); stored cohort aggregates, when the
code has them, are rebuilt afterwards by `cohorts.services.cohort_stats_rebuild`.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

SIZES = {
    "small": {"learners": 300, "cohorts": [10, 100, 200], "modules": 4, "lessons": 10, "extra_cohorts": 0},
    "medium": {"learners": 2000, "cohorts": [100, 1000, 2000], "modules": 4, "lessons": 10, "extra_cohorts": 0},
    "large": {"learners": 20000, "cohorts": [100, 1000, 20000], "modules": 8, "lessons": 20, "extra_cohorts": 19},
    "exports": {"learners": 2000, "cohorts": [1000, 2000], "modules": 40, "lessons": 5, "extra_cohorts": 0,
                "cohort_modules": 40, "reach": (0.998, 0.99, 0.98)},
}
# The chance of reaching each next module (drop-off), and how many modules the sized cohorts follow.
REACH = (0.99, 0.95, 0.88)
COHORT_MODULES = 4
LANGUAGES = ("fr", "zh-hans", "en")
CITIES = [("FR", "Lyon"), ("FR", "Marseille"), ("FR", "Lille"), ("CN", "Chengdu"), ("CN", "Shanghai"), ("CN", "Wuhan"),
          ("CN", "Kunming"), ("FR", "Nantes")]
LESSON_HTML = "".join(
    f"<h2 id=\"s{n}\">Partie {n}</h2><p>Une association qui prépare son budget annuel part de ses actions : chaque "
    f"activité prévue a un coût (salaires, loyers, matériel, déplacements) et des ressources (cotisations, subventions, "
    f"dons, ventes). 一个社会组织编制年度预算时，先从项目活动出发：每项活动都有成本，也有收入来源。</p>"
    f"<ul><li>Lister les actions</li><li>Chiffrer les charges</li><li>Identifier les produits</li></ul>"
    for n in range(1, 7))


@dataclass
class Dataset:
    size: str
    cohorts: dict[str, int] = field(default_factory=dict)  # label -> cohort id ("100", "1000", "20000", ...)
    staff_session: str = ""
    learner_sessions: list[str] = field(default_factory=list)  # learners of the 1,000 cohort, each with a module to read
    reader_paths: list[tuple[str, str]] = field(default_factory=list)  # (module slug, lesson slug) per learner session
    lesson_slugs: dict[str, list[str]] = field(default_factory=dict)  # module slug -> lesson slugs in order
    counts: dict[str, int] = field(default_factory=dict)
    intermediary: int = 0  # its overview (issue #17): large, the one with 20 cohorts; else the biggest cohort's
    network: int = 0  # a network of every intermediary (10 at least)


def _network(intermediaries, staff) -> int:
    """A funder's network of every intermediary (accepted), the bench staff member on its staff."""
    try:
        from impact.models import Network, NetworkMembership, NetworkStaff
    except ImportError:  # code without networks
        return 0
    network = Network.objects.create(name="Fondation du bench", slug="fondation-bench")
    NetworkStaff.objects.create(network=network, user=staff, is_manager=True)
    NetworkMembership.objects.bulk_create([NetworkMembership(network=network, intermediary=i, status="accepted")
                                           for i in intermediaries])
    return network.pk


def _insert(table: str, columns: list[str], rows: list[tuple], chunk: int = 500) -> int:
    """Multi-row INSERTs, far faster than model instances for a million rows (both databases)."""
    from django.db import connection

    if not rows:
        return 0
    names = ", ".join(columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(part)),
                           [value for row in part for value in row])
    return len(rows)


def _session(user, backend: str = "") -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend or next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(7 * 24 * 3600)
    store.create()
    return store.session_key


def _curriculum(spec: dict, now):
    from courses.models import (
        Choice,
        ChoiceTranslation,
        Lesson,
        LessonTranslation,
        Module,
        ModuleTranslation,
        Question,
        QuestionTranslation,
        Quiz,
        Topic,
    )

    topics = [Topic.objects.get_or_create(key=key, defaults={"names": {"fr": key.title(), "zh-hans": key, "en": key.title()}})[0]
              for key in ("finance", "volunteers", "strategy", "communication")]
    modules, lessons = [], {}
    for m in range(spec["modules"]):
        module = Module.objects.create(slug=f"bench-module-{m + 1}", topic=topics[m % len(topics)], status=Module.Status.PUBLISHED,
                                       published_at=now - timedelta(days=200), estimated_minutes=90)
        ModuleTranslation.objects.bulk_create([
            ModuleTranslation(module=module, language=lang, title=f"Module {m + 1} ({lang})", summary="Résumé du module.",
                              outcomes=["Préparer un budget", "Suivre la trésorerie"]) for lang in LANGUAGES])
        lessons[module.pk] = Lesson.objects.bulk_create(
            [Lesson(module=module, slug=f"lesson-{n + 1}", position=n + 1) for n in range(spec["lessons"])])
        LessonTranslation.objects.bulk_create([
            LessonTranslation(lesson=lesson, language=lang, title=f"Leçon {lesson.position} ({lang})", summary="En bref.",
                              body_md="x", body_html=LESSON_HTML)
            for lesson in lessons[module.pk] for lang in LANGUAGES])
        quiz = Quiz.objects.create(module=module)
        for q in range(5):
            question = Question.objects.create(quiz=quiz, key=f"q{q}", position=q + 1)
            QuestionTranslation.objects.bulk_create([QuestionTranslation(question=question, language=lang, text_md=f"Q{q}",
                                                                         text_html=f"<p>Q{q}</p>") for lang in LANGUAGES])
            choices = Choice.objects.bulk_create([Choice(question=question, position=c, is_correct=c == 1) for c in (1, 2, 3)])
            ChoiceTranslation.objects.bulk_create([ChoiceTranslation(choice=choice, language=lang, text_md=f"A{choice.position}",
                                                                     text_html=f"<p>A{choice.position}</p>")
                                                   for choice in choices for lang in LANGUAGES])
        modules.append(module)
    return topics, modules, lessons


def generate(size: str, seed: int = 2026) -> Dataset:
    """Write the whole data set for `size` into the (empty, migrated) default database."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Association, Intermediary, IntermediaryStaff, User
    from cohorts.models import Cohort, CohortMembership, CohortModule
    from courses.models import Diagnostic, DiagnosticArea

    spec = SIZES[size]
    rng = random.Random(seed)
    now = timezone.now()
    dt = connection.ops.adapt_datetimefield_value
    data = Dataset(size=size)
    with transaction.atomic():
        topics, modules, lessons = _curriculum(spec, now)
        diagnostic = Diagnostic.objects.create(key="capacity")
        DiagnosticArea.objects.create(diagnostic=diagnostic, key="finance", position=1, module=modules[0])
        intermediaries = Intermediary.objects.bulk_create(
            [Intermediary(name=f"Centre de bénévolat {n + 1}", slug=f"centre-{n + 1}") for n in range(10)])
        staff = User.objects.create_user(email="staff@bench.example", display_name="Bench staff")
        IntermediaryStaff.objects.bulk_create([IntermediaryStaff(intermediary=i, user=staff, is_manager=True) for i in intermediaries])
        associations = Association.objects.bulk_create(
            [Association(name=f"Association {n:05d}", country=city[0], city=city[1])
             for n in range(spec["learners"] // 2) for city in [rng.choice(CITIES)]], batch_size=2000)
        users = User.objects.bulk_create([
            User(email=f"learner{n}@bench.example", display_name=f"{rng.choice('ABCDEFGHJKLMNPRSTVWZ')}pprenant·e {n:05d}",
                 password="!", is_learner=True, association=rng.choice(associations), preferred_language=rng.choice(LANGUAGES[:2]))
            for n in range(spec["learners"])], batch_size=2000)

        # Cohorts: the sized ones (the first `n` learners each, one intermediary each), then `extra_cohorts` more
        # of 1,000, which belong to the intermediary of the 1,000 cohort: 20 cohorts / 20,000 learners for its
        # overview (issue #17). Every other intermediary of the network gets a cohort of 50 learners of the
        # biggest cohort (same modules: no new enrolment), so that each line of the network view has figures.
        plan = [(str(n), users[:n], modules[:spec.get("cohort_modules", COHORT_MODULES)]) for n in spec["cohorts"]]
        owners = [intermediaries[index % len(intermediaries)] for index in range(len(plan))]
        for k in range(spec["extra_cohorts"]):
            chunk = users[1000 * (k + 1): 1000 * (k + 2)]
            plan.append((f"extra-{k + 1}", chunk, [modules[(k + j) % len(modules)] for j in range(4)]))
            owners.append(owners[spec["cohorts"].index(1000)])
        biggest = max(spec["cohorts"])
        for k, owner in enumerate(i for i in intermediaries if i not in owners):
            start = (k * 53) % (biggest - 50)
            plan.append((f"extra-network-{k + 1}", users[start:start + 50], modules[:4]))
            owners.append(owner)
        memberships = []
        for index, (label, members, cohort_modules) in enumerate(plan):
            cohort = Cohort.objects.create(intermediary=owners[index], name=f"Promotion {label}",
                                           created_by=staff, stalled_after_days=14, starts_on=date.today() - timedelta(days=120))
            cohort.facilitators.add(staff)
            CohortModule.objects.bulk_create([CohortModule(cohort=cohort, module=m, position=p + 1,
                                                           target_date=date.today() + timedelta(days=30 * p))
                                              for p, m in enumerate(cohort_modules)])
            memberships += [CohortMembership(cohort=cohort, user=u) for u in members]
            data.cohorts[label] = cohort.pk
        CohortMembership.objects.bulk_create(memberships, batch_size=2000)
        # The intermediary with the most cohorts (large: 20 of 1,000), else the one of the biggest cohort.
        home = str(1000 if spec["extra_cohorts"] else max(spec["cohorts"]))
        data.intermediary = Cohort.objects.get(pk=data.cohorts[home]).intermediary_id
        data.network = _network(intermediaries, staff)
        CohortMembership.objects.update(joined_at=now - timedelta(days=100))
        # A few learners left their cohort: they must not count.
        left = [m.pk for m in memberships[7::97]]
        CohortMembership.objects.filter(pk__in=left).update(status=CohortMembership.Status.LEFT, left_at=now - timedelta(days=5))

        # Each learner's modules: the union of their cohorts' modules, in cohort order.
        learner_modules: dict[int, list] = {}
        for _label, members, cohort_modules in plan:
            for u in members:
                mine = learner_modules.setdefault(u.pk, [])
                mine += [m for m in cohort_modules if m not in mine]
        enrollment_rows, progress_rows, certificates, attempts = [], [], [], []
        enrollment_id = 0
        quiz_ids = {m.pk: m.quiz.pk for m in modules}
        for u in users:
            days_idle = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 16, 20, 30, 45, 60])
            last = now - timedelta(days=days_idle, hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
            reach = 1.0
            for position, module in enumerate(learner_modules.get(u.pk, [])):
                reach *= rng.choice(spec.get("reach", REACH))  # drop-off: fewer learners reach each next module
                if rng.random() > reach:
                    continue
                enrollment_id += 1
                total = len(lessons[module.pk])
                done = total if rng.random() < 0.6 else rng.randint(total // 3, total - 1)
                viewed = min(total, done + (1 if done < total else 0))
                active = last - timedelta(days=3 * (len(learner_modules[u.pk]) - position - 1)) if viewed else None
                score = rng.choice([40, 60, 80, 100]) if done == total else None
                passed = score is not None and score >= 70
                completed = active if passed else None
                percent = 100 if completed else (100 * (done + (1 if passed else 0))) // (total + 1)
                language = u.preferred_language
                enrollment_rows.append((enrollment_id, u.pk, module.pk, "active", language, done, total, percent,
                                        lessons[module.pk][viewed - 1].pk if viewed else None, dt(active) if active else None,
                                        passed, score, 1 if score is not None else 0, dt(completed) if completed else None,
                                        dt(now - timedelta(days=110)), None,
                                        json.dumps([lesson.pk for lesson in lessons[module.pk][:done]])))
                for j in range(viewed):
                    at = active - timedelta(hours=2 * (viewed - j))
                    progress_rows.append((u.pk, lessons[module.pk][j].pk, enrollment_id, language, dt(at), dt(at),
                                          dt(at) if j < done else None))
                if score is not None:
                    attempts.append((u.pk, quiz_ids[module.pk], enrollment_id, "{}", "{}", score, passed, language, "",
                                     None, dt(active)))
                if completed:
                    certificates.append((u.pk, module.pk, enrollment_id, f"B{enrollment_id:015d}", u.display_name, "Essor",
                                         score, dt(completed), None, "", dt(completed)))
        data.counts["enrolments"] = _insert(
            "learners_enrollment", ["id", "user_id", "module_id", "status", "content_language", "lessons_done", "lessons_total",
                                    "percent", "last_lesson_id", "last_activity_at", "quiz_passed", "quiz_best_score",
                                    "quiz_attempts", "completed_at", "enrolled_at", "left_at", "done_lessons"], enrollment_rows)
        data.counts["lesson_progress"] = _insert(
            "learners_lessonprogress", ["user_id", "lesson_id", "enrollment_id", "language", "first_seen_at", "last_seen_at",
                                        "completed_at"], progress_rows, chunk=900)
        data.counts["quiz_attempts"] = _insert(
            "learners_quizattempt", ["user_id", "quiz_id", "enrollment_id", "answers", "results", "score", "passed", "language",
                                     "client_key", "started_at", "submitted_at", "choice_order"],
            [(*row, "{}") for row in attempts])
        data.counts["certificates"] = _insert(
            "learners_certificate", ["user_id", "module_id", "enrollment_id", "code", "learner_name", "issuer_name", "score",
                                     "issued_at", "revoked_at", "revoked_reason", "email_sent_at"], certificates)
        diagnostics = []
        for u in users[::3]:
            diagnostics.append((u.pk, u.association_id, diagnostic.pk, "{}", "{}", rng.randint(20, 60), "self",
                                dt(now - timedelta(days=130))))
            if rng.random() < 0.5:
                diagnostics.append((u.pk, u.association_id, diagnostic.pk, "{}", "{}", rng.randint(40, 90), "self",
                                    dt(now - timedelta(days=rng.randint(1, 60)))))
        data.counts["self_diagnostics"] = _insert(
            "learners_diagnosticresponse", ["user_id", "association_id", "diagnostic_id", "answers", "scores", "average", "context",
                                            "created_at"], diagnostics)
        data.counts.update(_coaching(rng, users, topics, data, now))

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the sequence follows the explicit ids
                cursor.execute("SELECT setval(pg_get_serial_sequence('learners_enrollment', 'id'), %s)", [enrollment_id])
        _rebuild_aggregates()

        data.staff_session = _session(staff)
        data.lesson_slugs = {m.slug: [lesson.slug for lesson in lessons[m.pk]] for m in modules}
        big = users[:1000]
        for u in big[:300]:
            mine = learner_modules.get(u.pk) or []
            if mine:
                data.learner_sessions.append(_session(u))
                data.reader_paths.append((mine[0].slug, lessons[mine[0].pk][rng.randrange(len(lessons[mine[0].pk]))].slug))
    data.counts.update(learners=len(users), cohorts=len(plan), modules=len(modules))
    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would gather them
        cursor.execute("ANALYZE")
    return data


def compat_sessions(data: dict) -> dict:
    """The same data set with sessions that name Django's ModelBackend, for a baseline commit that
    has no accounts.backends.UserBackend (written into the current database: a baseline's copy)."""
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    def again(key: str) -> str:
        user = User.objects.get(pk=SessionStore(session_key=key).load()["_auth_user_id"])
        return _session(user, "django.contrib.auth.backends.ModelBackend")

    return {**data, "staff_session": again(data["staff_session"]),
            "learner_sessions": [again(key) for key in data["learner_sessions"]]}


def _coaching(rng, users, topics, data, now) -> dict[str, int]:
    """Coaches with skills and languages, and requests (some matched, some completed) from certified learners."""
    from accounts.models import User
    from coaching.models import CoachingRequest, CoachLanguage, CoachProfile, CoachSkill, Mission

    coach_users = User.objects.bulk_create([User(email=f"coach{n}@bench.example", display_name=f"Coach {n}", password="!",
                                                 is_coach=True) for n in range(max(10, len(users) // 100))])
    profiles = CoachProfile.objects.bulk_create([CoachProfile(user=u, is_vetted=True, monthly_capacity_hours=8) for u in coach_users])
    CoachSkill.objects.bulk_create([CoachSkill(profile=p, topic=rng.choice(topics)) for p in profiles])
    CoachLanguage.objects.bulk_create([CoachLanguage(profile=p, language=rng.choice(LANGUAGES[:2])) for p in profiles])
    requests = []
    for u in users[::25]:
        status = rng.choice(["open", "matched", "in_progress", "completed"])
        requests.append(CoachingRequest(learner=u, created_by=u, topic=rng.choice(topics), association_id=u.association_id,
                                        languages=[u.preferred_language], need="Besoin d'aide sur le budget.",
                                        expected_result="Un budget prêt.", starts_on=date.today(),
                                        ends_on=date.today() + timedelta(days=90), status=status, status_changed_at=now))
    requests = CoachingRequest.objects.bulk_create(requests, batch_size=2000)
    missions = [Mission(request=r, coach=rng.choice(profiles), monthly_hours=4, minutes_logged=rng.choice([0, 60, 240]),
                        completed_at=now if r.status == "completed" else None)
                for r in requests if r.status != "open"]
    Mission.objects.bulk_create(missions, batch_size=2000)
    return {"coaches": len(profiles), "coaching_requests": len(requests), "missions": len(missions)}


def _rebuild_aggregates() -> None:
    """Stored cohort aggregates, when this version of the code has them."""
    try:
        from cohorts.services import cohort_stats_rebuild
    except ImportError:
        return
    from cohorts.models import Cohort

    for cohort_id in Cohort.objects.values_list("pk", flat=True):
        cohort_stats_rebuild(cohort_id=cohort_id)
