"""Enrolments (with the stored aggregates every page reads), lesson progress, quiz attempts,
certificates and capacity self-diagnostic responses."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    """A learner in a module. Aggregates are updated in the same transaction as the event, so a
    learner's page and a cohort dashboard read the same stored numbers."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Enrolled")
        LEFT = "left", _("Left")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    module = models.ForeignKey("courses.Module", on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    content_language = models.CharField(_("reading language"), max_length=10, default="fr")
    lessons_done = models.PositiveIntegerField(default=0)
    lessons_total = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    last_lesson = models.ForeignKey("courses.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)
    quiz_passed = models.BooleanField(default=False)
    quiz_best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    quiz_attempts = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # Ids of the lessons done (LessonProgress.completed_at set), kept with lessons_done under the same
    # row lock: the reader's ticks and "resume" need no query. None: not known yet (read from the rows).
    done_lessons = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="uniq_enrollment")]
        indexes = [models.Index(fields=["module", "status"])]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.user_id} in {self.module_id}"

    @property
    def is_started(self) -> bool:
        """A lesson opened or done, or a quiz attempt: "Resume" makes sense, else "Start"."""
        return self.last_activity_at is not None or self.lessons_done > 0 or self.quiz_attempts > 0


class LessonProgress(models.Model):
    """One row per learner and lesson; `completed_at` never goes back to empty."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.Lesson", on_delete=models.CASCADE, related_name="progress")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_progress")
    language = models.CharField(max_length=10, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="uniq_lesson_progress")]


class QuizAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey("courses.Quiz", on_delete=models.CASCADE, related_name="attempts")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    # {"<question id>": [choice ids]} as submitted.
    answers = models.JSONField(default=dict)
    # {"<question id>": true/false}
    results = models.JSONField(default=dict)
    # {"<question id>": [choice ids in the order shown]}: the attempt's own shuffle (learners.selectors.quiz).
    choice_order = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField()  # percent
    passed = models.BooleanField()
    language = models.CharField(max_length=10, blank=True)
    # Optional key sent by the client so that a retried submission is stored once.
    client_key = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the learner submitted it on their device (an attempt taken offline reaches the server later).
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "client_key"], condition=~Q(client_key=""), name="uniq_quiz_attempt_client_key"),
        ]


def certificate_code() -> str:
    # 16 characters from an alphabet without look-alikes: ~80 bits, unguessable.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(16))


class Certificate(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    module = models.ForeignKey("courses.Module", on_delete=models.PROTECT, related_name="certificates")
    enrollment = models.OneToOneField(Enrollment, null=True, on_delete=models.SET_NULL, related_name="certificate")
    code = models.CharField(max_length=32, unique=True, default=certificate_code)
    learner_name = models.CharField(max_length=150)
    issuer_name = models.CharField(max_length=200, default="Essor")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="uniq_certificate")]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


class DiagnosticResponse(models.Model):
    """One completed self-diagnostic. History is kept: each retake is a new row."""

    class Context(models.TextChoices):
        SELF = "self", _("On my own")
        COHORT_JOIN = "cohort_join", _("When joining a cohort")
        MISSION_END = "mission_end", _("At the end of a coaching mission")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diagnostic_responses")
    association = models.ForeignKey("accounts.Association", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    diagnostic = models.ForeignKey("courses.Diagnostic", on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(default=dict)  # {"<statement key>": 1..4}
    scores = models.JSONField(default=dict)  # {"<area key>": 0..100}
    average = models.PositiveSmallIntegerField(default=0)  # 0..100, mean of the area scores
    context = models.CharField(max_length=20, choices=Context.choices, default=Context.SELF)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
