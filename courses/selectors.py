"""Every read of the curriculum that a page, an endpoint or another app needs.

Lists are built in a fixed number of queries (values + a pivot in Python) whatever the number
of modules and lessons, and are filtered by permission here, never object by object.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .models import (
    Choice,
    ChoiceTranslation,
    ContentChange,
    Lesson,
    LessonTranslation,
    Module,
    ModuleTranslation,
    Question,
    QuestionTranslation,
    Quiz,
    TemplateFile,
    Topic,
)
from .permissions import can_author
from .rendering import TEMPLATE_DOWNLOAD_PATH

__all__ = [
    "ModuleCard",
    "language_name",
    "lesson_get_for_authoring",
    "module_card_get",
    "module_completeness_many",
    "module_get_for_authoring",
    "module_history",
    "module_list_for_api",
    "module_list_for_trainer",
    "module_list_published",
    "module_publish_check",
    "module_templates",
    "module_translation_completeness",
    "template_file_get",
    "topic_list",
    "translation_pick",
]


# --- Languages -------------------------------------------------------------------------------

def language_name(code: str) -> str:
    """The language's name in the active interface language ("Chinese (Simplified)", "chinois simplifié")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _row_language(row) -> str:
    return row["language"] if isinstance(row, dict) else row.language


def _row_complete(row) -> bool:
    """Whether a translation row has its text, without ever loading a deferred field."""
    if isinstance(row, dict):
        return bool(row.get("is_complete", row.get("has_body", True)))
    deferred = row.get_deferred_fields() if hasattr(row, "get_deferred_fields") else set()
    if "body_md" in deferred:
        if hasattr(row, "has_body"):  # annotated by the caller's query
            return bool(row.has_body)
        if "body_html" not in deferred:
            return bool(row.body_html.strip())
        return True  # the caller chose not to load the text: it has filtered rows itself
    return bool(getattr(row, "is_complete", True))


def _cached_source_language(row) -> str | None:
    """The module's source language if it is already loaded on the row (never a query)."""
    if isinstance(row, dict):
        return row.get("source_language")
    cache = getattr(getattr(row, "_state", None), "fields_cache", {})
    module = cache.get("module")
    if module is None and "lesson" in cache:
        module = cache["lesson"]._state.fields_cache.get("module")
    if module is None and "question" in cache:
        quiz = cache["question"]._state.fields_cache.get("quiz")
        module = quiz._state.fields_cache.get("module") if quiz is not None else None
    return getattr(module, "source_language", None)


def translation_pick(rows, language: str, source_language: str | None = None) -> tuple[Any, bool]:
    """Choose the row to show for `language`: that language if its text is complete, else the
    module's source language, else any complete language. Returns (row, is_fallback); the
    caller must tell the reader when is_fallback is true. (None, True) when there is no row.
    """
    rows = list(rows)
    if not rows:
        return None, True
    if source_language is None:
        source_language = _cached_source_language(rows[0])
    by_language = {_row_language(row): row for row in rows}
    order = [language, source_language, *settings.REQUIRED_CONTENT_LANGUAGES, *settings.CONTENT_LANGUAGES]
    for code in order:
        row = by_language.get(code) if code else None
        if row is not None and _row_complete(row):
            return row, code != language
    for row in rows:
        if _row_complete(row):
            return row, _row_language(row) != language
    if language in by_language:
        return by_language[language], False
    first = by_language.get(source_language) or rows[0]
    return first, True


# --- Catalogue -------------------------------------------------------------------------------

@dataclass
class ModuleCard:
    """One module of the catalogue in one language (with the language actually shown)."""

    id: int
    slug: str
    topic_key: str
    topic_name: str
    topic_colour: str
    topic_icon: str
    level: int
    level_label: str
    estimated_minutes: int
    title: str
    summary: str
    outcomes: list[str]
    language: str
    is_fallback: bool
    lesson_count: int
    published_at: datetime | None
    version: int
    status: str = Module.Status.PUBLISHED
    prerequisites: list[str] = field(default_factory=list)


