"""Networks (a funder or a federation grouping intermediaries that agreed to it) and impact reports."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Country


class Network(models.Model):
    """A foundation, a federation or a city that funds or groups several intermediaries. Its staff see
    aggregates only, across the intermediaries whose membership is accepted."""

    class Kind(models.TextChoices):
        FUNDER = "funder", _("Funder")
        FEDERATION = "federation", _("Federation")
        PUBLIC = "public", _("Public authority")
        OTHER = "other", _("Other network")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FUNDER)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.FRANCE)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, through="impact.NetworkStaff", related_name="networks", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class NetworkStaff(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships")
    is_manager = models.BooleanField(_("manager"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network staff member")
        verbose_name_plural = _("network staff")
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="uniq_network_staff")]


class NetworkMembership(models.Model):
    """An intermediary in a network: invited by the network, accepted (or declined) by a manager of the
    intermediary, who may withdraw it at any time. Only an accepted membership opens the aggregates."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="intermediary_links")
    intermediary = models.ForeignKey("accounts.Intermediary", on_delete=models.CASCADE, related_name="network_links")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED, db_index=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "intermediary"]
        constraints = [models.UniqueConstraint(fields=["network", "intermediary"], name="uniq_network_intermediary")]


class ImpactReport(models.Model):
    """A PDF of an impact report, written by a Celery task (queued through the outbox) under VAR_DIR/reports."""

    class Scope(models.TextChoices):
        COHORT = "cohort", _("Cohort")
        INTERMEDIARY = "intermediary", _("Intermediary")
        NETWORK = "network", _("Network")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    scope = models.CharField(max_length=12, choices=Scope.choices)
    scope_id = models.PositiveIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    language = models.CharField(max_length=10, default="fr")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file_path = models.CharField(max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="impact_report_progress_percent"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="impact_report_period_in_order"),
        ]
