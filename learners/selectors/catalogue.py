"""The catalogue, the module page and the lesson reader: plain data in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from core.db.prepared import PreparedQuery
from courses.models import Lesson, LessonTranslation, Module, Quiz
from courses.rendering import html_sections
from courses.selectors import TemplateItem, module_templates, translation_pick

from ..models import Certificate, Enrollment, LessonProgress
from ..permissions import module_is_readable
from .common import (
    ModuleText,
    Outline,
    done_lesson_ids,
    lesson_urls,
    module_outline,
    module_outlines,
    module_texts,
    outline_lesson_titles,
    resume_urls,
)

# Length filter: (lowest, highest) estimated minutes, inclusive.
LENGTHS = {"short": (0, 60), "medium": (61, 120), "long": (121, None)}


@dataclass
class ModuleCard:
    module: Module
    text: ModuleText
    topic_name: str
    languages: list[str]
    lessons_count: int
    enrollment: Enrollment | None = None
    resume_url: str = ""
    has_quiz: bool = False

    @property
    def slug(self) -> str:
        return self.module.slug

    @property
    def is_completed(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def is_active(self) -> bool:
        return bool(self.enrollment and self.enrollment.status == Enrollment.Status.ACTIVE)


def published_modules():
    return Module.objects.filter(status=Module.Status.PUBLISHED).select_related("topic")


def module_cards(*, modules: list[Module], user: User, language: str, enrolled: bool = True) -> list[ModuleCard]:
    """Cards for a list of modules with the learner's state: the modules' outlines (cached) and the
    learner's enrolments, one query whatever the number of modules."""
    ids = [m.pk for m in modules]
    texts = module_texts(modules, language)
    outlines = module_outlines(modules)
    languages = {pk: outline.languages for pk, outline in outlines.items()}
    counts = {pk: len(outline.lessons) for pk, outline in outlines.items()}
    enrollments = {}
    resumes = {}
    if user.is_authenticated and ids and enrolled:
        by_pk = {m.pk: m for m in modules}
        enrollments = {e.module_id: e for e in Enrollment.objects.filter(user=user, module_id__in=ids)}
        for enrollment in enrollments.values():
            enrollment.module = by_pk[enrollment.module_id]
        resumes = resume_urls(user=user, enrollments=list(enrollments.values()))
    return [ModuleCard(module=m, text=texts[m.pk], topic_name=m.topic.name_in(language), languages=languages[m.pk],
                       lessons_count=counts.get(m.pk, 0), enrollment=enrollments.get(m.pk), resume_url=resumes.get(m.pk, ""),
                       has_quiz=outlines[m.pk].has_quiz)
            for m in modules]


def catalogue_list(*, user: User, language: str, topic: str = "", level: int | None = None, available_language: str = "",
                   length: str = "") -> list[ModuleCard]:
    """Published modules, filtered by topic, level, length and a language they are complete in."""
    modules = published_modules()
    if topic:
        modules = modules.filter(topic__key=topic)
    if level:
        modules = modules.filter(level=level)
    if length in LENGTHS:
        low, high = LENGTHS[length]
        modules = modules.filter(estimated_minutes__gte=low)
        if high is not None:
            modules = modules.filter(estimated_minutes__lte=high)
    cards = module_cards(modules=list(modules), user=user, language=language)
    if available_language:
        cards = [card for card in cards if available_language in card.languages]
    # "Continue" first: the modules the learner has started, then those enrolled in, then the others, the completed
    # ones last (a stable sort: topic, level and slug order within each group).
    return sorted(cards, key=_card_rank)


def _card_rank(card: ModuleCard) -> int:
    if card.is_completed:
        return 3
    if card.is_active:
        return 0 if card.enrollment.is_started else 1
    return 2


