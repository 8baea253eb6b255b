"""What the xapi app keeps: the id of every statement owed about a learner, so that deleting the account
can void each of them in the LRS (docs/impact.md, "Voiding on account erasure")."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementRecord(models.Model):
    """One statement recorded in the outbox about a learner. Only the id: the statement itself is in the
    outbox message, and what it says is in the learner's progress, attempts, certificates and missions."""

    statement_id = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI statement record")
        verbose_name_plural = _("xAPI statement records")

    def __str__(self) -> str:
        return str(self.statement_id)
