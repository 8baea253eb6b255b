"""Writes on modules, lessons and quizzes and their translations (web, API and import alike).

Every text is rendered once here (markdown_render) and stored; every change writes history.

Freshness: each translation row has a `version` (bumped when its text changes) and a
`source_version` (the version of the source-language row it matches). A translation's
`source_version` is brought up to the source's current version when it is created, when the
trainer says it matches the source (`matches_source=True`, `translation_mark_updated`), or when
it changes in the same operation as the source (one quiz question form, one import). Otherwise
editing a translation leaves it "needs update" until someone marks it updated.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Choice,
    ChoiceTranslation,
    Lesson,
    LessonTranslation,
    Module,
    ModuleTranslation,
    Question,
    QuestionTranslation,
    Quiz,
    Topic,
)
from ..rendering import markdown_render
from ..selectors import language_name
from .history import change_record

Change = Literal["created", "updated"] | None
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words the authoring URLs use after /courses/.
RESERVED_MODULE_SLUGS = {"new", "preview"}
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


# --- Helpers ---------------------------------------------------------------------------------

def text_normalise_markdown(text: str | None) -> str:
    """Unix line endings, no blank lines before the text, no trailing white space after it."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _LEADING_BLANK_LINES.sub("", text).rstrip()


def text_normalise_line(text: str | None) -> str:
    return " ".join((text or "").split())


def text_normalise_paragraph(text: str | None) -> str:
    return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))


def _check_language(language: str) -> None:
    if language not in settings.CONTENT_LANGUAGES:
        raise ValidationError({"language": _("“%(language)s” is not a content language of this site. Use one of: %(languages)s.")
                               % {"language": language, "languages": ", ".join(settings.CONTENT_LANGUAGES)}})


def _check_slug(slug: str, field: str = "slug") -> None:
    if not SLUG_RE.match(slug or "") or len(slug) > 80:
        raise ValidationError({field: _("Use only lowercase letters without accents, digits and hyphens for the short name "
                                        "(for example “annual-budget”), at most 80 characters.")})


def _source_version(model, parent_field: str, parent, source_language: str) -> int | None:
    return model.objects.filter(**{parent_field: parent, "language": source_language}).values_list(
        "version", flat=True).first()


def _rebaseline(module: Module) -> None:
    """After the source language changes, every translation matches the new source as it is."""
    source = module.source_language
    for model, parent_field, parents in (
        (ModuleTranslation, "module", [module.pk]),
        (LessonTranslation, "lesson", list(module.lessons.values_list("pk", flat=True))),
        (QuestionTranslation, "question", list(Question.objects.filter(quiz__module=module).values_list("pk", flat=True))),
    ):
        versions = dict(model.objects.filter(**{f"{parent_field}_id__in": parents, "language": source}).values_list(
            f"{parent_field}_id", "version"))
        for parent_id, version in versions.items():
            model.objects.filter(**{f"{parent_field}_id": parent_id}).exclude(language=source).update(source_version=version)


# --- Modules ---------------------------------------------------------------------------------

def _topic(topic: Topic | str) -> Topic:
    if isinstance(topic, Topic):
        return topic
    found = Topic.objects.filter(key=topic).first()
    if found is None:
        raise ValidationError({"topic": _("“%(topic)s” is not a topic. Choose one of: %(topics)s.")
                               % {"topic": topic, "topics": ", ".join(Topic.objects.values_list("key", flat=True))}})
    return found


@transaction.atomic
def module_create(*, slug: str, topic: Topic | str, user=None, level: int = Module.Level.BEGINNER,
                  estimated_minutes: int = 60, source_language: str = "fr", intermediary=None,
                  source: str = "web") -> Module:
    """A new draft module; the trainer who creates it is its first author."""
    slug = (slug or "").strip()
    _check_slug(slug)
    if slug in RESERVED_MODULE_SLUGS:
        raise ValidationError({"slug": _("“%(slug)s” is reserved by the site: choose another short name.") % {"slug": slug}})
    _check_language(source_language)
    if Module.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A module with the short name “%(slug)s” already exists: choose another one.")
                               % {"slug": slug}})
    module = Module(slug=slug, topic=_topic(topic), level=level, estimated_minutes=estimated_minutes,
                    source_language=source_language, intermediary=intermediary)
    module.full_clean()
    module.save()
    if user is not None and getattr(user, "is_authenticated", False):
        module.authors.add(user)
    change_record(module=module, object_type="module", object_id=module.pk, fields=["created"], user=user, source=source)
    return module


