"""The publishing workflow, one action per change of state: draft → in review → published → archived.

The web page, the API and the import call these same functions.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Module
from ..selectors import module_publish_check, module_stale_translations
from .history import change_record

Status = Module.Status


def _transition(*, module: Module, allowed_from: set[str], to: str, error: str, user, source: str) -> Module:
    module = Module.objects.select_for_update().get(pk=module.pk)
    if module.status == to:
        return module
    if module.status not in allowed_from:
        raise ValidationError(error)
    module.status = to
    if to == Status.PUBLISHED:
        if module.published_at is not None:
            module.version += 1
        module.published_at = timezone.now()
    module.save(update_fields=["status", "published_at", "version", "updated_at"])
    change_record(module=module, object_type="module", object_id=module.pk, fields=["status"], user=user, source=source)
    return module


@transaction.atomic
def module_submit_for_review(*, module: Module, user=None, source: str = "web") -> Module:
    return _transition(module=module, allowed_from={Status.DRAFT}, to=Status.IN_REVIEW, user=user, source=source,
                       error=_("Only a draft can be submitted for review."))


@transaction.atomic
def module_publish(*, module: Module, user=None, source: str = "web", stale_confirmed: bool = False) -> Module:
    """Publish, or refuse with every missing item (a ValidationError with one sentence each).

    A translation that needs an update (its source text changed since) does not block publishing, but learners would
    read outdated text: without `stale_confirmed` the refusal lists them with the code "stale_translations" (the page
    asks for a confirmation); with ESSOR_REFUSE_STALE_TRANSLATIONS they block publishing like a missing text."""
    locked = Module.objects.select_for_update().get(pk=module.pk)
    if locked.status == Status.PUBLISHED:
        return locked
    if locked.status == Status.ARCHIVED:
        raise ValidationError(_("This module is archived: restore it as a draft before publishing it."))
    problems = module_publish_check(locked)
    if problems:
        raise ValidationError(problems)
    stale = module_stale_translations(locked)
    if stale and settings.ESSOR_REFUSE_STALE_TRANSLATIONS:
        raise ValidationError([*stale, _("This site publishes no module whose translations need an update: update them, "
                                         "or tick “matches the current source text” where they are still right.")],
                              code="stale_refused")
    if stale and not stale_confirmed:
        raise ValidationError([ValidationError(sentence, code="stale_translations") for sentence in stale])
    return _transition(module=locked, allowed_from={Status.DRAFT, Status.IN_REVIEW}, to=Status.PUBLISHED, user=user,
                       source=source, error="")


@transaction.atomic
def module_unpublish(*, module: Module, user=None, source: str = "web") -> Module:
    """Back to draft: learners no longer see it in the catalogue; their progress is kept."""
    return _transition(module=module, allowed_from={Status.PUBLISHED, Status.IN_REVIEW}, to=Status.DRAFT, user=user,
                       source=source, error=_("Only a published module or a module in review can go back to draft."))


@transaction.atomic
def module_archive(*, module: Module, user=None, source: str = "web") -> Module:
    return _transition(module=module, allowed_from={Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED},
                       to=Status.ARCHIVED, user=user, source=source, error="")


@transaction.atomic
def module_restore(*, module: Module, user=None, source: str = "web") -> Module:
    """An archived module comes back as a draft."""
    return _transition(module=module, allowed_from={Status.ARCHIVED}, to=Status.DRAFT, user=user, source=source,
                       error=_("Only an archived module can be restored."))