def _cards(modules: list[Module], language: str) -> list[ModuleCard]:
    ids = [module.pk for module in modules]
    translations: dict[int, list[ModuleTranslation]] = defaultdict(list)
    for row in ModuleTranslation.objects.filter(module_id__in=ids):
        translations[row.module_id].append(row)
    prerequisites: dict[int, list[str]] = defaultdict(list)
    through = Module.prerequisites.through
    for from_id, slug in through.objects.filter(from_module_id__in=ids).values_list("from_module_id", "to_module__slug"):
        prerequisites[from_id].append(slug)
    cards = []
    for module in modules:
        row, is_fallback = translation_pick(translations[module.pk], language, source_language=module.source_language)
        cards.append(ModuleCard(
            id=module.pk,
            slug=module.slug,
            topic_key=module.topic.key,
            topic_name=module.topic.name_in(language),
            topic_colour=module.topic.colour,
            topic_icon=module.topic.icon,
            level=module.level,
            level_label=str(module.get_level_display()),
            estimated_minutes=module.estimated_minutes,
            title=row.title if row else module.slug,
            summary=row.summary if row else "",
            outcomes=list(row.outcomes or []) if row else [],
            language=row.language if row else language,
            is_fallback=is_fallback,
            lesson_count=module.lesson_count,
            published_at=module.published_at,
            version=module.version,
            status=module.status,
            prerequisites=sorted(prerequisites[module.pk]),
        ))
    return cards


def _with_lesson_count(queryset: QuerySet[Module]) -> QuerySet[Module]:
    return queryset.select_related("topic").annotate(
        lesson_count=Count("lessons", filter=Q(lessons__is_archived=False), distinct=True))


def module_list_published(*, language: str, topic: str | None = None) -> list[ModuleCard]:
    """The published catalogue in one language (3 queries whatever the number of modules).
    Each card says which language it shows and whether that is a fallback."""
    queryset = Module.objects.filter(status=Module.Status.PUBLISHED)
    if topic:
        queryset = queryset.filter(topic__key=topic)
    return _cards(list(_with_lesson_count(queryset)), language)


def module_card_get(*, module: Module, language: str) -> ModuleCard:
    """One module as a catalogue card (whatever its status: the caller checks who may read it)."""
    return _cards([_with_lesson_count(Module.objects.filter(pk=module.pk)).get()], language)[0]


def module_list_for_api(*, user, language: str) -> list[ModuleCard]:
    """Published modules for anyone logged in; trainers also get the drafts they author, admins all."""
    queryset = Module.objects.all()
    if not user.is_superuser:
        visible = Q(status=Module.Status.PUBLISHED)
        if can_author(user):
            visible |= Q(authors=user)
        queryset = queryset.filter(visible).distinct()
    return _cards(list(_with_lesson_count(queryset)), language)


def topic_list() -> list[Topic]:
    return list(Topic.objects.all())


# --- Translation completeness ----------------------------------------------------------------

@dataclass
class _Unit:
    """Something that must be complete in each language: the module's texts, a lesson, a question."""

    kind: str  # module, lesson, question
    id: int
    number: int
    label: str
    complete: set[str] = field(default_factory=set)
    present: set[str] = field(default_factory=set)
    stale: set[str] = field(default_factory=set)


@dataclass
class _ModuleContent:
    units: list[_Unit]
    questions: list[dict]
    has_quiz: bool


def _stale_languages(rows: dict[str, tuple[int, int]], source_language: str) -> set[str]:
    """rows: language -> (version, source_version). A translation is stale when it was made from
    an older version of the source-language text."""
    source = rows.get(source_language)
    if source is None:
        return set()
    return {language for language, (_version, source_version) in rows.items()
            if language != source_language and source_version < source[0]}