# The reader's and "mark as done"'s first query, on every request: compiled once per process (core/db/prepared.py).
# A slug names one module: ordered by id, without the join the model's ordering would add.
_MODULE_BY_SLUG = {
    with_related: PreparedQuery(
        lambda slug, related=with_related: (Module.objects.select_related("topic", "intermediary") if related else Module.objects)
        .filter(slug=slug).order_by("pk")[:1], slug=str)
    for with_related in (True, False)
}
_ENROLLMENT_BY_MODULE_SLUG = {
    with_topic: PreparedQuery(
        lambda user_id, slug, related=("module__topic", "module__intermediary") if with_topic else ("module",):
        Enrollment.objects.select_related(*related).filter(user_id=user_id, module__slug=slug).order_by("pk")[:1],
        user_id=int, slug=str)
    for with_topic in (True, False)
}


def module_get_readable(*, user: User, slug: str, with_related: bool = True) -> Module:
    """The module a learner may read (published; authors and admins also see drafts), else 404. With its
    topic and organisation, unless `with_related=False` (a page that shows neither: a join and two models less)."""
    found = _MODULE_BY_SLUG[with_related](slug=slug)
    module = found[0] if found else None
    if module is None or not module_is_readable(user, module):
        raise Http404
    return module


def lesson_for_progress(*, module: Module, slug: str) -> Lesson:
    """A current lesson of the module by its slug, ready for the progress services (its module and
    whether the module has a quiz, from the outline): no query. 404 for an unknown or archived lesson."""
    outline = module_outline(module)
    for pk, lesson_slug, position in outline.lessons:
        if lesson_slug == slug:
            lesson = Lesson(pk=pk, module=module, slug=lesson_slug, position=position, is_archived=False)
            lesson.module_has_quiz = outline.has_quiz
            return lesson
    raise Http404


def module_and_enrollment(*, user: User, slug: str, with_topic: bool = True) -> tuple[Module, Enrollment | None]:
    """The readable module and the learner's enrolment in it: one query for an enrolled learner. The
    reader shows no topic (`with_topic=False`): it reads the module alone, a join and a model less."""
    if user.is_authenticated:
        found = _ENROLLMENT_BY_MODULE_SLUG[with_topic](user_id=user.pk, slug=slug)
        enrollment = found[0] if found else None
        if enrollment is not None:
            if not module_is_readable(user, enrollment.module):
                raise Http404
            return enrollment.module, enrollment
    return module_get_readable(user=user, slug=slug), None


@dataclass
class LessonItem:
    lesson_id: int
    slug: str
    position: int
    number: int
    title: str
    summary: str
    language: str
    is_fallback: bool
    languages: list[str]
    done: bool
    url: str
    is_current: bool = False


@dataclass
class Prerequisite:
    slug: str
    title: str
    done: bool


@dataclass
class ModulePage:
    module: Module
    text: ModuleText
    topic_name: str
    languages: list[str]
    lessons: list[LessonItem]
    prerequisites: list[Prerequisite]
    enrollment: Enrollment | None
    resume_url: str
    quiz: Quiz | None
    certificate: Certificate | None
    templates: list[TemplateItem] = field(default_factory=list)

    @property
    def first_lesson(self) -> LessonItem | None:
        return self.lessons[0] if self.lessons else None

    @property
    def is_active(self) -> bool:
        return bool(self.enrollment and self.enrollment.status == Enrollment.Status.ACTIVE)


def _lesson_items(*, module: Module, user: User, language: str, enrollment: Enrollment | None,
                  outline: Outline | None = None) -> list[LessonItem]:
    """The module's lessons with their titles (from the outline) and ticks (from the enrolment)."""
    outline = outline or module_outline(module)
    lessons = outline.lessons
    url = lesson_urls(module.slug)
    titles = outline_lesson_titles([pk for pk, _slug, _pos in lessons], outline.lesson_rows, language, module.source_language)
    done = set()
    if enrollment is not None:
        done = done_lesson_ids(user=user, enrollments=[enrollment])[module.pk]
    elif user.is_authenticated:
        done = set(LessonProgress.objects.filter(user=user, lesson__module=module, completed_at__isnull=False)
                   .values_list("lesson_id", flat=True))
    return [LessonItem(lesson_id=pk, slug=slug, position=position, number=number, title=titles[pk].title or slug,
                       summary=titles[pk].summary, language=titles[pk].language, is_fallback=titles[pk].is_fallback,
                       languages=titles[pk].languages,
                       done=pk in done, url=url(slug))
            for number, (pk, slug, position) in enumerate(lessons, start=1)]


