"""Cohorts: create and update them, join one (creating the learner's account if needed), leave one."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.data_rights.consent import consent_record_cohort_join, consent_record_signup
from accounts.models import Association, Intermediary, IntermediaryStaff, User
from accounts.services import association_create, user_create
from courses.models import Module
from learners.services import enrollment_create

from ..models import Cohort, CohortInvitation, CohortMembership, CohortModule
from ..permissions import can_manage_intermediary
from .stats import cohort_stats_rebuild, member_names_refresh, members_refresh

COHORT_FIELDS = ("name", "description", "language", "starts_on", "ends_on", "stalled_after_days")


@dataclass
class ModuleAssignment:
    module: Module
    target_date: date | None = None


def _check_facilitators(intermediary: Intermediary, facilitators: list[User]) -> None:
    staff_ids = set(IntermediaryStaff.objects.filter(intermediary=intermediary).values_list("user_id", flat=True))
    outsiders = [user.display_name for user in facilitators if user.pk not in staff_ids]
    if outsiders:
        raise ValidationError({"facilitators": _(
            "Facilitators must be staff of %(organisation)s: %(names)s. Add them to its staff first, or choose someone else."
        ) % {"organisation": intermediary.name, "names": ", ".join(outsiders)}})


def _check_modules(modules: list[ModuleAssignment]) -> None:
    if not modules:
        raise ValidationError({"modules": _("Choose at least one module for the cohort.")})
    seen = set()
    for assignment in modules:
        if assignment.module.pk in seen:
            raise ValidationError({"modules": _("Each module can be assigned only once to a cohort.")})
        seen.add(assignment.module.pk)
        if not assignment.module.is_published:
            raise ValidationError({"modules": _(
                "The module “%(slug)s” is not published: only published modules can be assigned to a cohort."
            ) % {"slug": assignment.module.slug}})


def _check_fields(cohort: Cohort) -> None:
    errors = {}
    if cohort.language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the site's languages for the cohort.")
    if cohort.starts_on and cohort.ends_on and cohort.ends_on < cohort.starts_on:
        errors["ends_on"] = _("The end date is before the start date: correct one of them.")
    if not 1 <= (cohort.stalled_after_days or 0) <= 365:
        errors["stalled_after_days"] = _("A learner counts as stalled after 1 to 365 days without activity; choose a number in that range.")
    if errors:
        raise ValidationError(errors)
    cohort.full_clean(exclude=["facilitators"])


def _set_modules(cohort: Cohort, modules: list[ModuleAssignment]) -> list[int]:
    """Replace the cohort's modules (in this order). Returns the ids of modules newly added."""
    existing = {cm.module_id: cm for cm in cohort.cohort_modules.all()}
    wanted = [a.module.pk for a in modules]
    CohortModule.objects.filter(cohort=cohort).exclude(module_id__in=wanted).delete()
    added = []
    for position, assignment in enumerate(modules, start=1):
        current = existing.get(assignment.module.pk)
        if current is None:
            CohortModule.objects.create(cohort=cohort, module=assignment.module, position=position, target_date=assignment.target_date)
            added.append(assignment.module.pk)
        elif (current.position, current.target_date) != (position, assignment.target_date):
            current.position, current.target_date = position, assignment.target_date
            current.save(update_fields=["position", "target_date"])
    return added


