"""Apply a checked content plan to the database, in one transaction, through the services.

Idempotent: what is already equal is not touched (a second run reports 0 created, 0 updated).
Web edits win over files unless `overwrite`: when the latest change of a text was made on the
web or through the API, a different text in the files is not imported and a warning says so
(export the content to bring the web edit into the files, or import with --overwrite).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ContentChange, Lesson, LessonImage, LessonTranslation, Module, ModuleTranslation, Question, Quiz, TemplateFile
from ..selectors import module_publish_check
from ..services import (
    diagnostic_save,
    lesson_archive,
    lesson_create,
    lesson_image_delete,
    lesson_image_save,
    lesson_reorder,
    lesson_restore,
    lesson_translation_save,
    module_create,
    module_publish,
    module_translation_save,
    module_update,
    question_archive,
    question_save,
    quiz_get_or_create,
    quiz_update,
    template_file_archive,
    template_file_save,
)
from .exporter import quiz_as_data
from .reader import ContentPlan, ModulePlan, Problem

SOURCE = "import"
# Changes that are not authoring of the texts (the files do not carry them).
NOT_CONTENT = ["status", "authors"]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    archived: int = 0
    published: list[str] = field(default_factory=list)
    not_published: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def count(self, change) -> None:
        if change == "created":
            self.created += 1
        elif change:
            self.updated += 1

    @property
    def summary(self) -> str:
        # Not translated: scripts and the documentation rely on this exact line.
        return f"{self.created} created, {self.updated} updated, {self.archived} archived"


class _DryRunRollback(Exception):
    pass


class _WebEdits:
    """Which texts of a module were last changed on the web or through the API."""

    def __init__(self, module: Module | None):
        self.latest: dict[tuple, str] = {}
        if module is None:
            return
        for object_type, object_id, language, source in (
                ContentChange.objects.filter(module=module).exclude(field__in=NOT_CONTENT).order_by("id")
                .values_list("object_type", "object_id", "language", "source")):
            key = ("quiz", None, "") if object_type in {"quiz", "question"} else (object_type, object_id, language)
            self.latest[key] = source
            if object_type == "lesson":
                self.latest[("lesson-any", object_id, "")] = source

    def edited(self, object_type: str, object_id=None, language: str = "") -> bool:
        return self.latest.get((object_type, object_id, language), SOURCE) != SOURCE


class _Importer:
    def __init__(self, plan: ContentPlan, *, overwrite: bool, dry_run: bool, progress: Callable[[str], None] | None):
        self.plan = plan
        self.overwrite = overwrite
        self.dry_run = dry_run
        self.progress = progress or (lambda message: None)
        self.report = ImportReport()

    def keep(self, path: str, message: str) -> None:
        self.report.warnings.append(Problem(path, 1, message))

    def run(self, *, publish: bool) -> ImportReport:
        modules: dict[str, Module] = {}
        total = len(self.plan.modules)
        for index, module_plan in enumerate(self.plan.modules, start=1):
            self.progress(_("[%(index)s/%(total)s] %(module)s") % {"index": index, "total": total, "module": module_plan.slug})
            modules[module_plan.slug] = self.module(module_plan)
        # Prerequisites once every module exists.
        for module_plan in self.plan.modules:
            module = modules[module_plan.slug]
            wanted = set(Module.objects.filter(slug__in=module_plan.prerequisites).values_list("pk", flat=True))
            current = set(module.prerequisites.values_list("pk", flat=True))
            if wanted != current:
                if self.web(module).edited("module", module.pk):
                    self.keep(f"{module_plan.path}/module.yaml", _("The prerequisites were changed on the web: the ones in "
                                                                   "this file were not imported."))
                else:
                    _module, changed = module_update(module=module, data={"prerequisites": list(wanted)}, source=SOURCE)
                    self.report.count("updated" if changed else None)
        for module_plan in self.plan.modules:
            module = modules[module_plan.slug]
            self.images(module, module_plan)
            self.templates(module, module_plan)
            self.lessons(module, module_plan)
            self.quiz(module, module_plan)
        if self.plan.diagnostic is not None:
            diagnostic = self.plan.diagnostic
            _diagnostic, change = diagnostic_save(scale=diagnostic.scale, areas=diagnostic.areas)
            self.report.count(change)
        if publish:
            for module_plan in self.plan.modules:
                module = Module.objects.get(pk=modules[module_plan.slug].pk)
                # Only modules never published: one a trainer unpublished or archived stays so.
                if module.status in (Module.Status.DRAFT, Module.Status.IN_REVIEW) and module.published_at is None:
                    problems = module_publish_check(module)
                    if problems:
                        self.report.not_published[module.slug] = problems
                    else:
                        try:  # files carry their own freshness; only ESSOR_REFUSE_STALE_TRANSLATIONS refuses here
                            module_publish(module=module, source=SOURCE, stale_confirmed=True)
                        except ValidationError as error:
                            self.report.not_published[module.slug] = error.messages
                        else:
                            self.report.published.append(module.slug)
        return self.report

    _web_cache: dict

    def web(self, module: Module) -> _WebEdits:
        if self.overwrite:
            return _WebEdits(None)
        cache = self.__dict__.setdefault("_web_cache", {})
        if module.pk not in cache:
            cache[module.pk] = _WebEdits(module)
        return cache[module.pk]

    # -- module ---------------------------------------------------------------------------------
    def module(self, plan: ModulePlan) -> Module:
        module = Module.objects.filter(slug=plan.slug).first()
        path = f"{plan.path}/module.yaml"
        if module is None:
            module = module_create(slug=plan.slug, topic=plan.topic, level=plan.level, estimated_minutes=plan.minutes,
                                   source_language=plan.source_language, source=SOURCE)
            self.report.count("created")
        web = self.web(module)
        data = {"topic": plan.topic, "level": plan.level, "estimated_minutes": plan.minutes,
                "source_language": plan.source_language}
        differs = (module.topic.key, module.level, module.estimated_minutes, module.source_language) != tuple(data.values())
        if differs:
            if web.edited("module", module.pk):
                self.keep(path, _("The module's settings were changed on the web: the topic, level, minutes and source "
                                  "language in this file were not imported."))
            else:
                module, changed = module_update(module=module, data=data, source=SOURCE)
                self.report.count("updated" if changed else None)
        existing = {row.language: row for row in ModuleTranslation.objects.filter(module=module)}
        languages = list(plan.title)
        source_changed = False
        for language in sorted(languages, key=lambda code: code != module.source_language):
            row = existing.get(language)
            values = (plan.title[language], plan.summary.get(language, ""), plan.outcomes.get(language, []))
            if row is not None and (row.title, row.summary, list(row.outcomes)) == values:
                continue
            if row is not None and web.edited("module", module.pk, language):
                self.keep(path, _("The module's %(language)s title, summary or outcomes were changed on the web: this "
                                  "file's were not imported.") % {"language": language})
                continue
            _row, change = module_translation_save(
                module=module, language=language, title=values[0], summary=values[1], outcomes=values[2], source=SOURCE,
                matches_source=source_changed and language != module.source_language)
            source_changed = source_changed or (language == module.source_language and change is not None)
            self.report.count(change)
        for language, row in existing.items():
            if language not in plan.title and not web.edited("module", module.pk, language):
                row.delete()
                self.report.count("updated")
        return module

    # -- images ---------------------------------------------------------------------------------
    def images(self, module: Module, plan: ModulePlan) -> None:
        web = self.web(module)
        existing = {image.name: image for image in LessonImage.objects.filter(module=module)}
        for name, file_path in plan.images.items():
            data = file_path.read_bytes()
            if self.dry_run:
                image = existing.get(name)
                if image is None or image.sha256 != hashlib.sha256(data).hexdigest():
                    self.report.count("created" if image is None else "updated")
                continue
            _image, change = lesson_image_save(module=module, name=name, data=data, source=SOURCE, resize=False)
            self.report.count(change)
        for name, image in existing.items():
            if name not in plan.images:
                if web.edited("image", image.pk):
                    continue  # uploaded on the web: kept, and written by the next export
                if not self.dry_run:
                    lesson_image_delete(image=image, source=SOURCE)
                self.report.count("updated")

    # -- templates ------------------------------------------------------------------------------
    def templates(self, module: Module, plan: ModulePlan) -> None:
        """Before the lessons, so that their `template:` links find the files. Same bytes, same
        title and place: nothing written. A file gone from the folder is archived (kept)."""
        existing = {(row.key, row.language): row for row in TemplateFile.objects.filter(module=module).defer("data")}
        planned = set()
        for position, template in enumerate(plan.templates, start=1):
            for language, file_path in template.files.items():
                planned.add((template.key, language))
                data = file_path.read_bytes()
                if self.dry_run:
                    row = existing.get((template.key, language))
                    wanted = (hashlib.sha256(data).hexdigest(), template.titles[language], position, False)
                    if row is None or (row.sha256, row.title, row.position, row.is_archived) != wanted:
                        self.report.count("created" if row is None else "updated")
                    continue
                _row, change = template_file_save(module=module, key=template.key, language=language,
                                                  title=template.titles[language], file_format=file_path.suffix[1:],
                                                  data=data, position=position, source=SOURCE)
                self.report.count(change)
        for identity, row in existing.items():
            if identity not in planned and not row.is_archived:
                if not self.dry_run:
                    template_file_archive(row=row, source=SOURCE)
                self.report.archived += 1

    # -- lessons --------------------------------------------------------------------------------
    def lessons(self, module: Module, plan: ModulePlan) -> None:
        web = self.web(module)
        existing = {lesson.slug: lesson for lesson in Lesson.objects.filter(module=module)}
        translations = {(row.lesson_id, row.language): row for row in LessonTranslation.objects.filter(lesson__module=module)}
        ordered_ids = []
        for lesson_plan in plan.lessons:
            lesson = existing.get(lesson_plan.slug)
            if lesson is None:
                lesson = lesson_create(module=module, slug=lesson_plan.slug, position=lesson_plan.number, source=SOURCE)
                self.report.count("created")
            elif lesson.is_archived:
                lesson = lesson_restore(lesson=lesson, position=lesson_plan.number, source=SOURCE)
                self.report.count("updated")
            lesson.module = module
            ordered_ids.append(lesson.pk)
            source_changed = False
            for language in sorted(lesson_plan.files, key=lambda code: code != module.source_language):
                lesson_file = lesson_plan.files[language]
                row = translations.get((lesson.pk, language))
                if row is not None and (row.title, row.summary, row.body_md) == (
                        lesson_file.title, lesson_file.summary, lesson_file.body):
                    continue
                if row is not None and web.edited("lesson", lesson.pk, language):
                    self.keep(lesson_file.path, _("This lesson's %(language)s text was changed on the web: this file was "
                                                  "not imported.") % {"language": language})
                    continue
                _row, change = lesson_translation_save(
                    lesson=lesson, language=language, title=lesson_file.title, summary=lesson_file.summary,
                    body_md=lesson_file.body, source=SOURCE,
                    matches_source=source_changed and language != module.source_language)
                source_changed = source_changed or (language == module.source_language and change is not None)
                self.report.count(change)
            for (lesson_id, language), row in translations.items():
                if lesson_id == lesson.pk and language not in lesson_plan.files and not web.edited("lesson", lesson.pk, language):
                    row.delete()
                    self.report.count("updated")
        # Lessons gone from the files are archived (never deleted: learners' progress stays).
        planned = {lesson_plan.slug for lesson_plan in plan.lessons}
        for slug, lesson in existing.items():
            if slug in planned or lesson.is_archived:
                continue
            if web.edited("lesson-any", lesson.pk):
                self.keep(plan.path, _("The lesson “%(slug)s” is not in the files but was written or changed on the web: it "
                                       "was kept. Export the content to add it to the files, or archive it on the web.")
                          % {"slug": slug})
                continue
            lesson_archive(lesson=lesson, source=SOURCE)
            self.report.archived += 1
        current = list(Lesson.objects.filter(module=module, is_archived=False).order_by("position", "id").values_list("pk", flat=True))
        kept = [pk for pk in current if pk not in ordered_ids]
        wanted = ordered_ids + kept
        if current != wanted:
            if any(web.edited("lesson", pk) for pk in current):
                self.keep(plan.path, _("The order of the lessons was changed on the web: the order of the files was not "
                                       "imported."))
            else:
                lesson_reorder(module=module, lesson_ids=wanted, source=SOURCE)
                self.report.count("updated")

    # -- quiz -----------------------------------------------------------------------------------
    def quiz(self, module: Module, plan: ModulePlan) -> None:
        web = self.web(module)
        quiz = Quiz.objects.filter(module=module).first()
        current = quiz_as_data(quiz)
        wanted = (plan.quiz.pass_mark, plan.quiz.questions) if plan.quiz else (current[0], [])
        reveal = plan.quiz.reveal_answers if plan.quiz else (quiz.reveal_answers if quiz else Quiz.Reveal.AFTER_PASS)
        if current == wanted and (quiz is None or quiz.reveal_answers == reveal):
            return
        path = plan.quiz.path if plan.quiz else f"{plan.path}/quiz.yaml"
        if current[1] and web.edited("quiz"):
            self.keep(path, _("The quiz was changed on the web: this quiz file was not imported."))
            return
        quiz = quiz or quiz_get_or_create(module=module)
        if plan.quiz:
            _quiz, changed = quiz_update(quiz=quiz, pass_mark=plan.quiz.pass_mark, reveal_answers=reveal, source=SOURCE)
            self.report.count("updated" if changed else None)
        existing = {question.key: question for question in Question.objects.filter(quiz=quiz)}
        planned = set()
        for position, data in enumerate(plan.quiz.questions if plan.quiz else [], start=1):
            planned.add(data["key"])
            _question, change = question_save(
                quiz=quiz, question=existing.get(data["key"]), key=data["key"], kind=data["kind"], texts=data["texts"],
                choices=data["choices"], position=position, source=SOURCE)
            self.report.count(change)
        for key, question in existing.items():
            if key not in planned and not question.is_archived:
                question_archive(question=question, source=SOURCE)
                self.report.archived += 1


def content_import(plan: ContentPlan, *, publish: bool = False, dry_run: bool = False, overwrite: bool = False,
                   progress: Callable[[str], None] | None = None) -> ImportReport:
    """Import a plan without problems, all or nothing. A dry run computes the report and rolls back."""
    if plan.problems:
        raise ValueError("A content plan with problems cannot be imported.")
    importer = _Importer(plan, overwrite=overwrite, dry_run=dry_run, progress=progress)
    try:
        with transaction.atomic():
            report = importer.run(publish=publish)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        report = importer.report
    return report
