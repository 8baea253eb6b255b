"""Write modules (and the self-diagnostic) back as content/ files, in canonical form.

`module_files(module)` returns {relative path: bytes}; `content_export` writes them. Import →
export gives the same bytes because both sides normalise texts the same way and YAML is
written by one dumper (yamlio.yaml_dump_canonical).
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from ..models import Choice, Diagnostic, Lesson, LessonImage, Module, Question, Quiz, TemplateFile
from .yamlio import yaml_dump_canonical


def _ordered(values: dict) -> dict:
    """Languages in the order of settings.CONTENT_LANGUAGES (then any other, sorted)."""
    order = list(settings.CONTENT_LANGUAGES)
    return {key: values[key] for key in sorted(values, key=lambda code: (order.index(code) if code in order else len(order), code))}


def quiz_as_data(quiz: Quiz | None) -> tuple[int, list[dict]]:
    """(pass mark, questions) in the shape the reader produces (used by import and export)."""
    if quiz is None:
        return 70, []
    questions = (Question.objects.filter(quiz=quiz, is_archived=False).order_by("position", "id")
                 .prefetch_related("translations", Prefetch("choices", queryset=Choice.objects.order_by("position", "id")
                                                            .prefetch_related("translations"))))
    result = []
    for question in questions:
        texts = {row.language: {"text": row.text_md, "explanation": row.explanation_md} for row in question.translations.all()}
        choices = []
        for choice in question.choices.all():
            choices.append({"correct": choice.is_correct, "texts": _ordered({
                row.language: {"text": row.text_md, "feedback": row.feedback_md} for row in choice.translations.all()})})
        result.append({"key": question.key, "kind": question.kind, "texts": _ordered(texts), "choices": choices})
    return quiz.pass_mark, result


def _quiz_yaml(pass_mark: int, questions: list[dict], reveal_answers: str = "after_pass") -> str:
    data = {"pass_mark": pass_mark, **({"reveal_answers": reveal_answers} if reveal_answers != "after_pass" else {}),
            "questions": []}
    for question in questions:
        item = {"key": question["key"], "kind": question["kind"],
                "text": {code: value["text"] for code, value in question["texts"].items() if value["text"]}}
        explanation = {code: value["explanation"] for code, value in question["texts"].items() if value["explanation"]}
        if explanation:
            item["explanation"] = explanation
        item["choices"] = []
        for choice in question["choices"]:
            entry = {"correct": choice["correct"],
                     "text": {code: value["text"] for code, value in choice["texts"].items() if value["text"]}}
            feedback = {code: value["feedback"] for code, value in choice["texts"].items() if value["feedback"]}
            if feedback:
                entry["feedback"] = feedback
            item["choices"].append(entry)
        data["questions"].append(item)
    return yaml_dump_canonical(data)


def _template_rows(module: Module) -> list[TemplateFile]:
    return list(TemplateFile.objects.filter(module=module, is_archived=False).order_by("position", "key", "language"))


def module_yaml_data(module: Module, templates: list[TemplateFile] | None = None) -> dict:
    translations = {row.language: row for row in module.translations.all()}
    data = {
        "topic": module.topic.key,
        "level": module.level,
        "minutes": module.estimated_minutes,
        "source_language": module.source_language,
        "prerequisites": sorted(module.prerequisites.values_list("slug", flat=True)),
        "title": _ordered({code: row.title for code, row in translations.items()}),
        "summary": _ordered({code: row.summary for code, row in translations.items() if row.summary}),
        "outcomes": _ordered({code: list(row.outcomes) for code, row in translations.items() if row.outcomes}),
    }
    titles: dict[str, dict[str, str]] = {}
    for row in templates if templates is not None else _template_rows(module):
        titles.setdefault(row.key, {})[row.language] = row.title
    if titles:  # left out when the module has none, like every optional key without a value
        data["templates"] = [{"key": key, "title": _ordered(value)} for key, value in titles.items()]
    return data


def lesson_file_text(*, title: str, summary: str, body: str) -> str:
    front = yaml_dump_canonical({"title": title, "summary": summary})
    return f"---\n{front}---\n" + (f"{body}\n" if body else "")


def module_files(module: Module) -> dict[str, bytes]:
    """Every file of one module folder, by path relative to that folder."""
    templates = _template_rows(module)
    files: dict[str, bytes] = {"module.yaml": yaml_dump_canonical(module_yaml_data(module, templates)).encode()}
    lessons = Lesson.objects.filter(module=module, is_archived=False).order_by("position", "id").prefetch_related("translations")
    for number, lesson in enumerate(lessons, start=1):
        for row in lesson.translations.all():
            text = lesson_file_text(title=row.title, summary=row.summary, body=row.body_md)
            files[f"{number:02d}-{lesson.slug}.{row.language}.md"] = text.encode()
    quiz = Quiz.objects.filter(module=module).first()
    pass_mark, questions = quiz_as_data(quiz)
    if questions:
        files["quiz.yaml"] = _quiz_yaml(pass_mark, questions, quiz.reveal_answers).encode()
    for image in LessonImage.objects.filter(module=module).order_by("name"):
        with image.image.open("rb") as handle:
            files[f"images/{image.name}"] = handle.read()
    for row in templates:
        files[f"templates/{row.file_name}"] = bytes(row.data)
    return files


def diagnostic_yaml(diagnostic: Diagnostic) -> str:
    areas = []
    for area in diagnostic.areas.select_related("module").prefetch_related("statements").order_by("position", "id"):
        item = {"key": area.key}
        if area.module is not None:
            item["module"] = area.module.slug
        item["title"] = _ordered(dict(area.titles))
        item["statements"] = [{"key": statement.key, "text": _ordered(dict(statement.texts))}
                              for statement in area.statements.order_by("position", "id")]
        areas.append(item)
    return yaml_dump_canonical({"scale": _ordered({code: list(values) for code, values in diagnostic.scale.items()}),
                                "areas": areas})


def content_files(*, modules: list[Module] | None = None, include_diagnostic: bool = True) -> dict[str, bytes]:
    """{path relative to the content folder: bytes} for the given modules (default: every module
    that is not archived) and the diagnostic."""
    if modules is None:
        modules = list(Module.objects.exclude(status=Module.Status.ARCHIVED).order_by("slug"))
    modules = (Module.objects.filter(pk__in=[module.pk for module in modules]).select_related("topic")
               .prefetch_related("translations").order_by("slug"))
    files: dict[str, bytes] = {}
    for module in modules:
        for path, data in module_files(module).items():
            files[f"{module.slug}/{path}"] = data
    if include_diagnostic:
        diagnostic = Diagnostic.objects.filter(key="capacity").first()
        if diagnostic is not None:
            files["diagnostic.yaml"] = diagnostic_yaml(diagnostic).encode()
    return files


def content_export(root: Path, *, modules: list[Module] | None = None, include_diagnostic: bool = True) -> dict[str, list[str]]:
    """Write the files under `root`. In each exported module folder, files that are no longer
    part of the module (a lesson archived or renamed) are removed. Returns written/removed paths."""
    root = Path(root)
    files = content_files(modules=modules, include_diagnostic=include_diagnostic)
    written, removed, unchanged = [], [], []
    folders = {path.split("/", 1)[0] for path in files if "/" in path}
    for folder in sorted(folders):
        directory = root / folder
        if directory.is_dir():
            for existing in sorted(directory.rglob("*")):
                relative = existing.relative_to(root).as_posix()
                if existing.is_file() and not existing.name.startswith(".") and relative not in files:
                    existing.unlink()
                    removed.append(relative)
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.read_bytes() == data:
            unchanged.append(relative)
            continue
        target.write_bytes(data)
        written.append(relative)
    return {"written": written, "removed": removed, "unchanged": unchanged}
