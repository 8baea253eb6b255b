"""Who may see which impact page: staff of an intermediary its overview; staff of a network the
aggregates of the intermediaries whose membership is accepted (never a learner); the intermediary's
managers answer and withdraw network invitations."""
from __future__ import annotations

from accounts.models import Intermediary, IntermediaryStaff
from cohorts.models import Cohort
from cohorts.permissions import can_manage_intermediary

from .models import ImpactReport, Network, NetworkMembership, NetworkStaff


def can_view_intermediary(user, intermediary_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or IntermediaryStaff.objects.filter(user=user, intermediary_id=intermediary_id).exists()


def can_manage_intermediary_networks(user, intermediary_id: int) -> bool:
    """A manager of the intermediary accepts, declines and withdraws its network memberships."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or IntermediaryStaff.objects.filter(user=user, intermediary_id=intermediary_id,
                                                                 is_manager=True).exists()


def can_view_network(user, network_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or NetworkStaff.objects.filter(user=user, network_id=network_id).exists()


def can_invite_to_network(user, network_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or NetworkStaff.objects.filter(user=user, network_id=network_id, is_manager=True).exists()


def intermediaries_for(user):
    if not user.is_authenticated:
        return Intermediary.objects.none()
    if user.is_superuser:
        return Intermediary.objects.all()
    return Intermediary.objects.filter(memberships__user=user).distinct()


def networks_for(user):
    if not user.is_authenticated:
        return Network.objects.none()
    if user.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(memberships__user=user).distinct()


def network_intermediary_ids(network_id: int) -> list[int]:
    """Only accepted memberships open an intermediary's aggregates; a withdrawal closes them at once."""
    return list(NetworkMembership.objects.filter(network_id=network_id, status=NetworkMembership.Status.ACCEPTED)
                .values_list("intermediary_id", flat=True))


def can_view_report(user, scope: str, scope_id: int) -> bool:
    if scope == ImpactReport.Scope.COHORT:
        intermediary_id = Cohort.objects.filter(pk=scope_id).values_list("intermediary_id", flat=True).first()
        return intermediary_id is not None and can_manage_intermediary(user, intermediary_id)
    if scope == ImpactReport.Scope.INTERMEDIARY:
        return can_view_intermediary(user, scope_id)
    if scope == ImpactReport.Scope.NETWORK:
        return can_view_network(user, scope_id)
    return False