MODULE_FIELDS = ("topic", "level", "estimated_minutes", "source_language", "intermediary")


@transaction.atomic
def module_update(*, module: Module, data: dict, user=None, source: str = "web") -> tuple[Module, list[str]]:
    """Change the module's settings (topic, level, minutes, source language, owner, prerequisites).
    Returns the module and the names of the fields that changed."""
    module = Module.objects.select_for_update().get(pk=module.pk)
    changed: list[str] = []
    if "topic" in data:
        data = {**data, "topic": _topic(data["topic"])}
    if "source_language" in data:
        _check_language(data["source_language"])
    for name in MODULE_FIELDS:
        if name in data and getattr(module, name) != data[name]:
            setattr(module, name, data[name])
            changed.append(name)
    prerequisites = None
    if "prerequisites" in data:
        prerequisites = {item.pk if isinstance(item, Module) else int(item) for item in data["prerequisites"]}
        if module.pk in prerequisites:
            raise ValidationError({"prerequisites": _("A module cannot be its own prerequisite: remove it from the list.")})
        if prerequisites != set(module.prerequisites.values_list("pk", flat=True)):
            changed.append("prerequisites")
    if not changed:
        return module, []
    module.full_clean()
    module.save()
    if prerequisites is not None and "prerequisites" in changed:
        module.prerequisites.set(prerequisites)
    if "source_language" in changed:
        _rebaseline(module)
    change_record(module=module, object_type="module", object_id=module.pk, fields=changed, user=user, source=source)
    return module, changed


def _freshness(row, *, is_new: bool, text_changed: bool, language: str, source_language: str, current_source: int | None,
               matches_source: bool | None) -> None:
    if is_new:
        row.version = 1
    elif text_changed:
        row.version += 1
    if language == source_language:
        row.source_version = row.version
    elif current_source is not None and (is_new or matches_source):
        row.source_version = current_source


@transaction.atomic
def module_translation_save(*, module: Module, language: str, title: str, summary: str = "",
                            outcomes: Iterable[str] | None = None, user=None, source: str = "web",
                            matches_source: bool | None = None) -> tuple[ModuleTranslation, Change]:
    """Write the module's title, summary and outcomes in one language."""
    _check_language(language)
    title = text_normalise_line(title)
    summary = text_normalise_paragraph(summary)
    outcomes = [text_normalise_line(item) for item in (outcomes or []) if text_normalise_line(item)]
    if not title:
        raise ValidationError({"title": _("Give the module a title in %(language)s.") % {"language": language_name(language)}})
    row = ModuleTranslation.objects.select_for_update().filter(module=module, language=language).first()
    is_new = row is None
    if is_new:
        row = ModuleTranslation(module=module, language=language)
    changed = [name for name, value in (("title", title), ("summary", summary), ("outcomes", outcomes))
               if is_new or getattr(row, name) != value]
    if not changed and not matches_source:
        return row, None
    row.title, row.summary, row.outcomes = title, summary, outcomes
    current = None if language == module.source_language else _source_version(
        ModuleTranslation, "module", module, module.source_language)
    previous_source_version = row.source_version
    _freshness(row, is_new=is_new, text_changed=bool(changed), language=language, source_language=module.source_language,
               current_source=current, matches_source=matches_source)
    if not changed and row.source_version == previous_source_version:
        return row, None
    row.full_clean()
    row.save()
    fields = changed if changed else ["marked_updated"]
    change_record(module=module, object_type="module", object_id=module.pk, language=language, fields=fields,
                  user=user, source=source)
    return row, "created" if is_new else "updated"


# --- Lessons ---------------------------------------------------------------------------------