def _module_contents(modules: list[Module]) -> dict[int, _ModuleContent]:
    """Everything the completeness and the publish check need, for many modules, in 8 queries."""
    ids = [module.pk for module in modules]
    source_of = {module.pk: module.source_language for module in modules}
    has_text = Case(When(Q(title="") | Q(body_md=""), then=Value(False)), default=Value(True), output_field=BooleanField())
    contents: dict[int, _ModuleContent] = {}

    module_rows: dict[int, dict[str, tuple]] = defaultdict(dict)
    for module_id, language, title, summary, version, source_version in ModuleTranslation.objects.filter(
            module_id__in=ids).values_list("module_id", "language", "title", "summary", "version", "source_version"):
        module_rows[module_id][language] = (bool(title.strip() and summary.strip()), version, source_version)
    for module in modules:
        rows = module_rows[module.pk]
        unit = _Unit("module", module.pk, 0, module.slug, complete={k for k, v in rows.items() if v[0]},
                     present=set(rows), stale=_stale_languages({k: v[1:] for k, v in rows.items()}, module.source_language))
        contents[module.pk] = _ModuleContent(units=[unit], questions=[], has_quiz=False)

    lessons = list(Lesson.objects.filter(module_id__in=ids, is_archived=False).order_by("module_id", "position", "id")
                   .values_list("id", "module_id", "slug"))
    lesson_rows: dict[int, dict[str, tuple]] = defaultdict(dict)
    for lesson_id, language, title, complete, version, source_version in LessonTranslation.objects.filter(
            lesson__module_id__in=ids, lesson__is_archived=False).annotate(complete=has_text).values_list(
            "lesson_id", "language", "title", "complete", "version", "source_version"):
        lesson_rows[lesson_id][language] = (complete, version, source_version, title)
    numbers: dict[int, int] = defaultdict(int)
    for lesson_id, module_id, slug in lessons:
        numbers[module_id] += 1
        rows = lesson_rows[lesson_id]
        source = rows.get(source_of[module_id]) or next(iter(rows.values()), None)
        contents[module_id].units.append(_Unit(
            "lesson", lesson_id, numbers[module_id], source[3] if source else slug,
            complete={k for k, v in rows.items() if v[0]}, present=set(rows),
            stale=_stale_languages({k: v[1:3] for k, v in rows.items()}, source_of[module_id])))

    questions = list(Question.objects.filter(quiz__module_id__in=ids, is_archived=False)
                     .order_by("quiz__module_id", "position", "id").values("id", "quiz__module_id", "kind", "key"))
    for module_id in Quiz.objects.filter(module_id__in=ids).values_list("module_id", flat=True):
        contents[module_id].has_quiz = True
    question_rows: dict[int, dict[str, tuple]] = defaultdict(dict)
    for question_id, language, text, explanation, version, source_version in QuestionTranslation.objects.filter(
            question__quiz__module_id__in=ids, question__is_archived=False).values_list(
            "question_id", "language", "text_md", "explanation_md", "version", "source_version"):
        question_rows[question_id][language] = (bool(text.strip() and explanation.strip()), version, source_version)
    choices: dict[int, list[dict]] = defaultdict(list)
    for row in Choice.objects.filter(question__quiz__module_id__in=ids, question__is_archived=False).values(
            "id", "question_id", "is_correct"):
        row["languages"] = set()
        choices[row["question_id"]].append(row)
    choice_languages: dict[int, set[str]] = defaultdict(set)
    for choice_id, language in ChoiceTranslation.objects.filter(
            choice__question__quiz__module_id__in=ids, choice__question__is_archived=False).exclude(
            text_md="").values_list("choice_id", "language"):
        choice_languages[choice_id].add(language)
    qnumbers: dict[int, int] = defaultdict(int)
    for question in questions:
        module_id = question["quiz__module_id"]
        qnumbers[module_id] += 1
        rows = question_rows[question["id"]]
        question_choices = choices[question["id"]]
        complete = {k for k, v in rows.items() if v[0]}
        for choice in question_choices:
            complete &= choice_languages[choice["id"]]
        if not question_choices:
            complete = set()
        contents[module_id].units.append(_Unit(
            "question", question["id"], qnumbers[module_id], question["key"], complete=complete, present=set(rows),
            stale=_stale_languages({k: v[1:] for k, v in rows.items()}, source_of[module_id])))
        contents[module_id].questions.append({
            **question, "number": qnumbers[module_id], "choices": len(question_choices),
            "correct": sum(1 for choice in question_choices if choice["is_correct"]),
        })
    return contents


def _completeness(content: _ModuleContent) -> dict[str, dict]:
    total = len(content.units)
    result = {}
    for language in settings.CONTENT_LANGUAGES:
        done = sum(1 for unit in content.units if language in unit.complete)
        result[language] = {
            "language": language,
            "name": language_name(language),
            "percent": (100 * done) // total if total else 0,
            "complete": done,
            "total": total,
            "needs_update": sum(1 for unit in content.units if language in unit.stale),
            "required": language in settings.REQUIRED_CONTENT_LANGUAGES,
            "started": any(language in unit.present for unit in content.units),
        }
    return result


def module_completeness_many(modules: list[Module]) -> dict[int, dict[str, dict]]:
    """{module id: {language: {percent, complete, total, needs_update, required, started}}}."""
    return {module_id: _completeness(content) for module_id, content in _module_contents(list(modules)).items()}


def module_translation_completeness(module: Module) -> dict[str, dict]:
    """Per language: percent of the module's texts (module, lessons, questions) that are complete,
    and how many translations need an update since the source language changed."""
    return module_completeness_many([module])[module.pk]