def _first_unfinished_url(module: Module, lessons: list[LessonItem], enrollment: Enrollment | None, has_quiz: bool) -> str:
    unfinished = next((item for item in lessons if not item.done), None)
    if unfinished:
        return unfinished.url
    if has_quiz and not (enrollment and enrollment.quiz_passed):
        return reverse("learners:quiz", kwargs={"module": module.slug})
    return lessons[0].url if lessons else ""


def module_page(*, user: User, module: Module, language: str, enrollment: Enrollment | None) -> ModulePage:
    outline = module_outline(module)  # read once from the cache for the whole page
    lessons = _lesson_items(module=module, user=user, language=language, enrollment=enrollment, outline=outline)
    text = module_texts([module], language, outlines={module.pk: outline})[module.pk]
    prerequisites_modules = list(module.prerequisites.all())
    prerequisite_texts = module_texts(prerequisites_modules, language)
    completed = set()
    if user.is_authenticated and prerequisites_modules:
        completed = set(Enrollment.objects.filter(user=user, module__in=prerequisites_modules, completed_at__isnull=False)
                        .values_list("module_id", flat=True))
    quiz = Quiz.objects.filter(module=module).first() if outline.has_quiz else None
    certificate = None
    if enrollment and enrollment.completed_at:
        certificate = Certificate.objects.filter(user=user, module=module, revoked_at__isnull=True).first()
    return ModulePage(
        module=module, text=text, topic_name=module.topic.name_in(language), languages=outline.languages,
        lessons=lessons,
        prerequisites=[Prerequisite(m.slug, prerequisite_texts[m.pk].title, m.pk in completed) for m in prerequisites_modules],
        enrollment=enrollment, resume_url=_first_unfinished_url(module, lessons, enrollment, quiz is not None) if enrollment else "",
        quiz=quiz, certificate=certificate, templates=module_templates(module=module, language=language),
    )


@dataclass
class LessonText:
    language: str
    requested_language: str
    title: str
    summary: str
    body_html: str
    is_fallback: bool
    # The text was translated from an older version of the module's source language ("needs update").
    needs_update: bool = False
    source_language: str = ""


@dataclass
class LessonPage:
    module: Module
    module_text: ModuleText
    lesson: Lesson
    lessons: list[LessonItem]
    index: int
    text: LessonText
    second: LessonText | None
    languages: list[str]
    enrollment: Enrollment | None
    has_quiz: bool
    resume_url: str
    extra: dict = field(default_factory=dict)

    @property
    def previous(self) -> LessonItem | None:
        return self.lessons[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> LessonItem | None:
        return self.lessons[self.index + 1] if self.index + 1 < len(self.lessons) else None

    @property
    def current(self) -> LessonItem:
        return self.lessons[self.index]

    @property
    def is_first(self) -> bool:
        return self.index == 0

    @property
    def is_active(self) -> bool:
        return bool(self.enrollment and self.enrollment.status == Enrollment.Status.ACTIVE)

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.lessons)

    @property
    def section_pairs(self) -> list[tuple[str, str]]:
        """Side by side: the two languages' sections paired by position (translations keep the original's
        headings in order), one row each, so that a phone alternates the languages section by section. A
        section one language lacks is an empty cell."""
        if not self.second:
            return []
        return list(zip_longest(html_sections(self.text.body_html), html_sections(self.second.body_html), fillvalue=""))


