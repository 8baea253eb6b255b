"""Who may do what with a cohort. Staff of an intermediary manage all of its cohorts; a site
administrator manages every cohort; nobody else (learners included) sees a cohort's dashboard."""
from __future__ import annotations

from accounts.models import Intermediary, IntermediaryStaff, User

from .models import Cohort, CohortMembership


def can_manage_intermediary(user: User, intermediary_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return IntermediaryStaff.objects.filter(user=user, intermediary_id=intermediary_id).exists()


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    return can_manage_intermediary(user, cohort.intermediary_id)


def can_create_cohort(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_intermediary_staff


def intermediaries_for(user: User):
    """The intermediaries whose cohorts this user may create and manage."""
    if not user.is_authenticated:
        return Intermediary.objects.none()
    if user.is_superuser:
        return Intermediary.objects.all()
    return Intermediary.objects.filter(memberships__user=user)


def can_leave_membership(user: User, membership: CohortMembership) -> bool:
    """A learner leaves their own membership; staff of the cohort may remove a learner."""
    return membership.user_id == user.pk or can_manage_cohort(user, membership.cohort)