def module_publish_check(module: Module) -> list[str]:
    """What is missing before `module` can be published, as sentences in the active language.
    An empty list means the module may be published."""
    content = _module_contents([module])[module.pk]
    problems: list[str] = []
    required = list(settings.REQUIRED_CONTENT_LANGUAGES)
    lessons = [unit for unit in content.units if unit.kind == "lesson"]
    module_unit = content.units[0]
    for language in required:
        if language not in module_unit.complete:
            problems.append(_("The module's title and summary are missing in %(language)s: add them in the module's settings.")
                            % {"language": language_name(language)})
    if not lessons:
        problems.append(_("The module has no lesson yet: add at least one lesson."))
    for unit in lessons:
        for language in required:
            if language not in unit.complete:
                problems.append(
                    _("Lesson %(number)s “%(title)s” is not written in %(language)s yet: add its title and text in %(language)s.")
                    % {"number": unit.number, "title": unit.label, "language": language_name(language)})
    if not content.questions:
        problems.append(_("The module has no quiz question yet: add at least one question to the quiz."))
    question_units = {unit.id: unit for unit in content.units if unit.kind == "question"}
    for question in content.questions:
        number = question["number"]
        if question["choices"] < 2:
            problems.append(_("Question %(number)s of the quiz has fewer than two choices: add the missing choices.")
                            % {"number": number})
        if question["correct"] == 0:
            problems.append(_("Question %(number)s of the quiz has no correct choice: mark at least one choice as correct.")
                            % {"number": number})
        elif question["kind"] == Question.Kind.SINGLE and question["correct"] != 1:
            problems.append(_("Question %(number)s of the quiz is a single-choice question with %(count)s correct choices: "
                              "mark exactly one choice as correct, or make it a multiple-choice question.")
                            % {"number": number, "count": question["correct"]})
        for language in required:
            if language not in question_units[question["id"]].complete:
                problems.append(_("Question %(number)s of the quiz is not complete in %(language)s: add its text, its "
                                  "explanation and the text of every choice in %(language)s.")
                                % {"number": number, "language": language_name(language)})
    return problems


def module_stale_translations(module: Module) -> list[str]:
    """The module's translations that may be behind their source text ("needs update"), one sentence each in the
    active language. Publishing asks for a confirmation while this list is not empty (ESSOR_REFUSE_STALE_TRANSLATIONS:
    refuses)."""
    content = _module_contents([module])[module.pk]
    sentences: list[str] = []
    for unit in content.units:
        for language in sorted(unit.stale, key=settings.CONTENT_LANGUAGES.index):
            values = {"number": unit.number, "title": unit.label, "language": language_name(language)}
            if unit.kind == "module":
                sentences.append(_("The module's title and summary in %(language)s need an update: the source text "
                                   "changed since they were translated.") % values)
            elif unit.kind == "lesson":
                sentences.append(_("Lesson %(number)s “%(title)s” in %(language)s needs an update: the source text "
                                   "changed since it was translated.") % values)
            else:
                sentences.append(_("Question %(number)s of the quiz in %(language)s needs an update: the source text "
                                   "changed since it was translated.") % values)
    return sentences


# --- Authoring -------------------------------------------------------------------------------

def module_list_for_trainer(*, user, language: str) -> list[dict]:
    """The trainer's module list: every module (trainers read all, edit their own), with status,
    languages, completeness per language, needs-update count and last edit. Fixed queries."""
    if not can_author(user):
        return []
    modules = list(Module.objects.select_related("topic").prefetch_related(
        "translations", Prefetch("authors", to_attr="author_list")).order_by("topic__position", "level", "slug"))
    completeness = module_completeness_many(modules)
    rows = []
    for module in modules:
        translation, is_fallback = translation_pick(module.translations.all(), language,
                                                    source_language=module.source_language)
        per_language = completeness[module.pk]
        rows.append({
            "module": module,
            "title": translation.title if translation else module.slug,
            "title_language": translation.language if translation else "",
            "is_fallback": is_fallback,
            "is_author": any(author.pk == user.pk for author in module.author_list),
            "authors": module.author_list,
            "completeness": [per_language[code] for code in settings.CONTENT_LANGUAGES],
            "needs_update": sum(item["needs_update"] for item in per_language.values()),
            "updated_at": module.updated_at,
        })
    rows.sort(key=lambda row: (not row["is_author"], row["module"].topic.position, row["module"].level, row["module"].slug))
    return rows


