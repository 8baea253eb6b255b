"""Called by the learners and coaching services (named in settings, so those apps do not import this
one) in the transaction of the event: each records a statement in the outbox, to be sent after commit.
Nothing is recorded while XAPI_LRS_URL is empty (the default)."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from . import statements as st


def enabled() -> bool:
    return bool(getattr(settings, "XAPI_LRS_URL", ""))


def _enqueue(statement: dict) -> None:
    from core.outbox import outbox_enqueue

    from .tasks import xapi_statement_send_task

    outbox_enqueue(xapi_statement_send_task, args=[statement], key=f"xapi:{statement['id']}")


def enrollment_changed(*, user_id: int, module_id: int, percent_delta: int, structural: bool) -> None:
    """Progress in a module (cmi5 progress extension), and its completion."""
    if not enabled() or (percent_delta <= 0 and not structural):
        return
    from learners.models import Enrollment

    row = Enrollment.objects.filter(user_id=user_id, module_id=module_id).values(
        "percent", "completed_at", "module__slug").first()
    if row is None:
        return
    module = st.activity(f"modules/{row['module__slug']}", "module", row["module__slug"])
    now = timezone.now()
    if percent_delta > 0:
        _enqueue(st.statement(event=f"progressed:{user_id}:{module_id}:{row['percent']}", user_id=user_id, verb="progressed",
                              obj=module, timestamp=now, result={"extensions": {st.PROGRESS_EXTENSION: row["percent"]}}))
    if row["completed_at"] is not None:
        _enqueue(st.statement(event=f"completed:{user_id}:{module_id}", user_id=user_id, verb="completed", obj=module,
                              timestamp=row["completed_at"], result={"completion": True}))


def quiz_attempted(*, attempt) -> None:
    if not enabled():
        return
    slug = attempt.quiz.module.slug
    _enqueue(st.statement(
        event=f"quiz-attempt:{attempt.pk}", user_id=attempt.user_id, verb="passed" if attempt.passed else "failed",
        obj=st.activity(f"modules/{slug}/quiz", "assessment", slug), timestamp=attempt.submitted_at,
        result={"score": {"scaled": attempt.score / 100, "raw": attempt.score, "min": 0, "max": 100},
                "success": attempt.passed, "completion": True}))


def certificate_issued(*, certificate) -> None:
    if not enabled():
        return
    _enqueue(st.statement(event=f"certificate:{certificate.pk}", user_id=certificate.user_id, verb="earned",
                          obj=st.activity(f"verify/{certificate.code}", "badge", certificate.module.slug),
                          timestamp=certificate.issued_at))


def coaching_milestone(*, kind: str, mission) -> None:
    """A coaching request matched (registered), a session held (attended), a mission completed."""
    if not enabled():
        return
    request = mission.request
    obj = st.activity(f"coaching/missions/{mission.pk}", "objective", request.topic.key if request.topic_id else "")
    if kind == "matched":
        statement = st.statement(event=f"mission-matched:{mission.pk}", user_id=request.learner_id, verb="registered", obj=obj,
                                 timestamp=mission.created_at)
    elif kind == "completed":
        statement = st.statement(event=f"mission-completed:{mission.pk}", user_id=request.learner_id, verb="completed", obj=obj,
                                 timestamp=mission.completed_at or timezone.now(), result={"completion": True})
    else:
        return
    _enqueue(statement)
