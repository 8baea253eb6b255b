"""Lists and look-ups of cohorts, members, invitations, exports and reminders — filtered by permission here."""
from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User

from ..models import CODE_LENGTH, Cohort, CohortExport, CohortInvitation, CohortInviteImport, CohortMembership, CohortReminder


def cohort_list_for_staff(*, user: User) -> QuerySet[Cohort]:
    """The cohorts of the intermediaries this user works for (every cohort for a site administrator)."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    cohorts = Cohort.objects.all() if user.is_superuser else Cohort.objects.filter(intermediary__memberships__user=user)
    return cohorts.select_related("intermediary").annotate(
        learner_count=Count("memberships", filter=Q(memberships__status=CohortMembership.Status.ACTIVE), distinct=True),
        module_count=Count("cohort_modules", distinct=True),
    ).order_by("-created_at", "-id")


def cohort_get_for_staff(*, user: User, pk: int) -> Cohort:
    """The cohort if this user may manage it; 404 otherwise (never reveal that it exists)."""
    if not user.is_authenticated:
        raise Http404
    cohorts = Cohort.objects.all() if user.is_superuser else Cohort.objects.filter(intermediary__memberships__user=user)
    cohort = cohorts.select_related("intermediary").filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


def membership_list_for_learner(*, user: User) -> QuerySet[CohortMembership]:
    """A learner's own cohorts (active ones), with who can see their progress."""
    return (CohortMembership.objects.filter(user=user, status=CohortMembership.Status.ACTIVE)
            .select_related("cohort__intermediary")
            .prefetch_related(Prefetch("cohort__facilitators", queryset=User.objects.only("id", "display_name")))
            .order_by("-joined_at"))


def membership_get_for_learner(*, user: User, pk: int) -> CohortMembership:
    membership = CohortMembership.objects.select_related("cohort").filter(pk=pk, user=user).first()
    if membership is None:
        raise Http404
    return membership


def cohort_member_get(*, cohort: Cohort, user_id: int) -> CohortMembership:
    """An active member of this cohort (404 for anybody else: staff never see non-members)."""
    membership = (CohortMembership.objects.select_related("user__association")
                  .filter(cohort=cohort, user_id=user_id, status=CohortMembership.Status.ACTIVE).first())
    if membership is None:
        raise Http404
    return membership


def cohort_member_values(*, cohort: Cohort) -> list[dict]:
    return list(
        CohortMembership.objects.filter(cohort=cohort, status=CohortMembership.Status.ACTIVE)
        .order_by("user__display_name", "user_id")
        .values("id", "user_id", "joined_at", name=F("user__display_name"), email=F("user__email"),
                association=F("user__association__name"))
    )


def invitation_list(*, cohort: Cohort, kind: str | None = None) -> QuerySet[CohortInvitation]:
    invitations = cohort.invitations.all()
    if kind:
        invitations = invitations.filter(kind=kind)
    return invitations.order_by("-created_at", "-id")


def invitation_get(*, cohort: Cohort, pk: int) -> CohortInvitation:
    invitation = cohort.invitations.filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(*, token: str) -> CohortInvitation:
    invitation = (CohortInvitation.objects.select_related("cohort__intermediary")
                  .prefetch_related("cohort__facilitators").filter(token=token).first())
    if invitation is None:
        raise Http404
    return invitation


def code_normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def invitation_by_code(*, code: str) -> CohortInvitation | None:
    code = code_normalise(code)
    if len(code) != CODE_LENGTH:
        return None
    return CohortInvitation.objects.filter(code=code, kind=CohortInvitation.Kind.LINK).first()


def invite_import_get(*, cohort: Cohort, pk: int) -> CohortInviteImport:
    batch = cohort.invite_imports.filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def invite_import_rows(*, batch: CohortInviteImport) -> list[dict]:
    return list(batch.rows.order_by("line").values(
        "line", "email", "display_name", "association_name", "language", "action", "error", "message", "invitation_id"))


def export_list(*, cohort: Cohort) -> QuerySet[CohortExport]:
    return cohort.exports.select_related("created_by").order_by("-created_at", "-id")


def export_get(*, cohort: Cohort, pk: int) -> CohortExport:
    export = cohort.exports.filter(pk=pk).first()
    if export is None:
        raise Http404
    return export


def reminder_list(*, cohort: Cohort) -> QuerySet[CohortReminder]:
    return cohort.reminders.select_related("user", "created_by").order_by("-created_at", "-id")
