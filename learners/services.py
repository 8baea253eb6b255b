"""Every write a learner's activity makes: enrolment, progress, quiz attempts, certificates,
self-diagnostics. Each one updates the enrolment's stored aggregates in the same transaction,
under a lock on the enrolment row, so that two tabs or a retry storm cannot double-count."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record
from core.db.prepared import PreparedQuery, PreparedUpdate
from courses.models import Diagnostic, Lesson, Module, Question, Quiz

from .models import Certificate, DiagnosticResponse, Enrollment, LessonProgress, QuizAttempt
from .progress import progress_percent

VIEWED = "viewed"
COMPLETED = "completed"
EVENTS = (VIEWED, COMPLETED)


# --- Enrolment ----------------------------------------------------------------------------------

def _default_language(user: User, module: Module) -> str:
    available = set(module.translations.values_list("language", flat=True))
    for language in (user.preferred_language, module.source_language):
        if language in available:
            return language
    return next(iter(sorted(available)), settings.LANGUAGE_CODE)


def _lessons_total(module_id: int) -> int:
    return Lesson.objects.filter(module_id=module_id, is_archived=False).count()


@transaction.atomic
def enrollment_create(*, user: User, module: Module, language: str | None = None) -> Enrollment:
    """Enrol (or re-enrol) a learner. Idempotent: a second call returns the same enrolment."""
    if not module.is_published:
        raise ValidationError(_("This module is not open for enrolment yet."))
    if language is not None and language not in settings.CONTENT_LANGUAGES:
        raise ValidationError({"language": _("This language is not available for lessons.")})
    # Read first: every progress event passes here, and the defaults cost two queries.
    enrollment, created = Enrollment.objects.filter(user=user, module=module).first(), False
    if enrollment is None:
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(
                    user=user, module=module, content_language=language or _default_language(user, module),
                    lessons_total=_lessons_total(module.pk),
                )
                created = True
        except IntegrityError:  # a parallel request created it between our read and our insert
            enrollment = Enrollment.objects.get(user=user, module=module)
    if not created and enrollment.status == Enrollment.Status.LEFT:
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.left_at = None
        if language:
            enrollment.content_language = language
        enrollment.save(update_fields=["status", "left_at", "content_language"])
    if not user.is_learner:
        User.objects.filter(pk=user.pk).update(is_learner=True)
        user.is_learner = True
    return enrollment


@transaction.atomic
def enrollment_leave(*, enrollment: Enrollment) -> Enrollment:
    """Leave a module: the enrolment stays (with all progress) and can be resumed by re-enrolling."""
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.LEFT, left_at=timezone.now())
    enrollment.refresh_from_db()
    return enrollment


def enrollment_language_set(*, enrollment: Enrollment, language: str) -> Enrollment:
    if language not in settings.CONTENT_LANGUAGES:
        raise ValidationError({"language": _("This language is not available for lessons.")})
    Enrollment.objects.filter(pk=enrollment.pk).update(content_language=language)
    enrollment.content_language = language
    return enrollment


# --- Observers ----------------------------------------------------------------------------------
# Apps above this one keep their own stored figures in step with the learners' (the cohorts app's
# per-cohort aggregates): functions named in settings, called in the same transaction as the change.

@cache
def _observers(setting: str) -> tuple:
    return tuple(import_string(dotted) for dotted in getattr(settings, setting, ()))


@dataclass(frozen=True)
class CellState:
    """What others read of an enrolment: percent, started, completed, certified, day of the latest activity."""

    percent: int
    started: bool
    completed: bool
    certified: bool
    day: date | None

    @classmethod
    def of(cls, enrollment: Enrollment | None, certified: bool = False) -> CellState:
        if enrollment is None:
            return cls(0, False, False, False, None)
        started = enrollment.is_started
        day = timezone.localdate(enrollment.last_activity_at) if enrollment.last_activity_at else None
        return cls(enrollment.percent, started, enrollment.completed_at is not None, certified, day)


def enrollment_changed_notify(*, enrollment: Enrollment, before: CellState, after: CellState) -> None:
    """Tell the observers (settings.ESSOR_ENROLLMENT_CHANGED) how an enrolment changed."""
    if before == after:
        return
    structural = (before.started, before.completed, before.certified, before.day) != (
        after.started, after.completed, after.certified, after.day)
    for observer in _observers("ESSOR_ENROLLMENT_CHANGED"):
        observer(user_id=enrollment.user_id, module_id=enrollment.module_id, percent_delta=after.percent - before.percent,
                 structural=structural)


# --- Progress -----------------------------------------------------------------------------------

@dataclass
class ProgressEvent:
    lesson_id: int
    event: str
    at: datetime
    language: str = ""


@dataclass
class ProgressResult:
    applied: list[bool] = field(default_factory=list)
    enrollments: dict[int, Enrollment] = field(default_factory=dict)
    completed: set[int] = field(default_factory=set)  # modules these events completed


def _clean_events(events: list[dict], now: datetime) -> list[ProgressEvent]:
    cleaned = []
    errors = {}
    for index, raw in enumerate(events):
        try:
            lesson_id = int(raw["lesson"])
            event = raw.get("event", COMPLETED)
            if event not in EVENTS:
                raise ValueError
            at = raw.get("at") or now
            if isinstance(at, str):
                at = datetime.fromisoformat(at.replace("Z", "+00:00"))
            if not isinstance(at, datetime):
                raise TypeError
            if timezone.is_naive(at):
                # A client that sends no offset is read as UTC (the API documents it).
                at = at.replace(tzinfo=UTC)
        except (KeyError, TypeError, ValueError):
            errors[f"events[{index}]"] = _(
                "Each event needs a lesson id, an event (viewed or completed) and an optional ISO 8601 time."
            )
            continue
        # A phone's clock can be ahead: an event is never recorded in the future.
        cleaned.append(ProgressEvent(lesson_id=lesson_id, event=event, at=min(at, now), language=str(raw.get("language", ""))[:10]))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _lessons_with_module(lesson_ids) -> dict[int, Lesson]:
    """The lessons, their module, and whether the module has a quiz (one query)."""
    has_quiz = Exists(Question.objects.filter(quiz__module_id=OuterRef("module_id"), is_archived=False))
    return {lesson.pk: lesson for lesson in Lesson.objects.filter(pk__in=lesson_ids).select_related("module")
            .annotate(module_has_quiz=has_quiz)}


def enrollment_done_lessons(enrollment: Enrollment) -> set[int]:
    """The ids of the lessons done: stored on the enrolment, read from the rows for an older one."""
    if enrollment.done_lessons is not None:
        return set(enrollment.done_lessons)
    return set(LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False).values_list("lesson_id", flat=True))


# Inside every progress transaction, so inside SQLite's one write lock: compiled once per process (core/db/prepared.py).
_ENROLLMENT_FOR_UPDATE = PreparedQuery(
    lambda user_id, module_id: Enrollment.objects.select_for_update().filter(user_id=user_id, module_id=module_id)
    .order_by("pk")[:1], user_id=int, module_id=int)
_PROGRESS_ROW_UPDATE = PreparedUpdate(
    lambda pk, first_seen_at, last_seen_at, completed_at, language: (LessonProgress.objects.filter(pk=pk), {
        "first_seen_at": first_seen_at, "last_seen_at": last_seen_at, "completed_at": completed_at, "language": language}),
    pk=int, first_seen_at=datetime, last_seen_at=datetime, completed_at=datetime | None, language=str)
_ENROLLMENT_VIEWED = PreparedUpdate(  # a page view: the lesson to resume, and the latest activity if it is later
    lambda pk, lesson_id, now: (Enrollment.objects.filter(pk=pk), {
        "last_lesson_id": lesson_id, "last_activity_at": Greatest("last_activity_at", Value(now))}),
    pk=int, lesson_id=int, now=datetime)
_PROGRESS_ROW = PreparedQuery(  # one event's row (a page view, "mark as done"), also inside the write lock
    lambda user_id, lesson_id: LessonProgress.objects.filter(user_id=user_id, lesson_id=lesson_id), user_id=int, lesson_id=int)


def _enrollment_locked(user: User, module: Module) -> Enrollment:
    """The learner's enrolment in the module under a row lock, created (or resumed) if needed."""
    found = _ENROLLMENT_FOR_UPDATE(user_id=user.pk, module_id=module.pk)
    enrollment = found[0] if found else None
    if enrollment is None or enrollment.status != Enrollment.Status.ACTIVE:
        enrollment_create(user=user, module=module)
        enrollment = Enrollment.objects.select_for_update().get(user=user, module=module)
    return enrollment


