"""Reads on accounts that other apps use."""
from django.db.models import QuerySet

from .models import Intermediary, User


def intermediary_list_for_staff(*, user: User) -> QuerySet[Intermediary]:
    if user.is_superuser:
        return Intermediary.objects.all()
    return Intermediary.objects.filter(memberships__user=user)


def user_is_staff_of(*, user: User, intermediary_id: int) -> bool:
    if user.is_superuser:
        return True
    return user.staff_memberships.filter(intermediary_id=intermediary_id).exists()
