"""Helpers shared by the learner selectors: languages, translated titles, resume targets."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
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


def module_texts(modules: list[Module], language: str) -> dict[int, ModuleText]:
    """Title, summary and outcomes of each module in `language` (visible fallback). One query."""
    rows = defaultdict(list)
    for row in ModuleTranslation.objects.filter(module__in=[m.pk for m in modules]):
        rows[row.module_id].append(row)
    texts = {}
    for module in modules:
        row, is_fallback = translation_pick(rows[module.pk], language, module.source_language)
        texts[module.pk] = (ModuleText(row.title, row.summary, list(row.outcomes or []), row.language, is_fallback) if row
                            else ModuleText(module.slug, "", [], language, True))
    return texts


def module_languages(module_ids) -> dict[int, list[str]]:
    """Languages in which every current lesson of a module has a text. Two queries."""
    lessons = dict(Lesson.objects.filter(module_id__in=module_ids, is_archived=False).order_by().values("module_id")
                   .annotate(n=Count("pk")).values_list("module_id", "n"))
    written = defaultdict(dict)
    for module_id, language, n in (LessonTranslation.objects
                                   .filter(lesson__module_id__in=module_ids, lesson__is_archived=False)
                                   .exclude(body_html="").values("lesson__module_id", "language")
                                   .annotate(n=Count("pk")).values_list("lesson__module_id", "language", "n")):
        written[module_id][language] = n
    result = {}
    for module_id in module_ids:
        total = lessons.get(module_id, 0)
        result[module_id] = [code for code in settings.CONTENT_LANGUAGES
                             if total and written[module_id].get(code, 0) >= total]
    return result


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
        rows[row.lesson_id].append(row)
    titles = {}
    for lesson_id in lesson_ids:
        written = [row for row in rows[lesson_id] if row.has_body]
        row, is_fallback = translation_pick(written or rows[lesson_id], language, source_language)
        titles[lesson_id] = LessonTitle(
            lesson_id, row.title if row else "", row.summary if row else "", row.language if row else language,
            is_fallback, [code for code in settings.CONTENT_LANGUAGES if any(r.language == code for r in written)],
        )
    return titles


def modules_with_quiz(module_ids) -> set[int]:
    return set(Quiz.objects.filter(module_id__in=module_ids, questions__is_archived=False)
               .values_list("module_id", flat=True).distinct())


def lesson_url(module_slug: str, lesson_slug: str) -> str:
    return reverse("learners:lesson", kwargs={"module": module_slug, "lesson": lesson_slug})


def resume_urls(*, user, enrollments: list[Enrollment]) -> dict[int, str]:
    """Where "resume" goes for each enrolment: the first unfinished lesson, else the quiz if it is not
    passed yet, else the module page. Three queries whatever the number of enrolments."""
    if not enrollments:
        return {}
    module_ids = [e.module_id for e in enrollments]
    lessons = defaultdict(list)
    for lesson_id, slug, module_id in (Lesson.objects.filter(module_id__in=module_ids, is_archived=False)
                                       .order_by("position", "id").values_list("pk", "slug", "module_id")):
        lessons[module_id].append((lesson_id, slug))
    done = set(LessonProgress.objects.filter(user=user, lesson__module_id__in=module_ids, completed_at__isnull=False)
               .values_list("lesson_id", flat=True))
    quizzes = modules_with_quiz(module_ids)
    urls = {}
    for enrollment in enrollments:
        slug = enrollment.module.slug
        unfinished = next((lesson_slug for lesson_id, lesson_slug in lessons[enrollment.module_id] if lesson_id not in done), None)
        if unfinished:
            urls[enrollment.module_id] = lesson_url(slug, unfinished)
        elif enrollment.module_id in quizzes and not enrollment.quiz_passed:
            urls[enrollment.module_id] = reverse("learners:quiz", kwargs={"module": slug})
        else:
            urls[enrollment.module_id] = reverse("learners:module-detail", kwargs={"module": slug})
    return urls
