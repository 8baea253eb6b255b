"""The outbox (work a state change owes), the record of deliveries done, and the worker's heartbeat."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task owed by a state change, recorded in the change's own transaction (core.outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be delivered")
        DONE = "done", _("Delivered")
        DEAD = "dead", _("Given up")

    key = models.CharField(max_length=200, unique=True, help_text=_("Idempotency key: one message per key."))
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text=_("Deliveries started by a worker."))
    publishes = models.PositiveIntegerField(default=0, help_text=_("Times handed to the broker."))
    # When the relay hands it to the broker (again) unless it is done by then.
    next_attempt_at = models.DateTimeField()
    # Set while a worker runs it, so that a duplicate delivery does not run it at the same time.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class Delivery(models.Model):
    """One row per side effect done (an email sent...): a second delivery with the same key does nothing."""

    key = models.CharField(max_length=200, unique=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return self.key


class Heartbeat(models.Model):
    """Written by the worker (at start and by a periodic task); /healthz reads how old it is."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
