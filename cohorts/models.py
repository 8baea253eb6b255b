"""Cohorts run by intermediaries: the cohort, its modules and members, invitations (link, code,
CSV bulk invite), exports for funders and reminders to stalled learners."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# No look-alike characters (0/O, 1/I/L): codes are read aloud and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def invitation_token() -> str:
    return secrets.token_urlsafe(24)


def invitation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def facilitator_names(self) -> list[str]:
        """The facilitators' names, as every cohort page's header shows them (their names alone: no user rows)."""
        return list(self.facilitators.values_list("display_name", flat=True))


class CohortModule(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="cohort_modules")
    module = models.ForeignKey("courses.Module", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    # The module's bit in the members' stored masks (0..62), given by cohort_stats_rebuild.
    slot = models.PositiveSmallIntegerField(default=0, db_default=0)

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
    invitation = models.ForeignKey("cohorts.CohortInvitation", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="memberships")

    # Stored aggregates of this learner in the cohort's modules (cohorts/services/stats.py keeps them
    # in the same transaction as the progress; docs/performance.md). Bit n of a mask is the module
    # whose CohortModule.slot is n. The matrix is sorted, filtered and paginated on these columns.
    State = models.IntegerChoices("State", "NOT_STARTED OPEN COMPLETED", start=0)
    state = models.PositiveSmallIntegerField(default=0, db_default=0)  # not started / started, unfinished / every module done
    last_active_on = models.DateField(null=True, blank=True)  # local date of the latest activity in the cohort's modules
    percent_sum = models.PositiveIntegerField(default=0, db_default=0)  # sum of the module percents
    started_mask = models.BigIntegerField(default=0, db_default=0)
    completed_mask = models.BigIntegerField(default=0, db_default=0)
    certified_mask = models.BigIntegerField(default=0, db_default=0)
    sort_name = models.CharField(max_length=150, blank=True, default="", db_default="")  # casefolded name
    sort_association = models.CharField(max_length=200, blank=True, default="", db_default="")  # casefolded association
    diagnostic_baseline = models.PositiveSmallIntegerField(null=True, blank=True)  # score at joining
    diagnostic_latest = models.PositiveSmallIntegerField(null=True, blank=True)
    diagnostic_retaken = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="uniq_cohort_membership")]
        indexes = [
            models.Index(fields=["cohort", "status"], name="cohort_membership_status"),
            models.Index(fields=["cohort", "status", "sort_name", "user"], name="cohort_member_by_name"),
            models.Index(fields=["cohort", "status", "state", "last_active_on"], name="cohort_member_by_state"),
            models.Index(fields=["cohort", "status", "percent_sum"], name="cohort_member_by_percent"),
        ]


class CohortInvitation(models.Model):
    """A way into a cohort: a shareable link/code (many uses) or a personal one from a CSV row (one use)."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link and code")
        PERSONAL = "personal", _("Personal invitation")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LINK)
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    code = models.CharField(_("invitation code"), max_length=16, unique=True, default=invitation_code)
    label = models.CharField(_("label"), max_length=120, blank=True)
    # Personal invitations: who is invited, as given in the CSV file.
    email = models.EmailField(_("email address"), blank=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    association_name = models.CharField(_("association"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    expires_at = models.DateTimeField(_("expires on"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("maximum number of uses"), null=True, blank=True)
    uses_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(condition=Q(max_uses__isnull=True) | Q(uses_count__lte=models.F("max_uses")),
                                   name="invitation_uses_within_max"),
            models.CheckConstraint(condition=Q(kind="link") | ~Q(email=""), name="personal_invitation_has_email"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}:{self.code}"

    @property
    def code_display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    def state(self, now=None) -> str:
        """open, revoked, expired or used_up."""
        from django.utils import timezone

        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return "expired"
        if self.max_uses is not None and self.uses_count >= self.max_uses:
            return "used_up"
        return "open"


class CohortInviteImport(models.Model):
    """A CSV file of people to invite: parsed once into rows (the dry run), then confirmed once."""

    class Status(models.TextChoices):
        DRY_RUN = "dry_run", _("Checked, not sent yet")
        CONFIRMED = "confirmed", _("Invitations sent")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invite_imports")
    filename = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRY_RUN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class CohortInviteRow(models.Model):
    """One line of an import with what will happen (action) or why it is refused (error)."""

    class Action(models.TextChoices):
        INVITE_NEW = "invite_new", _("Will be invited and will create an account")
        INVITE_EXISTING = "invite_existing", _("Already has an account: will be invited to join")
        RESEND = "resend", _("Already invited: the invitation will be sent again")
        ALREADY_MEMBER = "already_member", _("Already in this cohort: nothing to do")
        ERROR = "error", _("Refused")

    class Error(models.TextChoices):
        INVALID_EMAIL = "invalid_email", _("Invalid email address")
        UNKNOWN_LANGUAGE = "unknown_language", _("Unknown language")
        DUPLICATE = "duplicate", _("Duplicate")
        TOO_LONG = "too_long", _("Too long")

    batch = models.ForeignKey(CohortInviteImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    email = models.CharField(max_length=254, blank=True)
    display_name = models.CharField(max_length=150, blank=True)
    association_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    error = models.CharField(max_length=20, choices=Error.choices, blank=True)
    message = models.CharField(max_length=300, blank=True)
    invitation = models.ForeignKey(CohortInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["batch", "line"]


class CohortExport(models.Model):
    """A CSV or XLSX file of a cohort's progress, written by a Celery task under VAR_DIR/exports."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=5, choices=Format.choices, default=Format.CSV)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file_path = models.CharField(max_length=300, blank=True)  # relative to VAR_DIR / "exports"
    file_size = models.PositiveBigIntegerField(default=0)
    language = models.CharField(max_length=10, default="fr")
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The run writing it proves it is alive with each progress step; a run silent for
    # ESSOR_EXPORT_STALE_SECONDS died and is resumed (at most EXPORT_MAX_ATTEMPTS runs) or failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    run_token = models.CharField(max_length=16, blank=True)  # the run that owns it: only that run may finish it

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent")]


class CohortReminder(models.Model):
    """A reminder sent (or being sent) to a learner of a cohort.

    Automatic reminders carry the start of the inactivity period they answer; the unique
    constraint makes "at most one per learner per period" hold even when the task runs twice."""

    class Kind(models.TextChoices):
        AUTOMATIC = "auto", _("Automatic")
        MANUAL = "manual", _("Sent by staff")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AUTOMATIC)
    inactive_since = models.DateTimeField(null=True, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user", "period_start"], condition=Q(kind="auto"),
                                    name="uniq_automatic_reminder_per_period"),
        ]


# --- Stored aggregates (cohorts/services/stats.py; tables described in docs/performance.md) ----------

class CohortStats(models.Model):
    """A cohort's header figures that do not depend on the time of day: counts of its active members.
    Every figure is a sum over members, so cohorts add up (an intermediary, a network)."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, primary_key=True, related_name="stats")
    learners = models.IntegerField(default=0)
    started = models.IntegerField(default=0)  # started at least one cohort module
    completed_all = models.IntegerField(default=0)  # completed every cohort module
    certificates = models.IntegerField(default=0)  # in the cohort's modules, not revoked
    diagnostic_learners = models.IntegerField(default=0)  # members with a score at joining
    diagnostic_sum_baseline = models.IntegerField(default=0)
    diagnostic_sum_latest = models.IntegerField(default=0)
    diagnostic_retaken = models.IntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)


class CohortModuleStats(models.Model):
    """Per cohort × module: members who started it, completed it, hold its certificate."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="module_stats")
    module = models.ForeignKey("courses.Module", on_delete=models.CASCADE, related_name="+")
    started = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    certificates = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "module"], name="uniq_cohort_module_stats")]


class CohortActivityDay(models.Model):
    """How many members had their latest activity on each day: `module_id` 0 counts members
    (`learners`, and `open`: started but not every module done), a module id counts that module's
    open cells. "Stalled" and "active in the last 7 days" are sums over a range of days, whatever
    the cohort's size."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="activity_days")
    day = models.DateField()  # local date; 2000-01-01 for "never" (a start with no recorded time)
    module_id = models.IntegerField(default=0)
    learners = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "day", "module_id"], name="uniq_cohort_activity_day")]


class CohortMonthStats(models.Model):
    """Per cohort × month × module (0: the whole cohort): completions and certificates (trends by month)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="month_stats")
    month = models.DateField()  # first day of the month (local)
    module_id = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    certificates = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "month", "module_id"], name="uniq_cohort_month_stats")]
