"""Reads for the search page and the search API: matching, ordering, and the results' texts.

Matching is the database's work (search.backends); ordering is done here in Python on plain
values, so SQLite and PostgreSQL give the same list in the same order. A page of results then
costs a fixed number of queries: the texts of the page's rows, the modules' titles, and, for a
logged-in visitor, their progress on those lessons and their enrolments in those modules.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from courses.models import Module, ModuleTranslation
from courses.selectors import translation_pick
from learners.models import Enrollment, LessonProgress
from learners.selectors import language_name

from . import backends
from .models import SearchDocument
from .text import Term, anchor_at, extract, mark, query_terms

QUERY_MAX_LENGTH = 100
PAGE_SIZE = 20

# What a logged-in learner is told about each result.
READ, OPENED, UNREAD = "read", "opened", "unread"
COMPLETED, ENROLLED, NOT_ENROLLED = "completed", "enrolled", "not_enrolled"


def search_query_clean(query: str | None) -> str:
    """The query with its spaces tidied, or a ValidationError on `q` that says what to type."""
    query = " ".join((query or "").split())
    if not query:
        raise ValidationError({"q": _("Type a word to search for, for example “trésorerie” or “现金流”.")}, code="required")
    if len(query) > QUERY_MAX_LENGTH:
        raise ValidationError({"q": _("Your search is %(length)d characters long: shorten it to %(limit)d characters at most, "
                                      "a few key words are enough.") % {"length": len(query), "limit": QUERY_MAX_LENGTH}},
                              code="max_length")
    return query


@dataclass(frozen=True)
class SearchHit:
    """A module or lesson that matches, in one language, before its texts are read."""

    document_id: int
    module_id: int
    lesson_id: int | None
    language: str
    # 2: every word is in the title, 1: in the title and summary, 0: further in the text.
    tier: int


@dataclass(frozen=True)
class SearchMatches:
    query: str
    reader_language: str
    terms: dict[str, tuple[Term, ...]]  # per content language: the query as indexed in that language
    hits: list[SearchHit]

    def __len__(self) -> int:
        return len(self.hits)


def _language_rank(language: str, reader_language: str) -> tuple[int, int]:
    order = list(settings.CONTENT_LANGUAGES)
    return (language != reader_language, order.index(language) if language in order else len(order))


def search_terms(query: str) -> dict[str, tuple[Term, ...]]:
    """The query as each content language's texts are indexed (accents folded, that language's stemmer,
    Chinese cut by jieba); languages where nothing is left to look for are left out."""
    terms = {language: query_terms(query, language) for language in settings.CONTENT_LANGUAGES}
    return {language: value for language, value in terms.items() if value}


def search_documents_matching(terms: dict[str, tuple[Term, ...]]) -> list[tuple]:
    """The database's part, one query: visible index rows in language L holding every term of terms[L], as
    (pk, module_id, lesson_id, language, tier, topic position, level, module slug, lesson position, lesson slug)."""
    if not terms:
        return []
    matched = Q()
    tiers = []
    for language, language_terms in terms.items():
        in_language = Q(language=language)
        matched |= in_language & backends.match("tokens", language_terms)
        tiers.append(When(in_language & backends.match("title_tokens", language_terms), then=Value(2)))
        tiers.append(When(in_language & backends.match("head_tokens", language_terms), then=Value(1)))
    return list(SearchDocument.objects
                .filter(matched, module__status=Module.Status.PUBLISHED)
                .filter(Q(lesson__isnull=True) | Q(lesson__is_archived=False))
                .annotate(tier=Case(*tiers, default=Value(0), output_field=IntegerField()))
                .values_list("pk", "module_id", "lesson_id", "language", "tier", "module__topic__position", "module__level",
                             "module__slug", "lesson__position", "lesson__slug"))


def search_matches(*, query: str, reader_language: str) -> SearchMatches:
    """Published modules and lessons whose text holds every word of the query, each once, in the
    reader's language first, then in other languages; within each, titles first, then the catalogue order.

    One query. A document in language L is matched with the query analysed as L's texts are, so a
    French query from a Chinese reader finds French lessons. The order is computed here, in Python,
    from plain values: both databases give the same list."""
    terms = search_terms(query)
    best: dict[tuple[int, int | None], tuple] = {}
    for row in search_documents_matching(terms):
        key = (row[1], row[2])
        if key not in best or _language_rank(row[3], reader_language) < _language_rank(best[key][3], reader_language):
            best[key] = row

    def order(row):
        _pk, _module, lesson_id, language, tier, topic_position, level, module_slug, lesson_position, lesson_slug = row
        return (language != reader_language, -tier, topic_position, level, module_slug, lesson_id is not None,
                lesson_position or 0, lesson_slug or "", _language_rank(language, reader_language))

    hits = [SearchHit(row[0], row[1], row[2], row[3], row[4]) for row in sorted(best.values(), key=order)]
    return SearchMatches(query, reader_language, terms, hits)


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "module" or "lesson"
    url: str
    module_slug: str
    lesson_slug: str
    title: str
    title_html: SafeString  # escaped, the words found in <mark>
    module_title: str
    extract_html: SafeString
    language: str
    language_name: str
    in_reader_language: bool
    # For a logged-in visitor: lessons READ / OPENED / UNREAD, modules COMPLETED / ENROLLED / NOT_ENROLLED; else "".
    status: str


def _lesson_statuses(user, lesson_ids: list[int]) -> dict[int, str]:
    statuses = dict.fromkeys(lesson_ids, UNREAD)
    for lesson_id, completed_at in LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids).values_list(
            "lesson_id", "completed_at"):
        statuses[lesson_id] = READ if completed_at else OPENED
    return statuses


def _module_statuses(user, module_ids: list[int]) -> dict[int, str]:
    statuses = dict.fromkeys(module_ids, NOT_ENROLLED)
    for module_id, status, completed_at in Enrollment.objects.filter(user=user, module_id__in=module_ids).values_list(
            "module_id", "status", "completed_at"):
        if completed_at:
            statuses[module_id] = COMPLETED
        elif status == Enrollment.Status.ACTIVE:
            statuses[module_id] = ENROLLED
    return statuses


def _url(document: SearchDocument, reader_language: str, anchor: str) -> str:
    if document.lesson_id:
        url = reverse("learners:lesson", kwargs={"module": document.module.slug, "lesson": document.lesson.slug})
    else:
        url = reverse("learners:module-detail", kwargs={"module": document.module.slug})
    if document.language != reader_language:
        url += "?" + urlencode({"lang": document.language})
    return url + (f"#{anchor}" if anchor else "")


def search_results(*, matches: SearchMatches, hits: Sequence[SearchHit], user) -> list[SearchResult]:
    """The texts of some hits (a page of them): title and extract with the words found marked, the module's
    title, the link (in the hit's language, at the section found), and the visitor's progress.
    Two queries, four for a logged-in visitor, whatever the number of hits."""
    if not hits:
        return []
    documents = {document.pk: document for document in (
        SearchDocument.objects.filter(pk__in=[hit.document_id for hit in hits])
        .select_related("module", "lesson")
        .only("module_id", "lesson_id", "language", "title", "text", "anchors", "module__slug", "module__source_language",
              "lesson__slug"))}
    module_ids = sorted({hit.module_id for hit in hits})
    module_rows = defaultdict(list)
    for row in ModuleTranslation.objects.filter(module_id__in=module_ids).only("module_id", "language", "title", "summary"):
        module_rows[row.module_id].append(row)
    lesson_ids = [hit.lesson_id for hit in hits if hit.lesson_id]
    lesson_status, module_status = {}, {}
    if user is not None and user.is_authenticated:
        lesson_status = _lesson_statuses(user, lesson_ids) if lesson_ids else {}
        modules_shown = [hit.module_id for hit in hits if not hit.lesson_id]
        module_status = _module_statuses(user, modules_shown) if modules_shown else {}
    results = []
    for hit in hits:
        document = documents.get(hit.document_id)
        if document is None:  # re-indexed between the two queries
            continue
        terms = matches.terms.get(document.language, ())
        passage = extract(document.text, terms, document.language)
        module_row, _fallback = translation_pick(module_rows[hit.module_id], document.language, document.module.source_language)
        results.append(SearchResult(
            kind="lesson" if hit.lesson_id else "module",
            url=_url(document, matches.reader_language, anchor_at(document.anchors, passage.offset)),
            module_slug=document.module.slug,
            lesson_slug=document.lesson.slug if hit.lesson_id else "",
            title=document.title,
            title_html=mark_safe(mark(document.title, terms, document.language)),  # noqa: S308 - escaped by mark()
            module_title=module_row.title if module_row else document.module.slug,
            extract_html=mark_safe(passage.html),  # noqa: S308 - escaped by extract()
            language=document.language,
            language_name=language_name(document.language),
            in_reader_language=document.language == matches.reader_language,
            status=(lesson_status.get(hit.lesson_id, "") if hit.lesson_id else module_status.get(hit.module_id, "")),
        ))
    return results