def progress_record(*, user: User, events: list[dict], lessons: dict[int, Lesson] | None = None) -> ProgressResult:
    """Record progress events (one, or a batch sent by a phone that was offline).

    Idempotent and order-independent: the final state is first_seen = earliest event,
    last_seen = latest event, completed = earliest completion; done never goes back.
    `applied[i]` says whether event i changed anything. The enrolment's aggregates move by what the
    events changed (a lesson newly done, a later activity), under the enrolment's row lock.
    `lessons`: the events' lessons, already read with their module and `module_has_quiz` (the reader).
    """
    now = timezone.now()
    cleaned = _clean_events(events, now)
    if lessons is None or not {e.lesson_id for e in cleaned} <= set(lessons):
        lessons = _lessons_with_module({e.lesson_id for e in cleaned})
    unknown = sorted({e.lesson_id for e in cleaned} - set(lessons))
    if unknown:
        raise ValidationError({"lesson": _("These lessons do not exist: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}})
    if any(not lesson.module.is_published for lesson in lessons.values()):
        # Checked before writing anything: a batch is recorded whole or not at all.
        raise ValidationError(_("This module is not open for enrolment yet."))
    result = ProgressResult(applied=[False] * len(cleaned))
    by_module: dict[int, list[int]] = {}
    for index, event in enumerate(cleaned):
        by_module.setdefault(lessons[event.lesson_id].module_id, []).append(index)
    for module_id, indexes in sorted(by_module.items()):
        first = lessons[cleaned[indexes[0]].lesson_id]
        module = first.module
        with transaction.atomic():
            enrollment = _enrollment_locked(user, module)
            before = CellState.of(enrollment)
            lesson_ids = {cleaned[i].lesson_id for i in indexes}
            rows = {row.lesson_id: row for row in (
                _PROGRESS_ROW(user_id=user.pk, lesson_id=next(iter(lesson_ids))) if len(lesson_ids) == 1
                else LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids))}
            new, changed, newly_done = {}, set(), set()
            latest: ProgressEvent | None = None
            for index in sorted(indexes, key=lambda i: cleaned[i].at):
                event = cleaned[index]
                row = rows.get(event.lesson_id)
                if row is None:
                    row = LessonProgress(user=user, lesson_id=event.lesson_id, enrollment=enrollment, language=event.language,
                                         first_seen_at=event.at, last_seen_at=event.at,
                                         completed_at=event.at if event.event == COMPLETED else None)
                    rows[event.lesson_id] = new[event.lesson_id] = row
                    result.applied[index] = True
                    latest = event
                    if row.completed_at is not None:
                        newly_done.add(event.lesson_id)
                    continue
                touched = False
                if event.at < row.first_seen_at:
                    row.first_seen_at, touched = event.at, True
                if event.at > row.last_seen_at:
                    row.last_seen_at, touched = event.at, True
                    latest = event
                    if event.language:
                        row.language = event.language
                if event.event == COMPLETED and (row.completed_at is None or event.at < row.completed_at):
                    if row.completed_at is None:
                        newly_done.add(event.lesson_id)
                    row.completed_at, touched = event.at, True
                if touched:
                    result.applied[index] = True
                    if event.lesson_id not in new:
                        changed.add(event.lesson_id)
            LessonProgress.objects.bulk_create(new.values())
            if len(changed) == 1:  # "mark as done", one event: a plain UPDATE (bulk_update's CASE … WHEN is built in Python)
                row = rows[next(iter(changed))]
                _PROGRESS_ROW_UPDATE(pk=row.pk, first_seen_at=row.first_seen_at, last_seen_at=row.last_seen_at,
                                     completed_at=row.completed_at, language=row.language)
            elif changed:
                LessonProgress.objects.bulk_update(
                    [rows[i] for i in changed], ["first_seen_at", "last_seen_at", "completed_at", "language"]
                )
            if new or changed:
                enrollment.lessons_done += sum(1 for lesson_id in newly_done if not lessons[lesson_id].is_archived)
                done = enrollment_done_lessons(enrollment)
                enrollment.done_lessons = sorted(done | newly_done)
                if latest is not None and (enrollment.last_activity_at is None or latest.at >= enrollment.last_activity_at):
                    enrollment.last_lesson_id, enrollment.last_activity_at = latest.lesson_id, latest.at
                enrollment.percent = _percent(enrollment, has_quiz=first.module_has_quiz)
                completed = _completion_due(enrollment, has_quiz=first.module_has_quiz)
                if completed:
                    enrollment.completed_at, enrollment.percent = timezone.now(), 100
                enrollment.save(update_fields=["lessons_done", "done_lessons", "last_lesson", "last_activity_at", "percent",
                                               "completed_at"])
                if completed:
                    result.completed.add(module_id)
                    enrollment.module = module
                    certificate_issue(enrollment=enrollment)
                enrollment_changed_notify(enrollment=enrollment, before=before, after=CellState.of(enrollment, certified=completed))
            enrollment.module = module
            result.enrollments[module_id] = enrollment
    return result


def lesson_progress_record(*, user: User, lesson: Lesson, event: str = COMPLETED, at: datetime | None = None,
                           language: str = "") -> Enrollment:
    """One event (the reader's "mark as done", or a page view). A lesson read with its module and
    `module_has_quiz` (the reader's) saves the query that would read them."""
    preloaded = {lesson.pk: lesson} if hasattr(lesson, "module_has_quiz") else None
    result = progress_record(user=user, events=[{"lesson": lesson.pk, "event": event, "at": at, "language": language}],
                             lessons=preloaded)
    enrollment = result.enrollments[lesson.module_id]
    enrollment.completed_now = lesson.module_id in result.completed
    return enrollment


def lesson_view_record(*, user: User, lesson: Lesson, enrollment: Enrollment | None, language: str = "") -> None:
    """The reader's "viewed" event. When the learner already has activity today in this module, a
    view can move nothing but times (last seen, latest activity, the lesson to resume): two
    statements (an upsert of the progress row, an UPDATE of the enrolment with GREATEST), no row
    lock, nothing for the observers — every GET of the reader writes, so this keeps SQLite's single
    write lock for the shortest time. Otherwise (first activity of the day, a module not started,
    a left enrolment) it is an ordinary event (`lesson_progress_record`)."""
    now = timezone.now()
    quick = (enrollment is not None and enrollment.status == Enrollment.Status.ACTIVE and enrollment.last_activity_at is not None
             and timezone.localdate(enrollment.last_activity_at) == timezone.localdate(now))
    if not quick:
        lesson_progress_record(user=user, lesson=lesson, event=VIEWED, language=language)
        return
    with transaction.atomic():
        LessonProgress.objects.bulk_create(
            [LessonProgress(user=user, lesson_id=lesson.pk, enrollment_id=enrollment.pk, language=language[:10],
                            first_seen_at=now, last_seen_at=now)],
            update_conflicts=True, unique_fields=["user", "lesson"],
            update_fields=["last_seen_at", "language"] if language else ["last_seen_at"])
        _ENROLLMENT_VIEWED(pk=enrollment.pk, lesson_id=lesson.pk, now=now)


def enrollment_aggregates_refresh(*, enrollment: Enrollment) -> Enrollment:
    """Recount the stored aggregates of one enrolment from its rows (call under its row lock): after
    lessons are added or archived."""
    before = CellState.of(enrollment)
    counts = LessonProgress.objects.filter(enrollment=enrollment, lesson__is_archived=False).aggregate(
        done=Count("pk", filter=Q(completed_at__isnull=False)))
    enrollment.done_lessons = sorted(LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False)
                                     .values_list("lesson_id", flat=True))
    latest = (LessonProgress.objects.filter(enrollment=enrollment)
              .order_by("-last_seen_at", "-lesson__position").values_list("lesson_id", "last_seen_at").first())
    enrollment.lessons_total = _lessons_total(enrollment.module_id)
    enrollment.lessons_done = counts["done"]
    if latest:
        enrollment.last_lesson_id, last_seen = latest
        enrollment.last_activity_at = max(filter(None, [enrollment.last_activity_at, last_seen]))
    has_quiz = _has_quiz(enrollment.module_id)
    enrollment.percent = _percent(enrollment, has_quiz=has_quiz)
    enrollment.save(update_fields=["lessons_total", "lessons_done", "done_lessons", "last_lesson", "last_activity_at", "percent"])
    completed = _completion_check(enrollment, has_quiz=has_quiz)
    enrollment_changed_notify(enrollment=enrollment, before=before, after=CellState.of(enrollment, certified=completed))
    return enrollment


def _has_quiz(module_id: int) -> bool:
    return Quiz.objects.filter(module_id=module_id, questions__is_archived=False).exists()


def _percent(enrollment: Enrollment, *, has_quiz: bool) -> int:
    """The module's steps are its lessons and, when it has one, its quiz (pages say so: "2 of 5 lessons
    done, quiz not passed yet"); learners.progress.progress_percent rounds the same way everywhere."""
    steps = enrollment.lessons_total + (1 if has_quiz else 0)
    done = min(enrollment.lessons_done, enrollment.lessons_total) + (1 if enrollment.quiz_passed and has_quiz else 0)
    return progress_percent(done, steps)


def _completion_due(enrollment: Enrollment, *, has_quiz: bool) -> bool:
    """Every lesson done and the quiz passed (or no quiz), and not completed yet."""
    if enrollment.completed_at is not None:
        return False
    lessons_ok = enrollment.lessons_total > 0 and enrollment.lessons_done >= enrollment.lessons_total
    return lessons_ok and (enrollment.quiz_passed or not has_quiz)


def _completion_check(enrollment: Enrollment, *, has_quiz: bool) -> bool:
    """Complete the enrolment (and issue its certificate) when it is due. Returns whether it did."""
    if not _completion_due(enrollment, has_quiz=has_quiz):
        return False
    enrollment.completed_at = timezone.now()
    enrollment.percent = 100
    enrollment.save(update_fields=["completed_at", "percent"])
    certificate_issue(enrollment=enrollment)
    return True


def module_enrollments_refresh(*, module_id: int) -> int:
    """After lessons are added or archived: recount every enrolment of the module. Returns how many."""
    count = 0
    for enrollment_id in Enrollment.objects.filter(module_id=module_id).values_list("pk", flat=True):
        with transaction.atomic():
            enrollment = Enrollment.objects.select_for_update().get(pk=enrollment_id)
            enrollment_aggregates_refresh(enrollment=enrollment)
            count += 1
    return count


# --- Quiz ----------------------------------------------------------------------------------------

def _quiz_answers_clean(quiz: Quiz, answers: dict) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Return ({question id: chosen choice ids}, {question id: correct choice ids}) or raise."""
    questions = {}
    for question_id, kind, choice_id, is_correct in quiz.questions.filter(is_archived=False).values_list(
            "pk", "kind", "choices__pk", "choices__is_correct"):
        entry = questions.setdefault(question_id, {"kind": kind, "choices": set(), "correct": set()})
        if choice_id is not None:
            entry["choices"].add(choice_id)
            if is_correct:
                entry["correct"].add(choice_id)
    if not questions:
        raise ValidationError(_("This quiz has no questions yet."))
    chosen: dict[int, set[int]] = {}
    errors = {}
    for raw_question, raw_choices in (answers or {}).items():
        try:
            question_id = int(raw_question)
            choice_ids = {int(c) for c in (raw_choices if isinstance(raw_choices, (list, tuple, set)) else [raw_choices])}
        except (TypeError, ValueError):
            errors["answers"] = _("Answers must map question ids to lists of choice ids.")
            continue
        if question_id not in questions:
            errors[f"answers.{raw_question}"] = _("This question is not part of the quiz.")
        elif not choice_ids <= questions[question_id]["choices"]:
            errors[f"answers.{raw_question}"] = _("One of the chosen answers does not belong to this question.")
        else:
            chosen[question_id] = choice_ids
    for question_id, entry in questions.items():
        picked = chosen.get(question_id, set())
        if not picked:
            errors.setdefault(f"answers.{question_id}", _("Please answer this question."))
        elif entry["kind"] == "single" and len(picked) != 1:
            errors.setdefault(f"answers.{question_id}", _("Choose only one answer for this question."))
    if errors:
        raise ValidationError(errors)
    return chosen, {qid: entry["correct"] for qid, entry in questions.items()}


@transaction.atomic
def quiz_attempt_submit(*, user: User, quiz: Quiz, answers: dict, language: str = "", client_key: str = "",
                        started_at: datetime | None = None, submitted_at: datetime | None = None) -> QuizAttempt:
    """Score an attempt on the server and store it. With a client_key, a retried submission is stored once.
    `submitted_at`: when the learner submitted it on their device (taken offline, sent later); never in the
    future; the enrolment's latest activity moves to it only forward."""
    module = quiz.module
    enrollment = _enrollment_locked(user, module)
    before = CellState.of(enrollment)
    if client_key:
        existing = QuizAttempt.objects.filter(user=user, client_key=client_key).first()
        if existing is not None and existing.quiz_id != quiz.pk:
            raise ValidationError({"client_key": _("This key was already used for another quiz: send a new key for each attempt.")})
        if existing is not None:
            return existing
    chosen, correct = _quiz_answers_clean(quiz, answers)
    now = timezone.now()
    submitted_at = min(submitted_at or now, now)
    if started_at is not None:
        started_at = min(started_at, submitted_at)
    results = {str(qid): chosen[qid] == correct[qid] for qid in correct}
    score = math.floor(100 * sum(results.values()) / len(results))
    passed = score >= quiz.pass_mark
    from .selectors.quiz import quiz_choice_order

    # The order the choices were shown in follows from the attempt's key (the quiz page and the API's
    # GET with `attempt_key` shuffle with it): recorded with the attempt, its results show the same order.
    attempt = QuizAttempt.objects.create(
        user=user, quiz=quiz, enrollment=enrollment, answers={str(q): sorted(c) for q, c in chosen.items()}, results=results,
        score=score, passed=passed, language=language[:10], client_key=client_key[:64], started_at=started_at,
        choice_order=quiz_choice_order(quiz=quiz, attempt_key=client_key[:64]) if client_key else {},
        submitted_at=submitted_at,
    )
    enrollment.quiz_attempts += 1
    enrollment.quiz_best_score = max(score, enrollment.quiz_best_score or 0)
    enrollment.quiz_passed = enrollment.quiz_passed or passed
    enrollment.last_activity_at = max(filter(None, [enrollment.last_activity_at, submitted_at]))
    has_quiz = _has_quiz(module.pk)
    enrollment.percent = _percent(enrollment, has_quiz=has_quiz)
    enrollment.save(update_fields=["quiz_attempts", "quiz_best_score", "quiz_passed", "last_activity_at", "percent"])
    completed = _completion_check(enrollment, has_quiz=has_quiz)
    enrollment_changed_notify(enrollment=enrollment, before=before, after=CellState.of(enrollment, certified=completed))
    for observer in _observers("ESSOR_QUIZ_ATTEMPTED"):
        observer(attempt=attempt)
    return attempt


# --- Certificates ---------------------------------------------------------------------------------

def _issuer_name(enrollment: Enrollment) -> str:
    # An app above learners may know better (the intermediary whose cohort the learner was in): it names
    # its function in settings (ESSOR_CERTIFICATE_ISSUER), learners never imports it.
    hook = getattr(settings, "ESSOR_CERTIFICATE_ISSUER", "")
    if hook:
        name = import_string(hook)(user_id=enrollment.user_id, module=enrollment.module)
        if name:
            return name
    module = enrollment.module
    return module.intermediary.name if module.intermediary_id else "Essor"


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """Issue the module's certificate once per learner; the email it owes is recorded in the same
    transaction (core.outbox), so a broker outage delays it but never loses it. The functions listed in
    ESSOR_CERTIFICATE_ISSUED_HOOKS run in the same transaction (the signed credential)."""
    from core.outbox import outbox_enqueue

    from .tasks import certificate_email_send_task

    certificate, created = Certificate.objects.get_or_create(
        user_id=enrollment.user_id, module_id=enrollment.module_id,
        defaults={"enrollment": enrollment, "learner_name": enrollment.user.display_name,
                  "issuer_name": _issuer_name(enrollment), "score": enrollment.quiz_best_score},
    )
    if created:
        outbox_enqueue(certificate_email_send_task, args=[certificate.pk, enrollment.user.preferred_language],
                       key=f"certificate-email:{certificate.pk}")
        for hook in getattr(settings, "ESSOR_CERTIFICATE_ISSUED_HOOKS", []):
            import_string(hook)(certificate=certificate)
    return certificate


def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    with transaction.atomic():
        revoked = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason[:200])
        if revoked:
            record(None, "certificate-revoked", certificate, reason=reason[:200])
        enrollment = Enrollment.objects.filter(user_id=certificate.user_id, module_id=certificate.module_id).first()
        if revoked and enrollment is not None:
            state = CellState.of(enrollment)
            enrollment_changed_notify(enrollment=enrollment, before=CellState(**{**state.__dict__, "certified": True}),
                                      after=CellState(**{**state.__dict__, "certified": False}))
    certificate.refresh_from_db()
    return certificate


