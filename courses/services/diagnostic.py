"""The capacity self-diagnostic questionnaire (written from content/diagnostic.yaml)."""
from __future__ import annotations

from django.db import transaction

from ..models import Diagnostic, DiagnosticArea, DiagnosticStatement, Module


@transaction.atomic
def diagnostic_save(*, scale: dict[str, list[str]], areas: list[dict], key: str = "capacity") -> tuple[Diagnostic, str | None]:
    """areas: [{"key", "module" (slug or None), "title": {lang: str}, "statements": [{"key", "text": {lang: str}}]}].
    Bumps the diagnostic's version when anything changed; areas and statements gone are removed
    (answers are stored by statement key, so past responses keep their meaning)."""
    diagnostic, created = Diagnostic.objects.select_for_update().get_or_create(key=key, defaults={"scale": scale})
    changed = created or diagnostic.scale != scale
    diagnostic.scale = scale
    modules = dict(Module.objects.filter(slug__in=[area.get("module") for area in areas if area.get("module")])
                   .values_list("slug", "pk"))
    existing_areas = {area.key: area for area in diagnostic.areas.all()}
    existing_statements = {(statement.area_id, statement.key): statement
                           for statement in DiagnosticStatement.objects.filter(area__diagnostic=diagnostic)}
    kept_areas, kept_statements = set(), set()
    for position, data in enumerate(areas, start=1):
        module_id = modules.get(data.get("module")) if data.get("module") else None
        area = existing_areas.get(data["key"])
        values = {"position": position, "titles": data["title"], "module_id": module_id}
        if area is None:
            area = DiagnosticArea.objects.create(diagnostic=diagnostic, key=data["key"], **values)
            changed = True
        elif any(getattr(area, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(area, name, value)
            area.save()
            changed = True
        kept_areas.add(area.pk)
        for spos, sdata in enumerate(data["statements"], start=1):
            statement = existing_statements.get((area.pk, sdata["key"]))
            if statement is None:
                statement = DiagnosticStatement.objects.create(area=area, key=sdata["key"], position=spos, texts=sdata["text"])
                changed = True
            elif (statement.position, statement.texts) != (spos, sdata["text"]):
                statement.position, statement.texts = spos, sdata["text"]
                statement.save()
                changed = True
            kept_statements.add(statement.pk)
    removed_statements = DiagnosticStatement.objects.filter(area__diagnostic=diagnostic).exclude(pk__in=kept_statements)
    removed_areas = diagnostic.areas.exclude(pk__in=kept_areas)
    if removed_statements.exists() or removed_areas.exists():
        removed_statements.delete()
        removed_areas.delete()
        changed = True
    if changed and not created:
        diagnostic.version += 1
    if changed:
        diagnostic.save()
    return diagnostic, ("created" if created else "updated" if changed else None)
