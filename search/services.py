"""Writes on the search index: one row per module or lesson translation, built from the stored texts.

Called in the same transaction as the translation's save (search.signals), so the index never
holds a text that was rolled back, and by `manage.py search_reindex` for everything at once.
Nothing here renders Markdown: lessons are indexed from their stored, sanitised HTML.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction

from courses.models import LessonTranslation, ModuleTranslation

from . import backends
from .models import SearchDocument
from .text import ANALYZER_VERSION, html_to_text, index_tokens, tokens_text


def _document_fields(*, language: str, title: str, summary: str, body: str, anchors: list) -> dict:
    title_tokens = index_tokens(title, language)
    summary_tokens = index_tokens(summary, language)
    text = f"{summary} {body}".strip() if summary else body
    shift = len(summary) + 1 if summary and body else 0
    return {
        "title": title[:200],
        "text": text,
        "anchors": [[offset + shift, anchor] for offset, anchor in anchors],
        "title_tokens": tokens_text(title_tokens),
        "head_tokens": tokens_text(title_tokens, summary_tokens),
        "tokens": tokens_text(title_tokens, summary_tokens, index_tokens(body, language)),
        "analyzer": ANALYZER_VERSION,
    }


def _lesson_fields(row: LessonTranslation) -> dict:
    body, anchors = html_to_text(row.body_html)
    return _document_fields(language=row.language, title=row.title, summary=row.summary, body=body, anchors=anchors)


def _module_fields(row: ModuleTranslation) -> dict:
    outcomes = " ".join(str(item) for item in row.outcomes or [])
    return _document_fields(language=row.language, title=row.title, summary=row.summary, body=outcomes, anchors=[])


def _lesson_is_indexed(row: LessonTranslation) -> bool:
    return bool(row.title.strip() and row.body_md.strip())


@transaction.atomic
def lesson_translation_index(*, translation: LessonTranslation, module_id: int | None = None) -> SearchDocument | None:
    """Write (or remove, if its text is gone) the index row of one lesson in one language."""
    if not _lesson_is_indexed(translation):
        lesson_document_delete(lesson_id=translation.lesson_id, language=translation.language)
        return None
    if module_id is None:
        module_id = translation.lesson.module_id
    document, _created = SearchDocument.objects.update_or_create(
        lesson_id=translation.lesson_id, language=translation.language,
        defaults={"module_id": module_id, **_lesson_fields(translation)})
    return document


@transaction.atomic
def module_translation_index(*, translation: ModuleTranslation) -> SearchDocument | None:
    """Write (or remove) the index row of a module's own texts (title, summary, outcomes) in one language."""
    if not translation.title.strip():
        module_document_delete(module_id=translation.module_id, language=translation.language)
        return None
    document, _created = SearchDocument.objects.update_or_create(
        module_id=translation.module_id, lesson=None, language=translation.language, defaults=_module_fields(translation))
    return document


def lesson_document_delete(*, lesson_id: int, language: str) -> None:
    SearchDocument.objects.filter(lesson_id=lesson_id, language=language).delete()


def module_document_delete(*, module_id: int, language: str) -> None:
    SearchDocument.objects.filter(module_id=module_id, lesson__isnull=True, language=language).delete()


@transaction.atomic
def module_index(*, module_id: int) -> int:
    """Index every translation of one module and its lessons again. Returns the number of rows written."""
    count = 0
    for row in ModuleTranslation.objects.filter(module_id=module_id):
        count += module_translation_index(translation=row) is not None
    for row in LessonTranslation.objects.filter(lesson__module_id=module_id).select_related("lesson"):
        count += lesson_translation_index(translation=row, module_id=module_id) is not None
    return count


@dataclass(frozen=True)
class ReindexReport:
    modules: int
    lessons: int
    seconds: float

    @property
    def documents(self) -> int:
        return self.modules + self.lessons


@transaction.atomic
def search_reindex() -> ReindexReport:
    """Rebuild the whole index from the stored texts, in one transaction (searches see the old index until it commits)."""
    started = time.perf_counter()
    documents = []
    for row in ModuleTranslation.objects.exclude(title="").order_by("pk").iterator(chunk_size=500):
        documents.append(SearchDocument(module_id=row.module_id, language=row.language, **_module_fields(row)))
    modules = len(documents)
    rows = LessonTranslation.objects.exclude(title="").exclude(body_md="").select_related("lesson").order_by("pk")
    for row in rows.iterator(chunk_size=500):
        if _lesson_is_indexed(row):
            documents.append(SearchDocument(module_id=row.lesson.module_id, lesson_id=row.lesson_id, language=row.language,
                                            **_lesson_fields(row)))
    with backends.bulk_rewrite(connection):
        SearchDocument.objects.all().delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
    return ReindexReport(modules=modules, lessons=len(documents) - modules, seconds=time.perf_counter() - started)


def search_index_is_stale() -> bool:
    """True when the index misses its full-text structure, was built by another analyser version, or does not
    have one row per indexable translation (a database filled before the search app existed)."""
    if not backends.schema_ok(connection):
        return True
    if SearchDocument.objects.exclude(analyzer=ANALYZER_VERSION).exists():
        return True
    expected = (ModuleTranslation.objects.exclude(title="").count()
                + LessonTranslation.objects.exclude(title="").exclude(body_md="").count())
    return SearchDocument.objects.count() != expected


__all__ = ["ReindexReport", "lesson_document_delete", "lesson_translation_index", "module_document_delete", "module_index",
           "module_translation_index", "search_index_is_stale", "search_reindex"]
