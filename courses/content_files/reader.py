"""Read a content/ folder into plain data and find every problem in it, each with its file and line.

Nothing is written here: `import_content` applies the result only when there is no problem.
The format is described in docs/content-format.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..models import Lesson, Module, Topic
from ..services.authoring import RESERVED_MODULE_SLUGS, text_normalise_line, text_normalise_markdown, text_normalise_paragraph
from ..services.images import NAME_RE as IMAGE_NAME_RE
from ..services.images import image_inspect
from ..services.templates import FILE_NAME_RE as TEMPLATE_FILE_RE
from ..services.templates import FORMATS as TEMPLATE_FORMATS
from ..services.templates import template_inspect
from .yamlio import LineDict, LineList, YamlProblem, yaml_load_with_lines

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_RE = re.compile(rf"^{SLUG}$")
LESSON_FILE_RE = re.compile(rf"^(?P<number>\d\d)-(?P<slug>{SLUG})\.(?P<language>[a-z]+(?:-[a-z]+)?)\.md$")
# Markdown links and images, inline `[text](target)` and reference definitions `[id]: target`.
INLINE_TARGET_RE = re.compile(r"(?P<bang>!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<target>[^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)", re.MULTILINE)
LESSON_LINK_RE = re.compile(rf"^lesson:(?P<module>{SLUG})/(?P<lesson>{SLUG})(?:#[\w-]*)?$")
TEMPLATE_LINK_RE = re.compile(rf"^template:(?P<key>{SLUG})$")

MODULE_KEYS = ["topic", "level", "minutes", "source_language", "prerequisites", "title", "summary", "outcomes", "templates"]
TEMPLATE_KEYS = ["key", "title"]
LESSON_KEYS = ["title", "summary"]
QUIZ_KEYS = ["pass_mark", "reveal_answers", "questions"]
REVEAL_ANSWERS = ("after_pass", "always")
QUESTION_KEYS = ["key", "kind", "text", "explanation", "choices"]
CHOICE_KEYS = ["correct", "text", "feedback"]
DIAGNOSTIC_KEYS = ["scale", "areas"]
AREA_KEYS = ["key", "module", "title", "statements"]
STATEMENT_KEYS = ["key", "text"]
ROOT_FILES_IGNORED = {"README.md", "README", "LICENSE", "LICENSE.md"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class LessonFile:
    language: str
    title: str
    summary: str
    body: str
    path: str


@dataclass
class LessonPlan:
    number: int
    slug: str
    files: dict[str, LessonFile] = field(default_factory=dict)


@dataclass
class TemplatePlan:
    """A template declared in module.yaml, and its files in templates/ by language."""

    key: str
    titles: dict[str, str]
    line: int
    files: dict[str, Path] = field(default_factory=dict)


@dataclass
class QuizPlan:
    pass_mark: int
    questions: list[dict]
    path: str
    reveal_answers: str = "after_pass"


@dataclass
class ModulePlan:
    slug: str
    path: str
    topic: str = ""
    level: int = 1
    minutes: int = 60
    source_language: str = "fr"
    prerequisites: list[str] = field(default_factory=list)
    title: dict[str, str] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    lessons: list[LessonPlan] = field(default_factory=list)
    quiz: QuizPlan | None = None
    images: dict[str, Path] = field(default_factory=dict)
    templates: list[TemplatePlan] = field(default_factory=list)


@dataclass
class DiagnosticPlan:
    scale: dict[str, list[str]]
    areas: list[dict]
    path: str


@dataclass
class ContentPlan:
    root: Path
    modules: list[ModulePlan] = field(default_factory=list)
    diagnostic: DiagnosticPlan | None = None
    problems: list[Problem] = field(default_factory=list)


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.plan = ContentPlan(root=root)
        self.languages = list(settings.CONTENT_LANGUAGES)
        self.required = list(settings.REQUIRED_CONTENT_LANGUAGES)
        self.topics = set(Topic.objects.values_list("key", flat=True))

    # -- problems -----------------------------------------------------------------------------
    def problem(self, path: str, line: int, message: str) -> None:
        self.plan.problems.append(Problem(path, line or 1, message))

    def display(self, path: Path) -> str:
        return str(path)

    # -- YAML helpers -------------------------------------------------------------------------
    def load_yaml(self, path: Path, text: str | None = None, line_offset: int = 0):
        shown = self.display(path)
        if text is None:
            try:
                text = self.read_text(path)
            except ValueError:
                return None
        try:
            value, duplicates = yaml_load_with_lines(text, line_offset=line_offset)
        except YamlProblem as problem:
            self.problem(shown, problem.line, _("This is not valid YAML (%(error)s): check the indentation and quote texts "
                                                "that contain “: ” or start with a special character.")
                         % {"error": problem.message})
            return None
        for line, key in duplicates:
            self.problem(shown, line, _("“%(key)s” appears twice: keep only one.") % {"key": key})
        return value

    def read_text(self, path: Path) -> str:
        """Every file is read the same way: size checked before reading, UTF-8 with or without a BOM,
        an encoding error reported at its line."""
        size = path.stat().st_size
        limit = settings.ESSOR_CONTENT_MAX_FILE_BYTES
        if size > limit:
            self.problem(self.display(path), 1, _("This file is %(size)s: a content file may be at most %(limit)s. "
                                                  "Split it into smaller files.")
                         % {"size": filesizeformat(size), "limit": filesizeformat(limit)})
            raise ValueError(path)
        data = path.read_bytes()
        try:
            return data.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            self.problem(self.display(path), line, _("This file is not in UTF-8 (line %(line)d): save it again as UTF-8.")
                         % {"line": line})
            raise ValueError(path) from None

    def expect_mapping(self, path: str, value, line: int, what: str) -> bool:
        if not isinstance(value, LineDict):
            self.problem(path, getattr(value, "line", line), _("%(what)s must be a list of “key: value” lines.") % {"what": what})
            return False
        return True

    def unknown_keys(self, path: str, mapping: LineDict, allowed: list[str]) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(path, mapping.lines.get(key, mapping.line),
                             _("Unknown key “%(key)s”: the keys allowed here are %(allowed)s.")
                             % {"key": key, "allowed": ", ".join(allowed)})

    def required_key(self, path: str, mapping: LineDict, key: str) -> bool:
        if key not in mapping or mapping[key] is None:
            self.problem(path, mapping.lines.get(key, mapping.line), _("“%(key)s” is missing: add it.") % {"key": key})
            return False
        return True

    def texts(self, path: str, mapping: LineDict, key: str, *, required: bool = True, markdown: bool = False,
              paragraph: bool = False) -> dict[str, str]:
        """A per-language text: {fr: ..., zh-hans: ...}; the required languages must be there."""
        value = mapping.get(key)
        line = mapping.lines.get(key, mapping.line)
        if value is None:
            if required:
                self.problem(path, line, _("“%(key)s” is missing: add it in %(languages)s.")
                             % {"key": key, "languages": ", ".join(self.required)})
            return {}
        if not isinstance(value, LineDict):
            self.problem(path, line, _("“%(key)s” must give one text per language, for example “fr: …” and “zh-hans: …” on "
                                       "the lines below it.") % {"key": key})
            return {}
        result: dict[str, str] = {}
        for language, text in value.items():
            text_line = value.lines.get(language, line)
            if language not in self.languages:
                self.problem(path, text_line, _("Unknown language “%(language)s”: use one of %(languages)s.")
                             % {"language": language, "languages": ", ".join(self.languages)})
                continue
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str):
                self.problem(path, text_line, _("The %(language)s text of “%(key)s” must be a text: put it in quotes.")
                             % {"language": language, "key": key})
                continue
            if markdown:
                text = text_normalise_markdown(text)
            elif paragraph:
                text = text_normalise_paragraph(text)
            else:
                text = text_normalise_line(text)
            if not text:
                self.problem(path, text_line, _("The %(language)s text of “%(key)s” is empty: write it or remove the line.")
                             % {"language": language, "key": key})
                continue
            result[language] = text
        if required:
            for language in self.required:
                if language not in result and language not in value:
                    self.problem(path, line, _("“%(key)s” has no %(language)s text: add a “%(language)s:” line.")
                                 % {"key": key, "language": language})
        return result

    def slug(self, path: str, mapping: LineDict, key: str) -> str | None:
        value = mapping.get(key)
        line = mapping.lines.get(key, mapping.line)
        if not self.required_key(path, mapping, key):
            return None
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 80:
            self.problem(path, line, _("“%(value)s” is not a valid %(key)s: use lowercase letters without accents, digits "
                                       "and hyphens.") % {"value": value, "key": key})
            return None
        return value

    def integer(self, path: str, mapping: LineDict, key: str, low: int, high: int, default: int) -> int:
        if key not in mapping:
            return default
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(path, mapping.lines.get(key, mapping.line),
                         _("“%(key)s” must be a whole number from %(low)s to %(high)s.") % {"key": key, "low": low, "high": high})
            return default
        return value

    # -- the folder ---------------------------------------------------------------------------
    def read(self) -> ContentPlan:
        root = self.root
        if not root.is_dir():
            self.problem(self.display(root), 1, _("This folder does not exist: give the path of the content folder."))
            return self.plan
        folders = [entry for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith(".")]
        if len(folders) > settings.ESSOR_CONTENT_MAX_MODULES:
            self.problem(self.display(root), 1, _("This content folder holds %(count)d module folders; one import takes at most "
                                                  "%(limit)d. Import them from several folders.")
                         % {"count": len(folders), "limit": settings.ESSOR_CONTENT_MAX_MODULES})
            return self.plan
        for entry in sorted(root.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                self.read_module(entry)
            elif entry.name == "diagnostic.yaml":
                self.read_diagnostic(entry)
            elif entry.name not in ROOT_FILES_IGNORED:
                self.problem(self.display(entry), 1, _("Unexpected file: the content folder holds module folders and "
                                                       "diagnostic.yaml only. Move or remove this file."))
        self.check_links()
        return self.plan

    def read_module(self, folder: Path) -> None:
        shown = self.display(folder)
        if not SLUG_RE.match(folder.name) or len(folder.name) > 80:
            self.problem(shown, 1, _("The folder name is the module's short name: use lowercase letters without accents, "
                                     "digits and hyphens."))
            return
        if folder.name in RESERVED_MODULE_SLUGS:
            self.problem(shown, 1, _("“%(slug)s” is reserved by the site: rename the folder.") % {"slug": folder.name})
            return
        count = sum(1 for _entry in folder.iterdir()) + (sum(1 for _i in (folder / "images").iterdir())
                                                          if (folder / "images").is_dir() else 0)
        if count > settings.ESSOR_CONTENT_MAX_FILES_PER_MODULE:
            self.problem(shown, 1, _("This module folder holds %(count)d files: at most %(limit)d files per module "
                                     "(lessons, quiz and images). Split the module.")
                         % {"count": count, "limit": settings.ESSOR_CONTENT_MAX_FILES_PER_MODULE})
            return
        module = ModulePlan(slug=folder.name, path=shown)
        self.plan.modules.append(module)
        module_file = folder / "module.yaml"
        if not module_file.exists():
            self.problem(shown, 1, _("module.yaml is missing: every module folder starts with one."))
        else:
            self.read_module_yaml(module, module_file)
        lessons: dict[int, LessonPlan] = {}
        slugs: dict[str, int] = {}
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name == "module.yaml":
                continue
            if entry.name == "quiz.yaml":
                self.read_quiz(module, entry)
            elif entry.name == "images" and entry.is_dir():
                self.read_images(module, entry)
            elif entry.name == "templates" and entry.is_dir():
                self.read_templates(module, entry)
            elif entry.is_file() and LESSON_FILE_RE.match(entry.name):
                self.read_lesson(module, entry, lessons, slugs)
            else:
                self.problem(self.display(entry), 1, _("Unexpected file: lesson files are named NN-<lesson-slug>.<language>.md "
                                                       "(for example 01-annual-budget.fr.md). Rename or remove it."))
        module.lessons = [lessons[number] for number in sorted(lessons)]
        self.check_templates(module)
        for lesson in module.lessons:
            if not lesson.files:
                continue  # its file could not be read: already reported
            first = lesson.files.get(module.source_language) or next(iter(lesson.files.values()))
            for language in self.required:
                if language not in lesson.files:
                    self.problem(first.path, 1, _("Lesson %(number)02d “%(slug)s” has no %(language)s file: add "
                                                  "%(number)02d-%(slug)s.%(language)s.md.")
                                 % {"number": lesson.number, "slug": lesson.slug, "language": language})
            if module.source_language not in lesson.files and module.source_language not in self.required:
                self.problem(first.path, 1, _("Lesson %(number)02d “%(slug)s” has no file in the module's source language "
                                              "(%(language)s): add it.")
                             % {"number": lesson.number, "slug": lesson.slug, "language": module.source_language})

    def read_module_yaml(self, module: ModulePlan, path: Path) -> None:
        shown = self.display(path)
        before = len(self.plan.problems)
        data = self.load_yaml(path)
        if data is None:
            if len(self.plan.problems) == before:
                self.problem(shown, 1, _("module.yaml is empty: give the module's topic, title and summary."))
            return
        if not self.expect_mapping(shown, data, 1, "module.yaml"):
            return
        self.unknown_keys(shown, data, MODULE_KEYS)
        if self.required_key(shown, data, "topic"):
            if data["topic"] not in self.topics:
                self.problem(shown, data.lines["topic"], _("Unknown topic “%(topic)s”: use one of %(topics)s.")
                             % {"topic": data["topic"], "topics": ", ".join(sorted(self.topics))})
            else:
                module.topic = data["topic"]
        module.level = self.integer(shown, data, "level", 1, 3, 1)
        module.minutes = self.integer(shown, data, "minutes", 1, 10000, 60)
        source = data.get("source_language", "fr")
        if source not in self.languages:
            self.problem(shown, data.lines.get("source_language", 1), _("Unknown language “%(language)s”: use one of "
                                                                        "%(languages)s.")
                         % {"language": source, "languages": ", ".join(self.languages)})
        else:
            module.source_language = source
        prerequisites = data.get("prerequisites") or []
        if not isinstance(prerequisites, list):
            self.problem(shown, data.lines.get("prerequisites", 1), _("“prerequisites” must be a list of module short names."))
            prerequisites = []
        module.prerequisites = []
        for index, slug in enumerate(prerequisites):
            line = prerequisites.lines[index] if isinstance(prerequisites, LineList) else data.lines.get("prerequisites", 1)
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                self.problem(shown, line, _("“%(value)s” is not a module short name.") % {"value": slug})
            elif slug == module.slug:
                self.problem(shown, line, _("A module cannot be its own prerequisite: remove it from the list."))
            else:
                module.prerequisites.append(slug)
                self.pending_prerequisites.append((shown, line, slug))
        module.title = self.texts(shown, data, "title")
        module.summary = self.texts(shown, data, "summary", paragraph=True)
        if module.source_language not in module.title and module.title:
            self.problem(shown, data.lines.get("title", 1), _("The title has no text in the module's source language "
                                                              "(%(language)s): add it.") % {"language": module.source_language})
        outcomes = data.get("outcomes")
        if outcomes is not None:
            if not isinstance(outcomes, LineDict):
                self.problem(shown, data.lines.get("outcomes", 1), _("“outcomes” must give a list per language."))
            else:
                for language, items in outcomes.items():
                    line = outcomes.lines.get(language, 1)
                    if language not in self.languages:
                        self.problem(shown, line, _("Unknown language “%(language)s”: use one of %(languages)s.")
                                     % {"language": language, "languages": ", ".join(self.languages)})
                    elif not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
                        self.problem(shown, line, _("The %(language)s outcomes must be a list of sentences, one per “- ” line.")
                                     % {"language": language})
                    else:
                        module.outcomes[language] = [text_normalise_line(item) for item in items]
        for language in sorted((set(module.summary) | set(module.outcomes)) - set(module.title)):
            self.problem(shown, data.lines.get("title", 1), _("The module has a summary or outcomes in %(language)s but no "
                                                              "title in %(language)s: add the title.") % {"language": language})
        self.read_template_list(module, shown, data)

    # -- templates ------------------------------------------------------------------------------
    def read_template_list(self, module: ModulePlan, shown: str, data: LineDict) -> None:
        """module.yaml's `templates`: a list of {key, title per language} (the files are in templates/)."""
        items = data.get("templates")
        if items is None:
            return
        line = data.lines.get("templates", 1)
        if not isinstance(items, LineList):
            self.problem(shown, line, _("“templates” must be a list: one “- key: …” item per template, with its title per "
                                        "language."))
            return
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            item_line = items.lines[index]
            if not self.expect_mapping(shown, item, item_line, _("A template")):
                continue
            self.unknown_keys(shown, item, TEMPLATE_KEYS)
            key = self.slug(shown, item, "key")
            titles = self.texts(shown, item, "title", required=False)
            if "title" not in item:
                self.problem(shown, item_line, _("The template “%(key)s” has no title: add “title:” with one line per "
                                                 "language.") % {"key": key})
            for language, title in titles.items():
                if len(title) > 200:
                    self.problem(shown, item.lines.get("title", item_line), _("Shorten the %(language)s title to 200 "
                                                                              "characters at most.") % {"language": language})
            if key is None:
                continue
            if key in seen:
                self.problem(shown, item.lines["key"], _("The template “%(key)s” is already declared on line %(line)s: "
                                                         "declare each template once.") % {"key": key, "line": seen[key]})
                continue
            seen[key] = item.lines["key"]
            module.templates.append(TemplatePlan(key=key, titles=titles, line=item.lines["key"]))

    def read_templates(self, module: ModulePlan, folder: Path) -> None:
        entries = [entry for entry in sorted(folder.iterdir()) if not entry.name.startswith(".")]
        limit = settings.ESSOR_TEMPLATE_MAX_FILES
        if len(entries) > limit:
            self.problem(self.display(folder), 1, _("This templates folder holds %(count)d files: a module may have at most "
                                                    "%(limit)d template files. Remove the ones no lesson needs.")
                         % {"count": len(entries), "limit": limit})
            return
        declared = {template.key: template for template in module.templates}
        for entry in entries:
            shown = self.display(entry)
            match = TEMPLATE_FILE_RE.match(entry.name)
            if not entry.is_file() or not match or match["format"] not in TEMPLATE_FORMATS:
                self.problem(shown, 1, _("Rename this template: template files are named <key>.<language>.<format> with "
                                         "the format xlsx, ods, docx or odt (for example annual-budget.fr.xlsx)."))
                continue
            key, language = match["key"], match["language"]
            if language not in self.languages:
                self.problem(shown, 1, _("Unknown language “%(language)s” in the file name: use one of %(languages)s.")
                             % {"language": language, "languages": ", ".join(self.languages)})
                continue
            template = declared.get(key)
            if template is None:
                self.problem(shown, 1, _("The template “%(key)s” is not declared in module.yaml: add it to “templates” "
                                         "with its title, or rename the file.") % {"key": key})
                continue
            if language in template.files:
                self.problem(shown, 1, _("The template “%(key)s” has two %(language)s files: keep only one.")
                             % {"key": key, "language": language})
                continue
            size = entry.stat().st_size
            if size > settings.ESSOR_TEMPLATE_MAX_BYTES:
                self.problem(shown, 1, _("This template is %(size)s: a template may be at most %(limit)s. Remove images or "
                                         "unused sheets and save it again.")
                             % {"size": filesizeformat(size), "limit": filesizeformat(settings.ESSOR_TEMPLATE_MAX_BYTES)})
                continue
            try:
                template_inspect(entry.read_bytes(), match["format"])
            except ValidationError as error:
                self.problem(shown, 1, " ".join(error.messages))
                continue
            template.files[language] = entry

    def check_templates(self, module: ModulePlan) -> None:
        path = f"{module.path}/module.yaml"
        for template in module.templates:
            if not template.files:
                self.problem(path, template.line, _("The template “%(key)s” has no file: add templates/%(key)s.<language>."
                                                    "<format> (for example %(key)s.fr.xlsx), or remove it from the list.")
                             % {"key": template.key})
                continue
            for language in template.files:
                if language not in template.titles:
                    self.problem(path, template.line, _("The template “%(key)s” has a %(language)s file but no %(language)s "
                                                        "title: add it.") % {"key": template.key, "language": language})
            for language in template.titles:
                if language not in template.files:
                    self.problem(path, template.line, _("The template “%(key)s” has a %(language)s title but no %(language)s "
                                                        "file: add templates/%(key)s.%(language)s.<format>, or remove the title.")
                                 % {"key": template.key, "language": language})

    def read_lesson(self, module: ModulePlan, path: Path, lessons: dict[int, LessonPlan], slugs: dict[str, int]) -> None:
        shown = self.display(path)
        match = LESSON_FILE_RE.match(path.name)
        number, slug, language = int(match["number"]), match["slug"], match["language"]
        if language not in self.languages:
            self.problem(shown, 1, _("Unknown language “%(language)s” in the file name: use one of %(languages)s.")
                         % {"language": language, "languages": ", ".join(self.languages)})
            return
        if number == 0:
            self.problem(shown, 1, _("Lesson numbers start at 01: rename the file."))
            return
        lesson = lessons.get(number)
        if lesson is not None and lesson.slug != slug:
            self.problem(shown, 1, _("Two lessons have the number %(number)02d (“%(first)s” and “%(second)s”): give each "
                                     "lesson its own number.") % {"number": number, "first": lesson.slug, "second": slug})
            return
        if slugs.get(slug, number) != number:
            self.problem(shown, 1, _("The lesson “%(slug)s” has files with two numbers (%(first)02d and %(second)02d): use "
                                     "the same number in every language.") % {"slug": slug, "first": slugs[slug], "second": number})
            return
        slugs[slug] = number
        if lesson is None:
            lesson = lessons[number] = LessonPlan(number=number, slug=slug)
        try:
            text = self.read_text(path)
        except ValueError:
            return
        if not text.startswith("---\n"):
            self.problem(shown, 1, _("A lesson file starts with a “---” line, then its title and summary, then another “---” "
                                     "line, then the text."))
            return
        lines = text.split("\n")
        try:
            end = lines.index("---", 1)
        except ValueError:
            self.problem(shown, 1, _("The front matter is not closed: add a “---” line after the title and summary."))
            return
        front = self.load_yaml(path, "\n".join(lines[1:end]) + "\n", line_offset=1)
        if front is None:
            if not any(problem.path == shown for problem in self.plan.problems):
                self.problem(shown, 2, _("The front matter is empty: give the lesson's title and summary."))
            return
        if not self.expect_mapping(shown, front, 2, _("The front matter")):
            return
        self.unknown_keys(shown, front, LESSON_KEYS)
        values = {}
        for key in LESSON_KEYS:
            value = front.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                self.problem(shown, front.lines.get(key, 2), _("The lesson's “%(key)s” is missing or empty: write it in the "
                                                               "front matter.") % {"key": key})
                return
            values[key] = value
        title = text_normalise_line(values["title"])
        if len(title) > 200:
            self.problem(shown, front.lines["title"], _("Shorten the title to 200 characters at most."))
        body = text_normalise_markdown("\n".join(lines[end + 1:]))
        lesson.files[language] = LessonFile(language=language, title=title, summary=text_normalise_paragraph(values["summary"]),
                                            body=body, path=shown)
        self.pending_bodies.append((module, shown, end + 2, "\n".join(lines[end + 1:])))

    def read_quiz(self, module: ModulePlan, path: Path) -> None:
        shown = self.display(path)
        data = self.load_yaml(path)
        if data is None:
            return
        if not self.expect_mapping(shown, data, 1, "quiz.yaml"):
            return
        self.unknown_keys(shown, data, QUIZ_KEYS)
        pass_mark = self.integer(shown, data, "pass_mark", 1, 100, 70)
        reveal_answers = data.get("reveal_answers", REVEAL_ANSWERS[0])
        if reveal_answers not in REVEAL_ANSWERS:
            self.problem(shown, data.lines.get("reveal_answers", 1),
                         _("“reveal_answers” must be “after_pass” (the right answers are shown once the learner passes) "
                           "or “always” (after every attempt)."))
            reveal_answers = REVEAL_ANSWERS[0]
        questions = data.get("questions")
        if not isinstance(questions, LineList) or not questions:
            self.problem(shown, data.lines.get("questions", 1), _("“questions” must be a list with at least one question."))
            return
        keys: dict[str, int] = {}
        result = []
        for index, item in enumerate(questions):
            line = questions.lines[index]
            if not self.expect_mapping(shown, item, line, _("A question")):
                continue
            self.unknown_keys(shown, item, QUESTION_KEYS)
            key = self.slug(shown, item, "key")
            if key is not None:
                if key in keys:
                    self.problem(shown, item.lines["key"], _("The question key “%(key)s” is already used on line %(line)s: "
                                                             "give each question its own key.") % {"key": key, "line": keys[key]})
                keys[key] = item.lines["key"]
            kind = item.get("kind", "single")
            if kind not in ("single", "multiple"):
                self.problem(shown, item.lines.get("kind", line), _("“kind” is single or multiple."))
            texts = self.texts(shown, item, "text", markdown=True)
            explanations = self.texts(shown, item, "explanation", markdown=True)
            choices = item.get("choices")
            if not isinstance(choices, LineList) or len(choices) < 2:
                self.problem(shown, item.lines.get("choices", line), _("A question needs a list of at least two choices."))
                continue
            parsed_choices = []
            for cindex, choice in enumerate(choices):
                cline = choices.lines[cindex]
                if not self.expect_mapping(shown, choice, cline, _("A choice")):
                    continue
                self.unknown_keys(shown, choice, CHOICE_KEYS)
                correct = choice.get("correct")
                if not isinstance(correct, bool):
                    self.problem(shown, choice.lines.get("correct", cline), _("Each choice says “correct: true” or "
                                                                              "“correct: false”."))
                    correct = False
                ctexts = self.texts(shown, choice, "text", markdown=True)
                feedback = self.texts(shown, choice, "feedback", required=False, markdown=True)
                for language in feedback:
                    if language not in ctexts:
                        self.problem(shown, choice.lines.get("feedback", cline), _("This choice has %(language)s feedback but "
                                                                                   "no %(language)s text: add the text.")
                                     % {"language": language})
                parsed_choices.append({"correct": correct, "texts": {
                    language: {"text": ctexts.get(language, ""), "feedback": feedback.get(language, "")}
                    for language in self.languages if language in ctexts or language in feedback}})
            correct_count = sum(1 for choice in parsed_choices if choice["correct"])
            if correct_count == 0:
                self.problem(shown, line, _("The question “%(key)s” has no correct answer: mark one choice “correct: true”.")
                             % {"key": key})
            elif kind == "single" and correct_count != 1:
                self.problem(shown, line, _("The single-choice question “%(key)s” has %(count)s correct choices: mark exactly "
                                            "one, or make it “kind: multiple”.") % {"key": key, "count": correct_count})
            languages = set(texts) | {language for choice in parsed_choices for language in choice["texts"]}
            for language in sorted(languages):
                if language not in texts:
                    self.problem(shown, item.lines.get("text", line), _("The question “%(key)s” has choices in %(language)s "
                                                                        "but no %(language)s text: add it.")
                                 % {"key": key, "language": language})
                for choice_index, choice in enumerate(parsed_choices):
                    if language in self.required:
                        continue  # already reported by the check of required languages
                    if language in texts and not choice["texts"].get(language, {}).get("text"):
                        self.problem(shown, choices.lines[choice_index], _("This choice has no %(language)s text, but the "
                                                                           "question has one: add it.")
                                     % {"language": language})
            for language in explanations:
                if language not in texts:
                    self.problem(shown, item.lines.get("explanation", line), _("The question “%(key)s” has a %(language)s "
                                                                               "explanation but no %(language)s text: add it.")
                                 % {"key": key, "language": language})
            if module.source_language not in texts and module.source_language not in self.required:
                self.problem(shown, item.lines.get("text", line), _("The question “%(key)s” has no text in the module's "
                                                                    "source language (%(language)s): add it.")
                             % {"key": key, "language": module.source_language})
            result.append({
                "key": key, "kind": kind,
                "texts": {language: {"text": texts.get(language, ""), "explanation": explanations.get(language, "")}
                          for language in self.languages if language in texts or language in explanations},
                "choices": parsed_choices,
            })
        module.quiz = QuizPlan(pass_mark=pass_mark, questions=result, path=shown, reveal_answers=reveal_answers)

    def read_images(self, module: ModulePlan, folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                continue
            shown = self.display(entry)
            if not entry.is_file() or not IMAGE_NAME_RE.match(entry.name):
                self.problem(shown, 1, _("Rename this image: use lowercase letters, digits, dots and hyphens, with a .png, "
                                         ".jpg, .gif or .webp extension."))
                continue
            try:
                image_inspect(entry.read_bytes())
            except ValidationError as error:
                self.problem(shown, 1, " ".join(error.messages))
                continue
            module.images[entry.name] = entry

    def read_diagnostic(self, path: Path) -> None:
        shown = self.display(path)
        data = self.load_yaml(path)
        if data is None or not self.expect_mapping(shown, data, 1, "diagnostic.yaml"):
            return
        self.unknown_keys(shown, data, DIAGNOSTIC_KEYS)
        scale = data.get("scale")
        parsed_scale: dict[str, list[str]] = {}
        if not isinstance(scale, LineDict):
            self.problem(shown, data.lines.get("scale", 1), _("“scale” must give, per language, the list of the four answers."))
        else:
            for language, items in scale.items():
                line = scale.lines.get(language, 1)
                if language not in self.languages:
                    self.problem(shown, line, _("Unknown language “%(language)s”: use one of %(languages)s.")
                                 % {"language": language, "languages": ", ".join(self.languages)})
                elif not isinstance(items, list) or len(items) != 4 or not all(isinstance(i, str) and i.strip() for i in items):
                    self.problem(shown, line, _("The %(language)s scale must list exactly four answers.") % {"language": language})
                else:
                    parsed_scale[language] = [text_normalise_line(item) for item in items]
            for language in self.required:
                if language not in scale:
                    self.problem(shown, scale.line, _("The scale has no %(language)s answers: add them.") % {"language": language})
        areas = data.get("areas")
        parsed_areas = []
        if not isinstance(areas, LineList) or not areas:
            self.problem(shown, data.lines.get("areas", 1), _("“areas” must be a list with at least one area."))
            areas = []
        area_keys: set[str] = set()
        statement_keys: set[str] = set()
        for index, area in enumerate(areas):
            line = areas.lines[index]
            if not self.expect_mapping(shown, area, line, _("An area")):
                continue
            self.unknown_keys(shown, area, AREA_KEYS)
            key = self.slug(shown, area, "key")
            if key in area_keys:
                self.problem(shown, area.lines["key"], _("The area “%(key)s” appears twice: keep only one.") % {"key": key})
            area_keys.add(key)
            module_slug = area.get("module")
            if module_slug is not None:
                if not isinstance(module_slug, str) or not SLUG_RE.match(module_slug):
                    self.problem(shown, area.lines["module"], _("“module” is the short name of a module."))
                    module_slug = None
                else:
                    self.pending_prerequisites.append((shown, area.lines["module"], module_slug))
            title = self.texts(shown, area, "title")
            statements = area.get("statements")
            parsed_statements = []
            if not isinstance(statements, LineList) or not statements:
                self.problem(shown, area.lines.get("statements", line), _("An area needs a list of statements."))
                statements = []
            for sindex, statement in enumerate(statements):
                sline = statements.lines[sindex]
                if not self.expect_mapping(shown, statement, sline, _("A statement")):
                    continue
                self.unknown_keys(shown, statement, STATEMENT_KEYS)
                skey = self.slug(shown, statement, "key")
                if skey in statement_keys:
                    self.problem(shown, statement.lines["key"], _("The statement key “%(key)s” is already used: give each "
                                                                  "statement its own key.") % {"key": skey})
                statement_keys.add(skey)
                parsed_statements.append({"key": skey, "text": self.texts(shown, statement, "text")})
            parsed_areas.append({"key": key, "module": module_slug, "title": title, "statements": parsed_statements})
        self.plan.diagnostic = DiagnosticPlan(scale=parsed_scale, areas=parsed_areas, path=shown)

    # -- links between files --------------------------------------------------------------------
    def check_links(self) -> None:
        plan_modules = {module.slug: module for module in self.plan.modules}
        known_modules = set(plan_modules) | set(Module.objects.exclude(slug__in=plan_modules).values_list("slug", flat=True))
        for path, line, slug in self.pending_prerequisites:
            if slug not in known_modules:
                self.problem(path, line, _("There is no module “%(slug)s”: check the short name, or add that module.")
                             % {"slug": slug})
        lessons = {(module.slug, lesson.slug) for module in self.plan.modules for lesson in module.lessons}
        lessons |= set(Lesson.objects.filter(is_archived=False).exclude(module__slug__in=plan_modules).values_list(
            "module__slug", "slug"))
        for module, path, first_line, body in self.pending_bodies:
            for line_number, target, is_image in _targets(body):
                line = first_line + line_number
                if is_image:
                    if target.startswith("images/"):
                        if target[len("images/"):] not in module.images:
                            self.problem(path, line, _("The image “%(target)s” is not in the module's images folder: add "
                                                       "the file or fix the name.") % {"target": target})
                    elif not target.lower().startswith("https://"):
                        self.problem(path, line, _("Images come from the module's images folder (images/<name>) or from an "
                                                   "https:// address: “%(target)s” would not be shown.") % {"target": target})
                elif target.lower().startswith("lesson:"):
                    match = LESSON_LINK_RE.match(target)
                    if not match:
                        self.problem(path, line, _("“%(target)s” is not a lesson link: write lesson:<module-slug>/<lesson-slug>.")
                                     % {"target": target})
                    elif (match["module"], match["lesson"]) not in lessons:
                        self.problem(path, line, _("The link “%(target)s” points to a lesson that does not exist: check the "
                                                   "module and lesson short names.") % {"target": target})
                elif target.lower().startswith("template:"):
                    match = TEMPLATE_LINK_RE.match(target)
                    if not match:
                        self.problem(path, line, _("“%(target)s” is not a template link: write template:<template-key>.")
                                     % {"target": target})
                    elif not any(template.key == match["key"] and template.files for template in module.templates):
                        self.problem(path, line, _("The link “%(target)s” points to a template this module does not have: "
                                                   "declare it in module.yaml and add its file to templates/.")
                                     % {"target": target})

    pending_prerequisites: list
    pending_bodies: list


def _targets(body: str):
    """(line index in body, target, is image) for every link and image of a Markdown text."""
    in_fence = False
    for index, line in enumerate(body.split("\n")):
        stripped = line.lstrip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in INLINE_TARGET_RE.finditer(line):
            yield index, match["target"], bool(match["bang"])
        for match in REFERENCE_RE.finditer(line):
            yield index, match["target"], False


def content_read(root: Path) -> ContentPlan:
    """Read and check a content folder. `plan.problems` lists everything wrong, file and line."""
    reader = _Reader(Path(root))
    reader.pending_prerequisites = []
    reader.pending_bodies = []
    return reader.read()