def module_get_for_authoring(*, slug: str) -> Module:
    """One module with what its editor page shows (raises Module.DoesNotExist)."""
    return (Module.objects.select_related("topic", "intermediary")
            .prefetch_related("translations", "authors", "prerequisites").get(slug=slug))


def module_lessons_for_authoring(*, module: Module, include_archived: bool = True) -> list[dict]:
    """The module's lessons with, per language, whether the text is complete and up to date."""
    lessons = Lesson.objects.filter(module=module).order_by("is_archived", "position", "id")
    if not include_archived:
        lessons = lessons.filter(is_archived=False)
    lessons = list(lessons.prefetch_related(Prefetch(
        "translations", queryset=LessonTranslation.objects.only(
            "id", "lesson_id", "language", "title", "summary", "body_md", "version", "source_version", "updated_at"))))
    rows = []
    for lesson in lessons:
        translations = {row.language: row for row in lesson.translations.all()}
        source = translations.get(module.source_language)
        languages = []
        for code in settings.CONTENT_LANGUAGES:
            row = translations.get(code)
            languages.append({
                "code": code,
                "name": language_name(code),
                "exists": row is not None,
                "complete": bool(row and row.is_complete),
                "needs_update": bool(row and source and code != module.source_language
                                     and row.source_version < source.version),
                "translation": row,
            })
        title_row, _fallback = translation_pick(translations.values(), module.source_language,
                                                source_language=module.source_language)
        rows.append({"lesson": lesson, "title": title_row.title if title_row else lesson.slug, "languages": languages})
    return rows


def lesson_get_for_authoring(*, module: Module, slug: str) -> Lesson:
    return Lesson.objects.select_related("module", "module__topic").prefetch_related("translations").get(
        module=module, slug=slug)


def translation_needs_update(*, translation, source) -> bool:
    return bool(source is not None and translation is not None and translation.language != source.language
                and translation.source_version < source.version)


def quiz_for_authoring(*, module: Module) -> list[Question]:
    """The quiz's questions with translations and choices (authors and admins only: shows answers)."""
    quiz = Quiz.objects.filter(module=module).first()
    if quiz is None:
        return []
    return list(quiz.questions.filter(is_archived=False).order_by("position", "id").prefetch_related(
        "translations", Prefetch("choices", queryset=Choice.objects.order_by("position", "id").prefetch_related(
            "translations"))))


def module_history(*, module: Module, limit: int | None = 50) -> list[ContentChange]:
    changes = ContentChange.objects.filter(module=module).select_related("user", "lesson").order_by("-created_at", "-id")
    return list(changes[:limit] if limit else changes)


# --- Downloadable templates ------------------------------------------------------------------

@dataclass
class TemplateItem:
    """One template of a module as a learner sees it: in the asked language, else visibly in another."""

    key: str
    title: str
    language: str
    is_fallback: bool
    format: str
    size: int
    url: str
    languages: list[str]


def module_templates(*, module: Module, language: str) -> list[TemplateItem]:
    """The module's templates (not archived) in `language` where a file exists, else in the source
    language, else another; one query, without the files' bytes. Permission is the caller's (the
    module must be readable by the visitor)."""
    rows = list(TemplateFile.objects.filter(module=module, is_archived=False).order_by("position", "key")
                .values("key", "language", "title", "format", "size"))
    by_key: dict[str, list[dict]] = {}
    for row in rows:
        by_key.setdefault(row["key"], []).append(row)
    items = []
    for key, files in by_key.items():
        order = [language, module.source_language, *settings.REQUIRED_CONTENT_LANGUAGES, *settings.CONTENT_LANGUAGES]
        by_language = {row["language"]: row for row in files}
        code = next((code for code in order if code in by_language), None) or sorted(by_language)[0]
        row = by_language[code]
        items.append(TemplateItem(
            key=key, title=row["title"], language=code, is_fallback=code != language, format=row["format"], size=row["size"],
            url=TEMPLATE_DOWNLOAD_PATH.format(module=module.slug, key=key, language=code, format=row["format"]),
            languages=[code for code in settings.CONTENT_LANGUAGES if code in by_language]))
    return items


def template_file_get(*, module: Module, key: str, language: str, file_format: str) -> TemplateFile | None:
    """One file to download (with its bytes), or None when there is no such file or it is archived."""
    return TemplateFile.objects.filter(module=module, key=key, language=language, format=file_format,
                                       is_archived=False).first()