@transaction.atomic
def lesson_create(*, module: Module, slug: str, user=None, position: int | None = None, source: str = "web") -> Lesson:
    """A new lesson at the end of the module (or at `position`)."""
    slug = (slug or "").strip()
    _check_slug(slug)
    if Lesson.objects.filter(module=module, slug=slug).exists():
        raise ValidationError({"slug": _("This module already has a lesson with the short name “%(slug)s”: choose another one.")
                               % {"slug": slug}})
    if position is None:
        last = Lesson.objects.filter(module=module, is_archived=False).order_by("-position").values_list(
            "position", flat=True).first()
        position = (last or 0) + 1
    lesson = Lesson(module=module, slug=slug, position=position)
    lesson.full_clean()
    lesson.save()
    change_record(module=module, lesson=lesson, object_type="lesson", object_id=lesson.pk, fields=["created"],
                  user=user, source=source)
    return lesson


@transaction.atomic
def lesson_translation_save(*, lesson: Lesson, language: str, title: str, summary: str = "", body_md: str = "",
                            user=None, source: str = "web",
                            matches_source: bool | None = None) -> tuple[LessonTranslation, Change]:
    """Write one language of a lesson: renders and stores its HTML, bumps its version when the
    text changes (a change of the source language makes the other languages "needs update")."""
    _check_language(language)
    module = lesson.module
    title = text_normalise_line(title)
    summary = text_normalise_paragraph(summary)
    body_md = text_normalise_markdown(body_md)
    if not title:
        raise ValidationError({"title": _("Give the lesson a title in %(language)s.") % {"language": language_name(language)}})
    if len(title) > 200:
        raise ValidationError({"title": _("Shorten the title to 200 characters at most.")})
    row = LessonTranslation.objects.select_for_update().filter(lesson=lesson, language=language).first()
    is_new = row is None
    if is_new:
        row = LessonTranslation(lesson=lesson, language=language)
    changed = [name for name, value in (("title", title), ("summary", summary), ("body", body_md))
               if is_new or getattr(row, "body_md" if name == "body" else name) != value]
    current = None if language == module.source_language else _source_version(
        LessonTranslation, "lesson", lesson, module.source_language)
    previous_source_version = row.source_version
    if changed:
        row.title, row.summary, row.body_md = title, summary, body_md
        if is_new or "body" in changed:
            row.body_html = markdown_render(body_md, module=module, language=language)
    _freshness(row, is_new=is_new, text_changed=bool(changed), language=language, source_language=module.source_language,
               current_source=current, matches_source=matches_source)
    if not changed and row.source_version == previous_source_version:
        return row, None
    if user is not None and getattr(user, "is_authenticated", False):
        row.updated_by = user
    row.full_clean()
    row.save()
    change_record(module=module, lesson=lesson, object_type="lesson", object_id=lesson.pk, language=language,
                  fields=changed or ["marked_updated"], user=user, source=source)
    return row, "created" if is_new else "updated"


@transaction.atomic
def lesson_reorder(*, module: Module, lesson_ids: list[int], user=None, source: str = "web") -> list[Lesson]:
    """Put the module's lessons in the given order (positions 1, 2, ...); lessons not listed
    (archived ones) keep their place after them."""
    lessons = {lesson.pk: lesson for lesson in Lesson.objects.select_for_update().filter(module=module)}
    lesson_ids = [int(pk) for pk in lesson_ids]
    if len(set(lesson_ids)) != len(lesson_ids) or any(pk not in lessons for pk in lesson_ids):
        raise ValidationError(_("The new order must list each lesson of this module once. Reload the page and try again."))
    missing = [pk for pk, lesson in lessons.items() if pk not in lesson_ids and not lesson.is_archived]
    if missing:
        raise ValidationError(_("The new order must list every lesson of this module. Reload the page and try again."))
    ordered = [lessons[pk] for pk in lesson_ids]
    ordered += sorted((lesson for pk, lesson in lessons.items() if pk not in lesson_ids), key=lambda item: (item.position, item.pk))
    for position, lesson in enumerate(ordered, start=1):
        if lesson.position != position:
            lesson.position = position
            lesson.save(update_fields=["position", "updated_at"])
            change_record(module=module, lesson=lesson, object_type="lesson", object_id=lesson.pk, fields=["position"],
                          user=user, source=source)
    return ordered


