"""Called by the learners and coaching services (named in settings, so those apps do not import this
one) in the transaction of the event: each records a statement in the outbox, to be sent after commit.
Nothing is recorded while XAPI_LRS_URL is empty (the default)."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from . import statements as st


def enabled() -> bool:
    return bool(getattr(settings, "XAPI_LRS_URL", ""))


def _key(statement_id) -> str:
    return f"xapi:{statement_id}"


def _enqueue(statement: dict, *, user_id: int | None = None) -> None:
    """Owe the statement (outbox, sent after commit); one about a learner is also recorded by its id
    (StatementRecord), for the voiding an account erasure owes."""
    from core.outbox import outbox_enqueue

    from .models import StatementRecord
    from .tasks import xapi_statement_send_task

    outbox_enqueue(xapi_statement_send_task, args=[statement], key=_key(statement["id"]))
    if user_id is not None:
        StatementRecord.objects.bulk_create([StatementRecord(statement_id=statement["id"], user_id=user_id)],
                                            ignore_conflicts=True)


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
                              obj=module, timestamp=now, result={"extensions": {st.PROGRESS_EXTENSION: row["percent"]}}),
                 user_id=user_id)
    if row["completed_at"] is not None:
        _enqueue(st.statement(event=f"completed:{user_id}:{module_id}", user_id=user_id, verb="completed", obj=module,
                              timestamp=row["completed_at"], result={"completion": True}), user_id=user_id)


def quiz_attempted(*, attempt) -> None:
    if not enabled():
        return
    slug = attempt.quiz.module.slug
    _enqueue(st.statement(
        event=f"quiz-attempt:{attempt.pk}", user_id=attempt.user_id, verb="passed" if attempt.passed else "failed",
        obj=st.activity(f"modules/{slug}/quiz", "assessment", slug), timestamp=attempt.submitted_at,
        result={"score": {"scaled": attempt.score / 100, "raw": attempt.score, "min": 0, "max": 100},
                "success": attempt.passed, "completion": True}), user_id=attempt.user_id)


def certificate_issued(*, certificate) -> None:
    if not enabled():
        return
    _enqueue(st.statement(event=f"certificate:{certificate.pk}", user_id=certificate.user_id, verb="earned",
                          obj=st.activity(f"verify/{certificate.code}", "badge", certificate.module.slug),
                          timestamp=certificate.issued_at), user_id=certificate.user_id)


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
    _enqueue(statement, user_id=request.learner_id)


def account_erased(*, user_id: int) -> int:
    """Called in the erasure's transaction (settings.ESSOR_ACCOUNT_ERASED_HOOKS), after the other apps'
    handlers: owe one voiding statement for every statement recorded about the person, through the
    outbox like any statement (an LRS outage delays them, a second run adds nothing). Statements not
    sent yet, and not being sent, are not sent at all (voided anyway: one may have reached the LRS before
    a timeout). Then the records go: the voiding statements name the originals only, never the person.
    Runs whether or not XAPI_LRS_URL is set now: statements sent earlier are owed their voiding."""
    from core.outbox import outbox_cancel

    from .models import StatementRecord

    records = StatementRecord.objects.filter(user_id=user_id)
    ids = [str(value) for value in records.order_by("pk").values_list("statement_id", flat=True)]
    if not ids:
        return 0
    outbox_cancel(keys=[_key(value) for value in ids])
    now = timezone.now()
    for original_id in ids:
        _enqueue(st.voiding(original_id=original_id, timestamp=now))
    records.delete()
    return len(ids)
