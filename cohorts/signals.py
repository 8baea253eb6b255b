"""Loose side effects on the cohorts' stored aggregates (cohorts/services/stats.py).

- A membership deleted (its learner's account deleted, the cascade of a user): the cohort's
  CohortStats row is dropped in the same transaction and rebuilt from the base tables when next
  read, whatever order the cascade deleted the enrolments and memberships in.
- A learner's name or association renamed: the matrix's sort keys follow.
"""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Association, User

from .models import CohortMembership, CohortStats


@receiver(post_delete, sender=CohortMembership, dispatch_uid="cohorts_membership_deleted")
def membership_deleted(sender, instance: CohortMembership, **kwargs) -> None:
    CohortStats.objects.filter(cohort_id=instance.cohort_id).delete()


@receiver(post_save, sender=User, dispatch_uid="cohorts_user_renamed")
def user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and not {"display_name", "association"} & set(update_fields)):
        return
    from .services.stats import member_names_refresh

    member_names_refresh(user_ids=[instance.pk])


@receiver(post_save, sender=Association, dispatch_uid="cohorts_association_renamed")
def association_saved(sender, instance: Association, created: bool, **kwargs) -> None:
    if created:
        return
    from .services.stats import member_names_refresh

    member_names_refresh(user_ids=list(User.objects.filter(association=instance).values_list("pk", flat=True)))
