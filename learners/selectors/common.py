"""Helpers shared by the learner selectors: languages, translated titles, resume targets."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse

from courses.models import Lesson, LessonTranslation, Module, ModuleTranslation, Quiz
from courses.selectors import translation_pick

from ..models import Enrollment, LessonProgress


def content_language(language: str | None) -> str:
    """The content language closest to an interface language ("zh-hans" for "zh-hans", "fr" for "fr-ca")."""
    languages = settings.CONTENT_LANGUAGES
    if language in languages:
        return language
    base = (language or "").split("-")[0]
    for code in languages:
        if code.split("-")[0] == base:
            return code
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in languages else languages[0]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def language_choices(codes) -> list[tuple[str, str]]:
    """(code, native name) in the order of CONTENT_LANGUAGES."""
    wanted = set(codes)
    return [(code, language_name(code)) for code in settings.CONTENT_LANGUAGES if code in wanted]


@dataclass
class ModuleText:
    title: str
    summary: str
    outcomes: list[str]
    language: str
    is_fallback: bool


@dataclass
class Outline:
    """A module's content as every learner page reads it, without the lesson texts: its current
    lessons in order, their titles and summaries in each language (and whether each language has
    a text), the module's titles, the languages it is complete in, whether it has a quiz.

    Cached (settings.CACHES) under the module's id and `updated_at`, which every content change
    moves (courses/services/history.py and courses/signals.py): a page never reads stale content,
    in any process, and reads none of these rows when the cache has them."""

    module_id: int
    lessons: list[tuple[int, str, int]]  # (id, slug, position) of the current lessons, in order
    lesson_rows: dict[int, list[dict]]  # lesson id -> [{"language", "title", "summary", "has_body"}]
    module_rows: list[dict]  # [{"language", "title", "summary", "outcomes", "is_complete"}]
    languages: list[str]  # languages every current lesson has a text in
    has_quiz: bool


OUTLINE_SECONDS = 3600


def _outline_key(module: Module) -> str:
    stamp = module.updated_at.timestamp() if module.updated_at else 0
    return f"essor:outline:v1:{module.pk}:{stamp}:{module.version}"


def module_outlines(modules: list[Module]) -> dict[int, Outline]:
    """The outline of each module: from the cache, else four queries for all the missing ones."""
    keys = {module.pk: _outline_key(module) for module in modules}
    found = cache.get_many(list(keys.values())) if keys else {}
    outlines = {module_id: found[key] for module_id, key in keys.items() if key in found}
    missing = [module_id for module_id in keys if module_id not in outlines]
    if missing:
        built = _outlines_build(missing)
        cache.set_many({keys[module_id]: outline for module_id, outline in built.items()}, OUTLINE_SECONDS)
        outlines.update(built)
    return outlines


def module_outline(module: Module) -> Outline:
    return module_outlines([module])[module.pk]


def _outlines_build(module_ids: list[int]) -> dict[int, Outline]:
    lessons: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for pk, slug, position, module_id in (Lesson.objects.filter(module_id__in=module_ids, is_archived=False)
                                          .order_by("position", "id").values_list("pk", "slug", "position", "module_id")):
        lessons[module_id].append((pk, slug, position))
    has_body = ExpressionWrapper(~Q(body_html=""), output_field=BooleanField())
    lesson_rows: dict[int, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for lesson_id, module_id, language, title, summary, body in (
            LessonTranslation.objects.filter(lesson__module_id__in=module_ids, lesson__is_archived=False).annotate(has_body=has_body)
            .values_list("lesson_id", "lesson__module_id", "language", "title", "summary", "has_body")):
        lesson_rows[module_id][lesson_id].append({"language": language, "title": title, "summary": summary, "has_body": bool(body)})
    module_rows: dict[int, list[dict]] = defaultdict(list)
    for row in ModuleTranslation.objects.filter(module_id__in=module_ids):
        module_rows[row.module_id].append({"language": row.language, "title": row.title, "summary": row.summary,
                                           "outcomes": list(row.outcomes or []), "is_complete": row.is_complete})
    quizzes = set(Quiz.objects.filter(module_id__in=module_ids, questions__is_archived=False)
                  .values_list("module_id", flat=True).distinct())
    outlines = {}
    for module_id in module_ids:
        rows = lesson_rows[module_id]
        current = lessons[module_id]
        languages = [code for code in settings.CONTENT_LANGUAGES
                     if current and all(any(r["language"] == code and r["has_body"] for r in rows[pk]) for pk, _s, _p in current)]
        outlines[module_id] = Outline(module_id, current, dict(rows), module_rows[module_id], languages, module_id in quizzes)
    return outlines


def module_texts(modules: list[Module], language: str, outlines: dict[int, Outline] | None = None) -> dict[int, ModuleText]:
    """Title, summary and outcomes of each module in `language` (visible fallback), from the outlines
    (`outlines`: those the caller already read)."""
    outlines = outlines or module_outlines(modules)
    texts = {}
    for module in modules:
        row, is_fallback = translation_pick(outlines[module.pk].module_rows, language, module.source_language)
        texts[module.pk] = (ModuleText(row["title"], row["summary"], list(row["outcomes"]), row["language"], is_fallback) if row
                            else ModuleText(module.slug, "", [], language, True))
    return texts


def module_languages(modules: list[Module]) -> dict[int, list[str]]:
    """Languages in which every current lesson of a module has a text (from the outlines)."""
    outlines = module_outlines(modules)
    return {module.pk: outlines[module.pk].languages for module in modules}


@dataclass
class LessonTitle:
    lesson_id: int
    title: str
    summary: str
    language: str
    is_fallback: bool
    languages: list[str]  # languages in which this lesson has a text


def lesson_titles(lesson_ids, language: str, source_language: str) -> dict[int, LessonTitle]:
    """Each lesson's title in `language` (visible fallback), without loading the texts. One query."""
    has_body = ExpressionWrapper(~Q(body_html=""), output_field=BooleanField())
    rows = defaultdict(list)
    for row in (LessonTranslation.objects.filter(lesson_id__in=lesson_ids).annotate(has_body=has_body)
                .only("lesson_id", "language", "title", "summary")):
        rows[row.lesson_id].append({"language": row.language, "title": row.title, "summary": row.summary,
                                    "has_body": row.has_body})
    return outline_lesson_titles(lesson_ids, rows, language, source_language)


