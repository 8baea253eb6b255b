"""The authoring history: one ContentChange row per changed field, for every entry point."""
from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from ..models import ContentChange, Lesson, Module

SOURCES = ("web", "api", "import")


def change_record(*, module: Module, object_type: str, fields: Iterable[str], user=None, source: str = "web",
                  lesson: Lesson | None = None, object_id: int | None = None, language: str = "") -> None:
    """Write who changed which fields (and touch the module's "last edit")."""
    fields = list(fields)
    if not fields:
        return
    if source not in SOURCES:
        raise ValueError(f"Unknown change source {source!r}.")
    user = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    ContentChange.objects.bulk_create([
        ContentChange(module=module, lesson=lesson, object_type=object_type, object_id=object_id, language=language,
                      field=name, user=user, source=source)
        for name in fields
    ])
    Module.objects.filter(pk=module.pk).update(updated_at=timezone.now())