@transaction.atomic
def cohort_create(*, intermediary: Intermediary, created_by: User, name: str, modules: list[ModuleAssignment],
                  description: str = "", language: str = settings.LANGUAGE_CODE, starts_on: date | None = None,
                  ends_on: date | None = None, stalled_after_days: int = 14, facilitators: list[User] | None = None) -> Cohort:
    if not can_manage_intermediary(created_by, intermediary.pk):
        raise PermissionDenied(_("Only the staff of %(organisation)s can create its cohorts.") % {"organisation": intermediary.name})
    cohort = Cohort(intermediary=intermediary, created_by=created_by, name=name.strip(), description=description.strip(),
                    language=language, starts_on=starts_on, ends_on=ends_on, stalled_after_days=stalled_after_days)
    _check_fields(cohort)
    facilitators = list(facilitators or [])
    _check_facilitators(intermediary, facilitators)
    _check_modules(modules)
    cohort.save()
    cohort.facilitators.set(facilitators)
    _set_modules(cohort, modules)
    cohort_stats_rebuild(cohort_id=cohort.pk)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, data: dict, modules: list[ModuleAssignment] | None = None,
                  facilitators: list[User] | None = None) -> Cohort:
    """Change a cohort. Members already in it are enrolled in modules added later (by a task)."""
    unknown = set(data) - set(COHORT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in data.items():
        setattr(cohort, name, value.strip() if isinstance(value, str) else value)
    _check_fields(cohort)
    cohort.save()
    if facilitators is not None:
        _check_facilitators(cohort.intermediary, facilitators)
        cohort.facilitators.set(facilitators)
    if modules is not None:
        _check_modules(modules)
        before = list(cohort.cohort_modules.order_by("position", "id").values_list("module_id", flat=True))
        added = _set_modules(cohort, modules)
        if before != [a.module.pk for a in modules]:
            cohort_stats_rebuild(cohort_id=cohort.pk)  # the members' masks follow the cohort's modules
        if added and cohort.memberships.filter(status=CohortMembership.Status.ACTIVE).exists():
            from core.outbox import outbox_enqueue

            from ..tasks import cohort_enrolments_sync_task

            outbox_enqueue(cohort_enrolments_sync_task, args=[cohort.pk, settings.LANGUAGE_CODE],
                           key=f"cohort-enrolments-sync:{cohort.pk}:{uuid.uuid4().hex}")
    return cohort


def _enrol_in_cohort_modules(*, cohort: Cohort, user: User) -> int:
    count = 0
    # In the cohort's order: a learner's modules never started are listed in the order they were enrolled in.
    for cohort_module in (cohort.cohort_modules.filter(module__status=Module.Status.PUBLISHED).select_related("module")
                          .order_by("position", "id")):
        module = cohort_module.module
        enrollment_create(user=user, module=module)
        count += 1
    return count


def cohort_enrolments_sync(*, cohort_id: int) -> int:
    """Enrol every active member in every published module of the cohort (idempotent)."""
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return 0
    count = 0
    user_ids = cohort.memberships.filter(status=CohortMembership.Status.ACTIVE).values_list("user_id", flat=True)
    for user in User.objects.filter(pk__in=list(user_ids)):
        with transaction.atomic():
            count += _enrol_in_cohort_modules(cohort=cohort, user=user)
    return count


INVITATION_STATE_ERRORS = {
    "revoked": gettext_lazy("This invitation has been withdrawn. Ask the cohort's facilitators for a new one."),
    "expired": gettext_lazy("This invitation has expired. Ask the cohort's facilitators for a new one."),
    "used_up": gettext_lazy("This invitation has been used as many times as allowed. Ask the cohort's facilitators for a new one."),
}


def invitation_check(invitation: CohortInvitation, now: datetime | None = None) -> None:
    state = invitation.state(now)
    if state != "open":
        raise ValidationError(INVITATION_STATE_ERRORS[state], code=state)


@transaction.atomic
def cohort_join(*, invitation: CohortInvitation, user: User) -> tuple[CohortMembership, bool]:
    """Join the invitation's cohort: consume one use, record the membership, link the association
    given in the invitation and enrol in the cohort's modules. Joining twice changes nothing."""
    invitation = CohortInvitation.objects.select_for_update().select_related("cohort__intermediary").get(pk=invitation.pk)
    cohort = invitation.cohort
    membership = CohortMembership.objects.select_for_update().filter(cohort=cohort, user=user).first()
    if membership is not None and membership.status == CohortMembership.Status.ACTIVE:
        _enrol_in_cohort_modules(cohort=cohort, user=user)
        return membership, False
    invitation_check(invitation)
    if invitation.kind == CohortInvitation.Kind.PERSONAL and invitation.email.lower() != user.email.lower():
        raise ValidationError(_(
            "This invitation was sent to another email address. Log in with the account of that address, "
            "or ask the facilitators to invite the address you use."
        ))
    # Under the invitation's row lock: two people cannot both take the last use.
    invitation.uses_count += 1
    invitation.save(update_fields=["uses_count"])
    if membership is None:
        try:
            with transaction.atomic():
                membership = CohortMembership.objects.create(cohort=cohort, user=user, invitation=invitation)
        except IntegrityError:  # joined in parallel through another invitation
            membership = CohortMembership.objects.get(cohort=cohort, user=user)
    else:  # coming back after leaving: the earlier progress is still there
        membership.status = CohortMembership.Status.ACTIVE
        membership.left_at = None
        membership.invitation = invitation
        membership.save(update_fields=["status", "left_at", "invitation"])
    if user.association_id is None and invitation.association_name.strip():
        user.association = association_create(name=invitation.association_name, country=cohort.intermediary.country)
        User.objects.filter(pk=user.pk).update(association=user.association)
    if not user.is_learner:
        User.objects.filter(pk=user.pk).update(is_learner=True)
        user.is_learner = True
    _enrol_in_cohort_modules(cohort=cohort, user=user)
    member_names_refresh(user_ids=[user.pk])
    members_refresh(membership_ids=[membership.pk], diagnostics=True, joining=True)
    consent_record_cohort_join(user=user, cohort=cohort)  # data rights: who now sees what, as shown on the join page
    return membership, True


@transaction.atomic
def cohort_join_new_user(*, invitation: CohortInvitation, email: str, display_name: str, password: str,
                         preferred_language: str, association_name: str = "", association_country: str = "",
                         association_city: str = "") -> tuple[User, CohortMembership]:
    """Create the invitee's account (with their password and association), then join."""
    invitation_check(invitation)
    if invitation.kind == CohortInvitation.Kind.PERSONAL:
        email = invitation.email
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the site's languages.")})
    display_name = (display_name or invitation.display_name).strip()
    if not display_name:
        raise ValidationError({"display_name": _("Tell us your name: the cohort's facilitators will see it.")})
    try:
        password_validation.validate_password(password, User(email=email, display_name=display_name))
    except ValidationError as error:
        raise ValidationError({"password": error.messages})
    association: Association | None = None
    name = association_name.strip() or invitation.association_name.strip()
    if name:
        association = association_create(name=name, country=association_country or invitation.cohort.intermediary.country,
                                         city=association_city)
    user = user_create(email=email, password=password, display_name=display_name,
                       preferred_language=preferred_language, is_learner=True, association=association)
    consent_record_signup(user=user)  # the join page shows the sign-up notice above its form
    membership, _created = cohort_join(invitation=invitation, user=user)
    return user, membership


@transaction.atomic
def cohort_leave(*, membership: CohortMembership) -> CohortMembership:
    """Leave a cohort (or be removed by staff): the learner keeps every enrolment and all progress;
    the cohort's staff stop seeing them."""
    members_refresh(membership_ids=[membership.pk], leaving=True)
    CohortMembership.objects.filter(pk=membership.pk, status=CohortMembership.Status.ACTIVE).update(
        status=CohortMembership.Status.LEFT, left_at=timezone.now())
    membership.refresh_from_db()
    return membership
