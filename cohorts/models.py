"""Cohorts run by intermediaries: the cohort, its modules and its members.

(Invitations, exports and reminders are added by the cohorts feature.)"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    intermediary = models.ForeignKey("accounts.Intermediary", on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    stalled_after_days = models.PositiveSmallIntegerField(_("stalled after (days)"), default=14)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts",
                                          verbose_name=_("facilitators"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name


class CohortModule(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="cohort_modules")
    module = models.ForeignKey("courses.Module", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    target_date = models.DateField(_("target date"), null=True, blank=True)

    class Meta:
        ordering = ["cohort", "position"]
        constraints = [models.UniqueConstraint(fields=["cohort", "module"], name="uniq_cohort_module")]


class CohortMembership(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="uniq_cohort_membership")]