def outline_lesson_titles(lesson_ids, rows: dict[int, list[dict]], language: str, source_language: str) -> dict[int, LessonTitle]:
    titles = {}
    for lesson_id in lesson_ids:
        mine = rows.get(lesson_id, [])
        written = [row for row in mine if row["has_body"]]
        row, is_fallback = translation_pick(written or mine, language, source_language)
        titles[lesson_id] = LessonTitle(
            lesson_id, row["title"] if row else "", row["summary"] if row else "", row["language"] if row else language,
            is_fallback, [code for code in settings.CONTENT_LANGUAGES if any(r["language"] == code for r in written)],
        )
    return titles


def modules_with_quiz(modules: list[Module]) -> set[int]:
    return {module_id for module_id, outline in module_outlines(modules).items() if outline.has_quiz}


def lesson_url(module_slug: str, lesson_slug: str) -> str:
    return reverse("learners:lesson", kwargs={"module": module_slug, "lesson": lesson_slug})


def lesson_urls(module_slug: str):
    """`lesson_slug -> lesson_url(module_slug, lesson_slug)` with one `reverse()` for all the module's lessons
    (a module's list of 20 lessons called it 20 times). Slugs are URL-safe: they go into the address as they are."""
    marker = "lesson-slug-marker"
    prefix, _marker, suffix = lesson_url(module_slug, marker).rpartition(marker)
    return lambda lesson_slug: f"{prefix}{lesson_slug}{suffix}"


def done_lesson_ids(*, user, enrollments: list[Enrollment]) -> dict[int, set[int]]:
    """{module: ids of the lessons done} from the enrolments' stored lists (one query for older
    enrolments that have none yet)."""
    done = {e.module_id: set(e.done_lessons) for e in enrollments if e.done_lessons is not None}
    unknown = [e.pk for e in enrollments if e.done_lessons is None]
    if unknown:
        for module_id, lesson_id in LessonProgress.objects.filter(enrollment_id__in=unknown, completed_at__isnull=False).values_list(
                "enrollment__module_id", "lesson_id"):
            done.setdefault(module_id, set()).add(lesson_id)
    for e in enrollments:
        done.setdefault(e.module_id, set())
    return done


def resume_urls(*, user, enrollments: list[Enrollment]) -> dict[int, str]:
    """Where "resume" goes for each enrolment: the first unfinished lesson, else the quiz if it is not
    passed yet, else the module page. From the enrolments' stored done lessons and the modules'
    outlines: no query when both are known (enrolments read with their module)."""
    if not enrollments:
        return {}
    outlines = module_outlines([e.module for e in enrollments])
    done = done_lesson_ids(user=user, enrollments=enrollments)
    urls = {}
    for enrollment in enrollments:
        slug = enrollment.module.slug
        outline = outlines[enrollment.module_id]
        unfinished = next((lesson_slug for lesson_id, lesson_slug, _p in outline.lessons if lesson_id not in done[enrollment.module_id]),
                          None)
        if unfinished:
            urls[enrollment.module_id] = lesson_url(slug, unfinished)
        elif outline.has_quiz and not enrollment.quiz_passed:
            urls[enrollment.module_id] = reverse("learners:quiz", kwargs={"module": slug})
        else:
            urls[enrollment.module_id] = reverse("learners:module-detail", kwargs={"module": slug})
    return urls