def lesson_move(*, lesson: Lesson, offset: int, user=None, source: str = "web") -> None:
    """Move a lesson up (-1) or down (+1) among the module's active lessons."""
    ids = list(Lesson.objects.filter(module=lesson.module, is_archived=False).order_by("position", "id").values_list("pk", flat=True))
    if lesson.pk not in ids:
        return
    index = ids.index(lesson.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    if target == index:
        return
    ids.insert(target, ids.pop(index))
    lesson_reorder(module=lesson.module, lesson_ids=ids, user=user, source=source)


@transaction.atomic
def lesson_archive(*, lesson: Lesson, user=None, source: str = "web") -> Lesson:
    """Hide a lesson from learners and from completeness; progress on it is kept."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if lesson.is_archived:
        return lesson
    lesson.is_archived = True
    lesson.save(update_fields=["is_archived", "updated_at"])
    change_record(module=lesson.module, lesson=lesson, object_type="lesson", object_id=lesson.pk, fields=["archived"],
                  user=user, source=source)
    return lesson


@transaction.atomic
def lesson_restore(*, lesson: Lesson, user=None, source: str = "web", position: int | None = None) -> Lesson:
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not lesson.is_archived:
        return lesson
    if position is None:
        last = Lesson.objects.filter(module=lesson.module, is_archived=False).order_by("-position").values_list(
            "position", flat=True).first()
        position = (last or 0) + 1
    lesson.is_archived = False
    lesson.position = position
    lesson.save(update_fields=["is_archived", "position", "updated_at"])
    change_record(module=lesson.module, lesson=lesson, object_type="lesson", object_id=lesson.pk, fields=["restored"],
                  user=user, source=source)
    return lesson


# --- Freshness -------------------------------------------------------------------------------

def _translation_parent(translation):
    if isinstance(translation, LessonTranslation):
        lesson = translation.lesson
        return LessonTranslation, "lesson", lesson, lesson.module, lesson, "lesson", lesson.pk
    if isinstance(translation, ModuleTranslation):
        return ModuleTranslation, "module", translation.module, translation.module, None, "module", translation.module_id
    if isinstance(translation, QuestionTranslation):
        question = translation.question
        return QuestionTranslation, "question", question, question.quiz.module, None, "question", question.pk
    raise TypeError(f"Not a translation: {translation!r}")


@transaction.atomic
def translation_mark_updated(*, translation, user=None, source: str = "web"):
    """A trainer checked this translation against the current source text: it is up to date."""
    model, parent_field, parent, module, lesson, object_type, object_id = _translation_parent(translation)
    current = _source_version(model, parent_field, parent, module.source_language)
    row = model.objects.select_for_update().get(pk=translation.pk)
    if current is None or row.language == module.source_language or row.source_version >= current:
        return row
    row.source_version = current
    row.save(update_fields=["source_version"])
    change_record(module=module, lesson=lesson, object_type=object_type, object_id=object_id, language=row.language,
                  fields=["marked_updated"], user=user, source=source)
    return row


# --- Quiz ------------------------------------------------------------------------------------

def quiz_get_or_create(*, module: Module) -> Quiz:
    quiz, _created = Quiz.objects.get_or_create(module=module)
    return quiz


@transaction.atomic
def quiz_update(*, quiz: Quiz, pass_mark: int, reveal_answers: str | None = None, user=None,
                source: str = "web") -> tuple[Quiz, bool]:
    """The quiz's settings: its pass mark and, when given, when learners see the right answers."""
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if reveal_answers is not None and reveal_answers not in Quiz.Reveal.values:
        raise ValidationError({"reveal_answers": _("Choose when learners see the right answers: once they pass, or after "
                                                   "every attempt.")})
    try:
        pass_mark = int(pass_mark)
    except (TypeError, ValueError):
        pass_mark = -1
    if not 1 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": _("The pass mark is a percentage: give a whole number from 1 to 100.")})
    changed = [name for name, value in (("pass_mark", pass_mark), ("reveal_answers", reveal_answers))
               if value is not None and getattr(quiz, name) != value]
    if not changed:
        return quiz, False
    quiz.pass_mark = pass_mark
    if reveal_answers is not None:
        quiz.reveal_answers = reveal_answers
    quiz.save(update_fields=changed)
    change_record(module=quiz.module, object_type="quiz", object_id=quiz.pk, fields=changed, user=user, source=source)
    return quiz, True


def _question_language_content(texts: dict, choices: list[dict], language: str) -> tuple:
    text = texts.get(language) or {}
    return (
        text.get("text", ""), text.get("explanation", ""),
        tuple(((choice["texts"].get(language) or {}).get("text", ""), (choice["texts"].get(language) or {}).get("feedback", ""))
              for choice in choices),
    )


def _existing_language_content(question: Question, choices: list[Choice], language: str) -> tuple | None:
    row = next((item for item in question.translations.all() if item.language == language), None)
    choice_texts = []
    for choice in choices:
        choice_row = next((item for item in choice.translations.all() if item.language == language), None)
        choice_texts.append((choice_row.text_md, choice_row.feedback_md) if choice_row else ("", ""))
    if row is None and not any(a or b for a, b in choice_texts):
        return None
    return (row.text_md if row else "", row.explanation_md if row else "", tuple(choice_texts))


@transaction.atomic
def question_save(*, quiz: Quiz, key: str, kind: str, texts: dict[str, dict], choices: list[dict], user=None,
                  source: str = "web", question: Question | None = None, position: int | None = None,
                  matches_source: Iterable[str] = ()) -> tuple[Question, Change]:
    """Create or change a quiz question with its choices, in every language at once.

    texts: {language: {"text": md, "explanation": md}}
    choices: [{"correct": bool, "texts": {language: {"text": md, "feedback": md}}}] in order.
    A language with no text at all is removed from the question.
    """
    module = quiz.module
    key = (key or "").strip()
    _check_slug(key, "key")
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Choose whether the question is single choice or multiple choice.")})
    texts = {language: {"text": text_normalise_markdown(value.get("text")),
                        "explanation": text_normalise_markdown(value.get("explanation"))}
             for language, value in (texts or {}).items()}
    choices = [{"correct": bool(choice.get("correct")),
                "texts": {language: {"text": text_normalise_markdown(value.get("text")),
                                     "feedback": text_normalise_markdown(value.get("feedback"))}
                          for language, value in (choice.get("texts") or {}).items()}}
               for choice in choices]
    languages = set(texts) | {language for choice in choices for language in choice["texts"]}
    for language in languages:
        _check_language(language)
    # A choice with no text in any language is an empty form row, not a choice.
    choices = [choice for choice in choices if any(value["text"] or value["feedback"] for value in choice["texts"].values())]
    if len(choices) < 2:
        raise ValidationError({"choices": _("A question needs at least two choices: add the missing choices.")})
    correct = sum(1 for choice in choices if choice["correct"])
    if kind == Question.Kind.SINGLE and correct != 1:
        raise ValidationError({"choices": _("A single-choice question has exactly one correct choice: mark one, and only one, "
                                            "choice as correct.")})
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise ValidationError({"choices": _("Mark at least one choice as correct.")})
    active_languages = [language for language in settings.CONTENT_LANGUAGES
                        if _question_language_content(texts, choices, language) != ("", "", tuple(("", "") for _c in choices))]
    for language in active_languages:
        if not texts.get(language, {}).get("text"):
            raise ValidationError({"text": _("Write the question in %(language)s, or leave every %(language)s field of this "
                                             "question empty.") % {"language": language_name(language)}})
    if module.source_language not in active_languages:
        raise ValidationError({"text": _("Write the question in the module's source language (%(language)s) first.")
                               % {"language": language_name(module.source_language)}})
    duplicate = Question.objects.filter(quiz=quiz, key=key)
    if question is not None:
        duplicate = duplicate.exclude(pk=question.pk)
    if duplicate.exists():
        raise ValidationError({"key": _("This quiz already has a question with the key “%(key)s”: choose another one.")
                               % {"key": key}})

    is_new = question is None
    if is_new:
        last = Question.objects.filter(quiz=quiz).order_by("-position").values_list("position", flat=True).first()
        question = Question(quiz=quiz, key=key, kind=kind, position=position or (last or 0) + 1)
        structure_changed = ["created"]
        existing_choices: list[Choice] = []
    else:
        question = Question.objects.select_for_update().get(pk=question.pk)
        structure_changed = [name for name, value in (("key", key), ("kind", kind)) if getattr(question, name) != value]
        if position is not None and question.position != position:
            structure_changed.append("position")
            question.position = position
        if question.is_archived:
            structure_changed.append("restored")
            question.is_archived = False
        question.key, question.kind = key, kind
        existing_choices = list(question.choices.order_by("position", "id").prefetch_related("translations"))
    if not is_new:
        old_correct = [choice.is_correct for choice in existing_choices]
        if len(existing_choices) != len(choices):
            structure_changed.append("choices")
        elif old_correct != [choice["correct"] for choice in choices]:
            structure_changed.append("correct")
    previous = {} if is_new else {
        language: _existing_language_content(question, existing_choices, language) for language in settings.CONTENT_LANGUAGES}
    question.full_clean()
    question.save()

    # Choices, matched by position; extra old choices are removed.
    saved_choices: list[Choice] = []
    for index, payload in enumerate(choices, start=1):
        choice = existing_choices[index - 1] if index - 1 < len(existing_choices) else Choice(question=question)
        if choice.pk is None or choice.position != index or choice.is_correct != payload["correct"]:
            choice.position, choice.is_correct = index, payload["correct"]
            choice.save()
        saved_choices.append(choice)
    for choice in existing_choices[len(choices):]:
        choice.delete()

    new_content = {language: _question_language_content(texts, choices, language) for language in active_languages}
    changed_languages = [language for language in active_languages if previous.get(language) != new_content[language]]
    removed_languages = [language for language in settings.CONTENT_LANGUAGES
                         if language not in active_languages and previous.get(language) is not None]
    source_changed = module.source_language in changed_languages
    # Source language first, so that its new version is known to the translations.
    ordered = sorted(changed_languages, key=lambda code: code != module.source_language)
    source_version = QuestionTranslation.objects.filter(question=question, language=module.source_language).values_list(
        "version", flat=True).first()
    matches_source = set(matches_source)
    for language in ordered:
        text = texts[language]
        row = QuestionTranslation.objects.filter(question=question, language=language).first()
        row_is_new = row is None
        if row_is_new:
            row = QuestionTranslation(question=question, language=language)
        row.text_md, row.explanation_md = text["text"], text["explanation"]
        row.text_html = markdown_render(row.text_md, module=module, language=language)
        row.explanation_html = markdown_render(row.explanation_md, module=module, language=language)
        _freshness(row, is_new=row_is_new, text_changed=True, language=language, source_language=module.source_language,
                   current_source=source_version, matches_source=source_changed or language in matches_source)
        row.save()
        if language == module.source_language:
            source_version = row.version
        for choice, payload in zip(saved_choices, choices, strict=True):
            value = payload["texts"].get(language) or {"text": "", "feedback": ""}
            choice_row = ChoiceTranslation.objects.filter(choice=choice, language=language).first()
            if not value["text"]:
                if choice_row is not None:
                    choice_row.delete()
                continue
            choice_row = choice_row or ChoiceTranslation(choice=choice, language=language)
            if choice_row.pk is None or (choice_row.text_md, choice_row.feedback_md) != (value["text"], value["feedback"]):
                choice_row.text_md, choice_row.feedback_md = value["text"], value["feedback"]
                choice_row.text_html = markdown_render(value["text"], module=module, language=language)
                choice_row.feedback_html = markdown_render(value["feedback"], module=module, language=language)
                choice_row.save()
    for language in matches_source - set(changed_languages):
        row = QuestionTranslation.objects.filter(question=question, language=language).first()
        if row is not None and source_version is not None and row.source_version < source_version:
            row.source_version = source_version
            row.save(update_fields=["source_version"])
            changed_languages.append(language)
    for language in removed_languages:
        QuestionTranslation.objects.filter(question=question, language=language).delete()
        ChoiceTranslation.objects.filter(choice__question=question, language=language).delete()

    if structure_changed:
        change_record(module=module, object_type="question", object_id=question.pk, fields=structure_changed, user=user,
                      source=source)
    for language in changed_languages + removed_languages:
        change_record(module=module, object_type="question", object_id=question.pk, language=language,
                      fields=["removed" if language in removed_languages else "text"], user=user, source=source)
    if is_new:
        return question, "created"
    return question, "updated" if (structure_changed or changed_languages or removed_languages) else None


@transaction.atomic
def question_archive(*, question: Question, user=None, source: str = "web") -> Question:
    """Take a question out of the quiz; learners' past answers to it are kept."""
    question = Question.objects.select_for_update().select_related("quiz__module").get(pk=question.pk)
    if question.is_archived:
        return question
    question.is_archived = True
    question.save(update_fields=["is_archived"])
    change_record(module=question.quiz.module, object_type="question", object_id=question.pk, fields=["archived"],
                  user=user, source=source)
    return question


@transaction.atomic
def question_reorder(*, quiz: Quiz, question_ids: list[int], user=None, source: str = "web") -> None:
    questions = {question.pk: question for question in Question.objects.select_for_update().filter(quiz=quiz, is_archived=False)}
    question_ids = [int(pk) for pk in question_ids]
    if sorted(question_ids) != sorted(questions):
        raise ValidationError(_("The new order must list each question of this quiz once. Reload the page and try again."))
    for position, pk in enumerate(question_ids, start=1):
        question = questions[pk]
        if question.position != position:
            question.position = position
            question.save(update_fields=["position"])
            change_record(module=quiz.module, object_type="question", object_id=pk, fields=["position"], user=user,
                          source=source)


def question_move(*, question: Question, offset: int, user=None, source: str = "web") -> None:
    ids = list(Question.objects.filter(quiz=question.quiz, is_archived=False).order_by("position", "id").values_list("pk", flat=True))
    index = ids.index(question.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    if target != index:
        ids.insert(target, ids.pop(index))
        question_reorder(quiz=question.quiz, question_ids=ids, user=user, source=source)


# --- Authors ---------------------------------------------------------------------------------

@transaction.atomic
def module_author_add(*, module: Module, author, user=None, source: str = "web") -> bool:
    if not (author.is_trainer or author.is_superuser):
        raise ValidationError(_("Only trainers can be authors of a module. Ask an administrator to give this person the "
                                "trainer role first."))
    if module.authors.filter(pk=author.pk).exists():
        return False
    module.authors.add(author)
    change_record(module=module, object_type="module", object_id=module.pk, fields=["authors"], user=user, source=source)
    return True


@transaction.atomic
def module_author_remove(*, module: Module, author, user=None, source: str = "web") -> bool:
    if not module.authors.filter(pk=author.pk).exists():
        return False
    if module.authors.count() == 1:
        raise ValidationError(_("A module keeps at least one author: add another author before removing this one."))
    module.authors.remove(author)
    change_record(module=module, object_type="module", object_id=module.pk, fields=["authors"], user=user, source=source)
    return True


def module_rerender(*, module: Module, containing: str | None = None) -> int:
    """Render the stored HTML again (after an image was added, or a rendering rule changed).
    Versions do not move: the text is the same."""
    count = 0
    rows = LessonTranslation.objects.filter(lesson__module=module)
    if containing:
        rows = rows.filter(body_md__contains=containing)
    for row in rows:
        html = markdown_render(row.body_md, module=module, language=row.language)
        if html != row.body_html:
            LessonTranslation.objects.filter(pk=row.pk).update(body_html=html)
            count += 1
    return count
