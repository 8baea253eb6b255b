"""Coach profiles, coaching requests (with their transition log), proposals, missions, sessions,
feedback, and the log that makes notification emails idempotent."""
import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Country


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone we know. Use a name such as Europe/Paris or Asia/Shanghai."),
            params={"value": value},
        )


def language_choices():
    return list(settings.LANGUAGES)


class Level(models.IntegerChoices):
    """How well a coach masters a skill."""

    WORKING = 1, _("Working knowledge")
    EXPERIENCED = 2, _("Experienced")
    EXPERT = 3, _("Expert")


class LanguageLevel(models.IntegerChoices):
    BASIC = 1, _("Basic")
    FLUENT = 2, _("Fluent")
    NATIVE = 3, _("Native or bilingual")


class CoachProfile(models.Model):
    """What a pro bono coach offers: skills, languages, place, time. Only vetted profiles are proposed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_profile")
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.FRANCE)
    city = models.CharField(_("city"), max_length=120, blank=True)
    works_remotely = models.BooleanField(_("I can coach remotely"), default=True)
    works_in_person = models.BooleanField(_("I can coach in person"), default=False)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone])
    monthly_capacity_hours = models.PositiveSmallIntegerField(
        _("hours I can give per month"), default=4, validators=[MinValueValidator(1), MaxValueValidator(160)]
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    employer = models.CharField(
        _("employer"), max_length=200, blank=True,
        help_text=_("Optional: fill it in if you coach through your employer's pro bono programme."),
    )
    bio = models.TextField(_("short biography"), max_length=2000, blank=True)
    is_vetted = models.BooleanField(_("vetted"), default=False)
    vetted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("vetted by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    vetted_at = models.DateTimeField(_("vetted on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__display_name", "id"]
        verbose_name = _("coach profile")
        verbose_name_plural = _("coach profiles")
        constraints = [
            models.CheckConstraint(condition=Q(works_remotely=True) | Q(works_in_person=True), name="coach_works_somehow"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self):
        if not (self.works_remotely or self.works_in_person):
            raise ValidationError(_("Tick remote work, in-person work or both, so that we know how you can coach."))
        if self.works_in_person and not self.city.strip():
            raise ValidationError({"city": _("Give your city so that we can propose in-person missions near you.")})
        if self.available_from and self.available_until and self.available_until < self.available_from:
            raise ValidationError({"available_until": _("The end of your availability must come after its start.")})


class CoachSkill(models.Model):
    """A curriculum topic (finance, strategy...) or a free tag (\"Excel\", \"WeChat\"), with a level."""

    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="skills")
    topic = models.ForeignKey("courses.Topic", verbose_name=_("topic"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    tag = models.CharField(_("other skill"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.EXPERIENCED)

    class Meta:
        ordering = ["profile", "topic_id", "tag"]
        constraints = [
            models.CheckConstraint(condition=(Q(topic__isnull=False) & Q(tag="")) | (Q(topic__isnull=True) & ~Q(tag="")),
                                   name="coach_skill_topic_xor_tag"),
            models.UniqueConstraint(fields=["profile", "topic"], condition=Q(topic__isnull=False), name="uniq_coach_topic"),
            models.UniqueConstraint(fields=["profile", "tag"], condition=~Q(tag=""), name="uniq_coach_tag"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id or self.tag} ({self.level})"


class CoachLanguage(models.Model):
    profile = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LanguageLevel.choices, default=LanguageLevel.FLUENT)

    class Meta:
        ordering = ["profile", "-level", "language"]
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="uniq_coach_language")]

    def __str__(self) -> str:
        return f"{self.language} ({self.level})"


class CoachingRequest(models.Model):
    """A learner's request for a coaching mission in one topic, pre-filled from what they learned."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("coaching request", "Open")
        PROPOSED = "proposed", pgettext_lazy("coaching request", "Coach proposed")
        MATCHED = "matched", pgettext_lazy("coaching request", "Matched")
        IN_PROGRESS = "in_progress", pgettext_lazy("coaching request", "In progress")
        COMPLETED = "completed", pgettext_lazy("coaching request", "Completed")
        CANCELLED = "cancelled", pgettext_lazy("coaching request", "Cancelled")
        EXPIRED = "expired", pgettext_lazy("coaching request", "Expired")

    class Kind(models.TextChoices):
        MISSION = "mission", _("Coaching mission")
        SCOPING = "scoping", _("Scoping session (about one hour, to define the need)")

    class Format(models.TextChoices):
        REMOTE = "remote", _("Remote")
        IN_PERSON = "in_person", _("In person")
        EITHER = "either", _("Remote or in person")

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE,
                                related_name="coaching_requests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    topic = models.ForeignKey("courses.Topic", verbose_name=_("topic"), on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey("courses.Module", verbose_name=_("module completed"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    certificate = models.ForeignKey("learners.Certificate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cohort = models.ForeignKey("cohorts.Cohort", verbose_name=_("cohort"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    # The intermediary that follows the request: the cohort's, or that of the staff member who opened it.
    intermediary = models.ForeignKey("accounts.Intermediary", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    association = models.ForeignKey("accounts.Association", verbose_name=_("association"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # The self-diagnostic taken before the request, and its score in the request's area (0..100).
    diagnostic_before = models.ForeignKey("learners.DiagnosticResponse", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    diagnostic_score_before = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    need = models.TextField(_("your need, in your own words"), max_length=4000)
    expected_result = models.TextField(_("the result you expect"), max_length=2000)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.REMOTE)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.FRANCE)
    city = models.CharField(_("city"), max_length=120, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone])
    hours_wanted = models.PositiveSmallIntegerField(_("hours of coaching wanted"), default=6,
                                                    validators=[MinValueValidator(1), MaxValueValidator(200)])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # A short scoping session before a full mission (issue #17), the scoping session a mission follows,
    # and the coach asked first (the same coach again: sticky coaching; the coach accepts or not).
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MISSION, db_default=Kind.MISSION)
    follows = models.ForeignKey("self", verbose_name=_("follows"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="follow_ups")
    preferred_coach = models.ForeignKey("coaching.CoachProfile", verbose_name=_("coach asked first"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("coaching request")
        verbose_name_plural = _("coaching requests")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="coaching_request_dates_in_order",
                                   violation_error_message=_("The end of the time frame must come after its start.")),
            # One live request per learner and topic: a double click or a retried API call cannot open two.
            models.UniqueConstraint(
                fields=["learner", "topic"], condition=~Q(status__in=["completed", "cancelled", "expired"]),
                name="uniq_live_request_per_topic",
                violation_error_message=_("There is already a coaching request in this topic for this learner. "
                                          "Open it from the coaching page to follow it, or cancel it before asking again."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.topic_id} {self.learner_id}"

    def clean(self):
        codes = dict(settings.LANGUAGES)
        if not self.languages or any(code not in codes for code in self.languages):
            raise ValidationError({"languages": _("Choose at least one language in which you can be coached.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end of the time frame must come after its start.")})
        if self.format == self.Format.IN_PERSON and not self.city.strip():
            raise ValidationError({"city": _("Give the city where you would meet your coach, or choose remote coaching.")})

    @property
    def months(self) -> int:
        """Months the time frame spans (at least one): the hours are spread over them."""
        return max(1, math.ceil(((self.ends_on - self.starts_on).days + 1) / 30))

    @property
    def monthly_hours(self) -> int:
        """Hours per month this request takes from a coach's monthly capacity."""
        return math.ceil(self.hours_wanted / self.months)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def contacts_revealed(self) -> bool:
        return self.status in {self.Status.MATCHED, self.Status.IN_PROGRESS, self.Status.COMPLETED}


FINAL_STATUSES = {CoachingRequest.Status.COMPLETED, CoachingRequest.Status.CANCELLED, CoachingRequest.Status.EXPIRED}
ACTIVE_MISSION_STATUSES = {CoachingRequest.Status.MATCHED, CoachingRequest.Status.IN_PROGRESS}


class RequestTransition(models.Model):
    """Every change of a request's status: from, to, who (empty: the system), when."""

    request = models.ForeignKey(CoachingRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=CoachingRequest.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CoachingRequest.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Proposal(models.Model):
    """A coach put forward for a request: by staff (the coach accepts) or by the coach (an offer that
    staff or the learner confirm). The score and its breakdown are kept as they were when made."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposed by the intermediary")
        OFFER = "offer", _("Offered by the coach")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Closed")

    request = models.ForeignKey(CoachingRequest, on_delete=models.CASCADE, related_name="proposals")
    coach = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROPOSAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    score = models.FloatField(null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "coach"], condition=Q(status="pending"), name="uniq_pending_proposal",
                                    violation_error_message=_("This coach has already been proposed for this request "
                                                              "and has not answered yet.")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} request {self.request_id} coach {self.coach_id}"

    @property
    def respond_days(self) -> int:
        return settings.ESSOR_COACHING_RESPONSE_BUSINESS_DAYS

    @property
    def respond_by(self):
        """The answer the coach is asked for: within settings.ESSOR_COACHING_RESPONSE_BUSINESS_DAYS business
        days (Monday to Friday) of the proposal (the proposal itself expires later, at expires_at)."""
        return business_days_after(self.created_at, settings.ESSOR_COACHING_RESPONSE_BUSINESS_DAYS) if self.created_at else None


def business_days_after(moment, days: int):
    """`moment` moved on by `days` working days (Saturdays and Sundays skipped; public holidays are not known)."""
    import datetime as dt

    while days > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


class Mission(models.Model):
    """A confirmed match. One per request (the database refuses a second)."""

    request = models.OneToOneField(CoachingRequest, on_delete=models.CASCADE, related_name="mission")
    coach = models.ForeignKey(CoachProfile, on_delete=models.PROTECT, related_name="missions")
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="mission")
    # Hours per month reserved on the coach's capacity while the mission runs.
    monthly_hours = models.PositiveSmallIntegerField()
    objectives = models.TextField(_("agreed objectives"), max_length=4000, blank=True)
    objectives_set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    objectives_agreed_at = models.DateTimeField(null=True, blank=True)
    # Stored when a session is logged, so that lists and dashboards do not recount.
    minutes_logged = models.PositiveIntegerField(default=0)
    session_count = models.PositiveIntegerField(default=0)
    last_session_on = models.DateField(null=True, blank=True)
    completion_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                                related_name="+")
    completion_requested_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("coaching mission")
        verbose_name_plural = _("coaching missions")

    def __str__(self) -> str:
        return f"mission #{self.pk}"

    @property
    def hours_logged(self) -> float:
        return round(self.minutes_logged / 60, 1)


class Session(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"),
                                                        validators=[MinValueValidator(5), MaxValueValidator(600)])
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")


class Feedback(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", _("Learner")
        COACH = "coach", pgettext_lazy("role", "Coach")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    # The author agrees that the comment be quoted, without their name, in impact reports (issue #17).
    share_consent = models.BooleanField(
        _("My comment may be quoted, without my name, in reports to the funders"), default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mission", "role"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "role"], name="uniq_feedback_per_side",
                                    violation_error_message=_("You have already given your feedback on this mission.")),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"),
        ]


class NotificationLog(models.Model):
    """One row per email sent (key such as "proposal:12:user:3"): a task that runs twice sends once."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