def _lesson_text(rows: list[LessonTranslation], language: str, source_language: str) -> LessonText:
    written = [row for row in rows if row.body_html.strip()]
    row, is_fallback = translation_pick(written or rows, language, source_language)
    if row is None:
        return LessonText(language, language, "", "", "", True)
    source = next((r for r in rows if r.language == source_language and r.body_html.strip()), None)
    needs_update = bool(source and row.language != source_language and row.source_version < source.version)
    return LessonText(row.language, language, row.title, row.summary, row.body_html, is_fallback,
                      needs_update=needs_update, source_language=source_language)


_LESSON_TEXTS = PreparedQuery(  # the reader's lesson in every language, on every page: compiled once per process
    lambda lesson_id: LessonTranslation.objects.filter(lesson_id=lesson_id)
    .only("language", "title", "summary", "body_html", "version", "source_version"), lesson_id=int)


def lesson_page(*, user: User, module: Module, lesson_slug: str, language: str, enrollment: Enrollment | None,
                side_by_side: bool = False, second_language: str = "") -> LessonPage:
    """Everything the reader shows. The lesson's HTML was rendered and sanitised when it was saved.

    Side by side, the second column is `second_language` if the lesson has it, else another language
    the lesson is written in (None when it has only one)."""
    outline = module_outline(module)  # read once from the cache for the whole page
    lessons = _lesson_items(module=module, user=user, language=language, enrollment=enrollment, outline=outline)
    index = next((i for i, item in enumerate(lessons) if item.slug == lesson_slug), None)
    if index is None:
        raise Http404
    lessons[index].is_current = True
    item = lessons[index]
    # The lesson as the outline knows it (no query); with its module, so that recording a view reads neither.
    lesson = Lesson(pk=item.lesson_id, module=module, slug=item.slug, position=item.position, is_archived=False)
    lesson.module_has_quiz = outline.has_quiz
    rows = _LESSON_TEXTS(lesson_id=item.lesson_id)
    text = _lesson_text(rows, language, module.source_language)
    languages = lessons[index].languages
    second = None
    if side_by_side:
        requested = second_language
        if second_language not in languages or second_language == text.language:
            second_language = other_language(languages, text.language)
        if second_language:
            second = _lesson_text(rows, second_language, module.source_language)
            if requested and requested not in (second.language, text.language):
                # Never silent: the page says which language was asked for and which one is shown.
                second.requested_language, second.is_fallback = requested, True
    has_quiz = outline.has_quiz
    return LessonPage(
        module=module, module_text=module_texts([module], language, outlines={module.pk: outline})[module.pk], lesson=lesson,
        lessons=lessons, index=index,
        text=text, second=second, languages=languages, enrollment=enrollment, has_quiz=has_quiz,
        resume_url=_first_unfinished_url(module, lessons, enrollment, has_quiz) if enrollment else "",
    )


def other_language(languages: list[str], current: str) -> str:
    """The language offered by default beside `current` in the side-by-side view."""
    for code in (*settings.REQUIRED_CONTENT_LANGUAGES, *languages):
        if code != current and code in languages:
            return code
    return ""


def module_next_recommended(*, user: User, module: Module, language: str) -> ModuleCard | None:
    """After completing `module`: a module that builds on it, else one for a weak area of the latest
    self-diagnostic, else the next published module the learner has not completed."""
    from .diagnostic import weakest_area_module_ids

    completed = set(Enrollment.objects.filter(user=user, completed_at__isnull=False).values_list("module_id", flat=True))
    candidates = [m for m in published_modules().prefetch_related("prerequisites")
                  if m.pk != module.pk and m.pk not in completed]
    if not candidates:
        return None
    weak = weakest_area_module_ids(user=user)

    def rank(candidate: Module):
        builds_on = any(p.pk == module.pk for p in candidate.prerequisites.all())
        return (not builds_on, candidate.pk not in weak, candidate.topic_id != module.topic_id,
                candidate.topic.position, candidate.level, candidate.slug)

    best = min(candidates, key=rank)
    return module_cards(modules=[best], user=user, language=language)[0]