# --- Capacity self-diagnostic --------------------------------------------------------------------

def diagnostic_scores(diagnostic: Diagnostic, answers: dict[str, int]) -> dict[str, int]:
    scores = {}
    for area in diagnostic.areas.prefetch_related("statements"):
        values = [answers[s.key] for s in area.statements.all() if s.key in answers]
        if values:
            mean = sum(values) / len(values)
            scores[area.key] = round((mean - 1) / 3 * 100)
    return scores


@transaction.atomic
def diagnostic_submit(*, user: User, answers: dict, context: str = DiagnosticResponse.Context.SELF,
                      diagnostic: Diagnostic | None = None) -> DiagnosticResponse:
    """Store a completed self-diagnostic (every statement rated 1–4). Earlier ones are kept."""
    diagnostic = diagnostic or Diagnostic.objects.order_by("pk").first()
    if diagnostic is None:
        raise ValidationError(_("The self-diagnostic questionnaire has not been loaded on this site yet."))
    keys = [key for key in diagnostic.areas.values_list("statements__key", flat=True) if key]
    errors, clean = {}, {}
    for key in keys:
        value = (answers or {}).get(key)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in (1, 2, 3, 4):
            errors[key] = _("Rate this statement from 1 to 4.")
        else:
            clean[key] = value
    if errors:
        raise ValidationError(errors)
    scores = diagnostic_scores(diagnostic, clean)
    response = DiagnosticResponse.objects.create(
        user=user, association_id=user.association_id, diagnostic=diagnostic, answers=clean, scores=scores,
        average=round(sum(scores.values()) / len(scores)) if scores else 0, context=context,
    )
    for observer in _observers("ESSOR_DIAGNOSTIC_SUBMITTED"):
        observer(user_id=user.pk)
    return response
