"""Demo states for the demo learners, built with the real services so every number is consistent:
"learner" completed basic-finance (quiz passed, certificate) and is half-way through
volunteer-management; "learner_zh" reads basic-finance in Chinese with a few lessons done; both have
taken the self-diagnostic ("learner" twice, to show the change). Idempotent; skipped politely
when the curriculum has not been imported."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from courses.models import Choice, Diagnostic, Module

from .models import Certificate, DiagnosticResponse, Enrollment
from .services import diagnostic_submit, enrollment_create, progress_record, quiz_attempt_submit

FINANCE, VOLUNTEERS = "basic-finance", "volunteer-management"


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _lessons(module: Module) -> list:
    return list(module.lessons.filter(is_archived=False).order_by("position", "id"))


def _read(user, module: Module, *, language: str, done: int, viewed: int, start) -> None:
    """Enrol, then `done` lessons completed and `viewed` more opened, one a day from `start`."""
    enrollment_create(user=user, module=module, language=language)
    events = []
    for index, lesson in enumerate(_lessons(module)[: done + viewed]):
        at = start + timedelta(days=index, minutes=5)
        events.append({"lesson": lesson.pk, "event": "viewed", "at": at, "language": language})
        if index < done:
            events.append({"lesson": lesson.pk, "event": "completed", "at": at + timedelta(minutes=20), "language": language})
    progress_record(user=user, events=events)


def _answers(module: Module, *, correct: bool) -> dict[str, list[int]]:
    answers: dict[str, list[int]] = {}
    for question_id, choice_id, is_correct in (Choice.objects.filter(question__quiz__module=module, question__is_archived=False)
                                               .order_by("question__position", "position", "pk")
                                               .values_list("question_id", "pk", "is_correct")):
        key = str(question_id)
        if is_correct == correct and (correct or key not in answers):
            answers.setdefault(key, []).append(choice_id)
    return answers


def _complete(user, module: Module, *, language: str, start) -> None:
    lessons = _lessons(module)
    _read(user, module, language=language, done=len(lessons), viewed=0, start=start)
    quiz = getattr(module, "quiz", None)
    if quiz is not None and quiz.questions.filter(is_archived=False).exists():
        # A first try below the pass mark, then a pass: the dashboard shows the best score and the history.
        quiz_attempt_submit(user=user, quiz=quiz, answers=_answers(module, correct=False), language=language,
                            client_key=f"demo-{module.slug}-1")
        quiz_attempt_submit(user=user, quiz=quiz, answers=_answers(module, correct=True), language=language,
                            client_key=f"demo-{module.slug}-2")
    finished = start + timedelta(days=len(lessons), hours=2)
    Enrollment.objects.filter(user=user, module=module, completed_at__isnull=False).update(completed_at=finished)
    Certificate.objects.filter(user=user, module=module).update(issued_at=finished)


def _diagnostic(user, diagnostic: Diagnostic, *, weak: set[str], when, bonus: int = 0) -> None:
    """Weak areas rated 1–2, the others 3–4; `bonus` lifts the ratings of weak areas on a retake."""
    answers = {}
    for area in diagnostic.areas.prefetch_related("statements"):
        for index, statement in enumerate(area.statements.all()):
            base = 1 + index % 2 if area.key in weak else 3 + index % 2
            answers[statement.key] = min(4, base + (bonus if area.key in weak else 0))
    response = diagnostic_submit(user=user, answers=answers, diagnostic=diagnostic)
    DiagnosticResponse.objects.filter(pk=response.pk).update(created_at=when)


def seed(context: dict, stdout=None) -> None:
    users = context.get("users") or {}
    learner, learner_zh = users.get("learner"), users.get("learner_zh")
    if learner is None or learner_zh is None:
        _say(stdout, "Learners: no demo learners in the context; nothing to seed.")
        return
    modules = {m.slug: m for m in Module.objects.filter(slug__in=[FINANCE, VOLUNTEERS], status=Module.Status.PUBLISHED)}
    if FINANCE not in modules:
        _say(stdout, "Learners: the curriculum is not imported yet (manage.py import_content content/ --publish); "
                     "demo progress skipped.")
        return
    now = timezone.now()
    finance = modules[FINANCE]
    if not Enrollment.objects.filter(user=learner, module=finance).exists():
        _complete(learner, finance, language="fr", start=now - timedelta(days=30))
    volunteers = modules.get(VOLUNTEERS)
    if volunteers is not None and not Enrollment.objects.filter(user=learner, module=volunteers).exists():
        half = max(1, len(_lessons(volunteers)) // 2)
        _read(learner, volunteers, language="fr", done=half, viewed=1, start=now - timedelta(days=half + 2))
    if not Enrollment.objects.filter(user=learner_zh, module=finance).exists():
        _read(learner_zh, finance, language="zh-hans", done=2, viewed=1, start=now - timedelta(days=6))

    diagnostic = Diagnostic.objects.order_by("pk").first()
    if diagnostic is not None:
        if not DiagnosticResponse.objects.filter(user=learner).exists():
            _diagnostic(learner, diagnostic, weak={"finance", "volunteers"}, when=now - timedelta(days=45))
            _diagnostic(learner, diagnostic, weak={"finance", "volunteers"}, when=now - timedelta(days=2), bonus=1)
        if not DiagnosticResponse.objects.filter(user=learner_zh).exists():
            _diagnostic(learner_zh, diagnostic, weak={"finance", "communication"}, when=now - timedelta(days=7))
    context["certificates"] = dict(Certificate.objects.filter(user=learner).values_list("module__slug", "code"))
    _say(stdout, "Learners: demo progress, a certificate and self-diagnostics are ready.")
