"""Reads on the curriculum that pages and other apps use."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")


def translation_pick(rows: Iterable[T], language: str, source_language: str | None = None) -> tuple[T | None, bool]:
    """Choose the row in `language`; else the source language, else the site's default, else any.

    Returns (row, is_fallback). A missing translation is never hidden: callers show is_fallback."""
    by_language = {row.language: row for row in rows}
    if language in by_language:
        return by_language[language], False
    for candidate in (source_language, settings.LANGUAGE_CODE, *settings.CONTENT_LANGUAGES):
        if candidate and candidate in by_language:
            return by_language[candidate], True
    return next(iter(by_language.values()), None), True
