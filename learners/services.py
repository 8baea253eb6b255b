"""Every write a learner's activity makes: enrolment, progress, quiz attempts, certificates,
self-diagnostics. Each one updates the enrolment's stored aggregates in the same transaction,
under a lock on the enrolment row, so that two tabs or a retry storm cannot double-count."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User
from courses.models import Diagnostic, Lesson, Module, Quiz

from .models import Certificate, DiagnosticResponse, Enrollment, LessonProgress, QuizAttempt

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


def progress_record(*, user: User, events: list[dict]) -> ProgressResult:
    """Record progress events (one, or a batch sent by a phone that was offline).

    Idempotent and order-independent: the final state is first_seen = earliest event,
    last_seen = latest event, completed = earliest completion; done never goes back.
    `applied[i]` says whether event i changed anything.
    """
    now = timezone.now()
    cleaned = _clean_events(events, now)
    lessons = {lesson.pk: lesson for lesson in Lesson.objects.filter(pk__in={e.lesson_id for e in cleaned}).select_related("module")}
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
        module = lessons[cleaned[indexes[0]].lesson_id].module
        with transaction.atomic():
            enrollment = enrollment_create(user=user, module=module)
            enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
            rows = {row.lesson_id: row for row in LessonProgress.objects.filter(
                user=user, lesson_id__in={cleaned[i].lesson_id for i in indexes})}
            new, changed = {}, set()
            for index in sorted(indexes, key=lambda i: cleaned[i].at):
                event = cleaned[index]
                row = rows.get(event.lesson_id)
                if row is None:
                    row = LessonProgress(user=user, lesson_id=event.lesson_id, enrollment=enrollment, language=event.language,
                                         first_seen_at=event.at, last_seen_at=event.at,
                                         completed_at=event.at if event.event == COMPLETED else None)
                    rows[event.lesson_id] = new[event.lesson_id] = row
                    result.applied[index] = True
                    continue
                touched = False
                if event.at < row.first_seen_at:
                    row.first_seen_at, touched = event.at, True
                if event.at > row.last_seen_at:
                    row.last_seen_at, touched = event.at, True
                    if event.language:
                        row.language = event.language
                if event.event == COMPLETED and (row.completed_at is None or event.at < row.completed_at):
                    row.completed_at, touched = event.at, True
                if touched:
                    result.applied[index] = True
                    if event.lesson_id not in new:
                        changed.add(event.lesson_id)
            LessonProgress.objects.bulk_create(new.values())
            if changed:
                LessonProgress.objects.bulk_update(
                    [rows[i] for i in changed], ["first_seen_at", "last_seen_at", "completed_at", "language"]
                )
            if new or changed:
                enrollment = enrollment_aggregates_refresh(enrollment=enrollment)
            result.enrollments[module_id] = enrollment
    return result


def lesson_progress_record(*, user: User, lesson: Lesson, event: str = COMPLETED, at: datetime | None = None,
                           language: str = "") -> Enrollment:
    """One event (the reader's "mark as done", or a page view)."""
    result = progress_record(user=user, events=[{"lesson": lesson.pk, "event": event, "at": at, "language": language}])
    return result.enrollments[lesson.module_id]


def enrollment_aggregates_refresh(*, enrollment: Enrollment) -> Enrollment:
    """Recount the stored aggregates of one enrolment (call under its row lock)."""
    counts = LessonProgress.objects.filter(enrollment=enrollment, lesson__is_archived=False).aggregate(
        done=Count("pk", filter=Q(completed_at__isnull=False)))
    latest = (LessonProgress.objects.filter(enrollment=enrollment)
              .order_by("-last_seen_at", "-lesson__position").values_list("lesson_id", "last_seen_at").first())
    enrollment.lessons_total = _lessons_total(enrollment.module_id)
    enrollment.lessons_done = counts["done"]
    if latest:
        enrollment.last_lesson_id, last_seen = latest
        enrollment.last_activity_at = max(filter(None, [enrollment.last_activity_at, last_seen]))
    enrollment.percent = _percent(enrollment)
    enrollment.save(update_fields=["lessons_total", "lessons_done", "last_lesson", "last_activity_at", "percent"])
    _completion_check(enrollment)
    return enrollment


def _has_quiz(module_id: int) -> bool:
    return Quiz.objects.filter(module_id=module_id, questions__is_archived=False).exists()


def _percent(enrollment: Enrollment) -> int:
    steps = enrollment.lessons_total + (1 if _has_quiz(enrollment.module_id) else 0)
    if steps == 0:
        return 0
    done = min(enrollment.lessons_done, enrollment.lessons_total) + (1 if enrollment.quiz_passed else 0)
    return math.floor(100 * done / steps)


def _completion_check(enrollment: Enrollment) -> None:
    if enrollment.completed_at is not None:
        return
    lessons_ok = enrollment.lessons_total > 0 and enrollment.lessons_done >= enrollment.lessons_total
    quiz_ok = enrollment.quiz_passed or not _has_quiz(enrollment.module_id)
    if lessons_ok and quiz_ok:
        enrollment.completed_at = timezone.now()
        enrollment.percent = 100
        enrollment.save(update_fields=["completed_at", "percent"])
        certificate_issue(enrollment=enrollment)


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
                        started_at: datetime | None = None) -> QuizAttempt:
    """Score an attempt on the server and store it. With a client_key, a retried submission is stored once."""
    module = quiz.module
    enrollment = enrollment_create(user=user, module=module)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if client_key:
        existing = QuizAttempt.objects.filter(user=user, client_key=client_key).first()
        if existing is not None and existing.quiz_id != quiz.pk:
            raise ValidationError({"client_key": _("This key was already used for another quiz: send a new key for each attempt.")})
        if existing is not None:
            return existing
    chosen, correct = _quiz_answers_clean(quiz, answers)
    results = {str(qid): chosen[qid] == correct[qid] for qid in correct}
    score = math.floor(100 * sum(results.values()) / len(results))
    passed = score >= quiz.pass_mark
    attempt = QuizAttempt.objects.create(
        user=user, quiz=quiz, enrollment=enrollment, answers={str(q): sorted(c) for q, c in chosen.items()}, results=results,
        score=score, passed=passed, language=language[:10], client_key=client_key[:64], started_at=started_at,
    )
    enrollment.quiz_attempts += 1
    enrollment.quiz_best_score = max(score, enrollment.quiz_best_score or 0)
    enrollment.quiz_passed = enrollment.quiz_passed or passed
    enrollment.last_activity_at = timezone.now()
    enrollment.percent = _percent(enrollment)
    enrollment.save(update_fields=["quiz_attempts", "quiz_best_score", "quiz_passed", "last_activity_at", "percent"])
    _completion_check(enrollment)
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
    """Issue the module's certificate once per learner; the email is queued once, after commit. The
    functions listed in ESSOR_CERTIFICATE_ISSUED_HOOKS run in the same transaction (the signed credential)."""
    from .tasks import certificate_email_send_task

    certificate, created = Certificate.objects.get_or_create(
        user_id=enrollment.user_id, module_id=enrollment.module_id,
        defaults={"enrollment": enrollment, "learner_name": enrollment.user.display_name,
                  "issuer_name": _issuer_name(enrollment), "score": enrollment.quiz_best_score},
    )
    if created:
        certificate_email_send_task.delay_on_commit(certificate.pk, enrollment.user.preferred_language)
        for hook in getattr(settings, "ESSOR_CERTIFICATE_ISSUED_HOOKS", []):
            import_string(hook)(certificate=certificate)
    return certificate


def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_reason=reason[:200])
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
    return DiagnosticResponse.objects.create(
        user=user, association_id=user.association_id, diagnostic=diagnostic, answers=clean, scores=scores,
        average=round(sum(scores.values()) / len(scores)) if scores else 0, context=context,
    )
