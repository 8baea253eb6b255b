"""What a phone downloads to take a module offline: the pages (module, lessons in the enrolment's language
and side by side if asked, quiz), their images and the site's CSS/JS, each with its size in bytes and, for a
lesson, a version that changes when one of its texts changes (docs/offline.md)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse

from accounts.models import User
from courses.models import LessonImage, LessonTranslation, Module, QuestionTranslation

from ..models import Enrollment
from .common import lesson_url, module_outline

# Static files every learner page loads (templates/base.html, learners/includes/head.html) and the app's
# icons. The phone also fetches any other same-origin file the downloaded pages name (static/js/offline.js).
OFFLINE_STATIC = [
    "css/essor.css", "search/search.css", "learners/learners.css", "js/essor.js", "js/offline.js",
    "img/favicon.svg", "img/icon-192.png",
]
# What the frame of a page (header, navigation, footer, forms) adds to the text it shows, in bytes: an
# estimate for the size shown before the download; the phone then records what it really stored.
PAGE_FRAME_BYTES = 7000
IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass
class OfflineEntry:
    url: str
    kind: str  # module, lesson, lesson-side-by-side, quiz, image, static, page
    bytes: int
    lesson: int | None = None
    version: str = ""


@dataclass
class OfflinePackage:
    module: str
    language: str
    second_language: str
    version: str
    lessons: list[int]
    entries: list[OfflineEntry] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(entry.bytes for entry in self.entries)


def _static_size(name: str) -> int:
    path = finders.find(name)
    return Path(path).stat().st_size if path else 0


def _stamp(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def offline_enrollment_get(*, user: User, slug: str) -> Enrollment:
    """The learner's active enrolment in a published module, else 404: only enrolled learners download."""
    enrollment = (Enrollment.objects.select_related("module").filter(
        user=user, module__slug=slug, status=Enrollment.Status.ACTIVE, module__status=Module.Status.PUBLISHED).first()
        if user.is_authenticated else None)
    if enrollment is None:
        raise Http404
    return enrollment


def offline_package(*, user: User, slug: str, second_language: str = "") -> OfflinePackage:
    """The offline package of a module for an enrolled learner (404 for anyone else). Four queries."""
    enrollment = offline_enrollment_get(user=user, slug=slug)
    module = enrollment.module
    language = enrollment.content_language
    if second_language not in settings.CONTENT_LANGUAGES or second_language == language:
        second_language = ""
    outline = module_outline(module)
    lesson_ids = [pk for pk, _slug, _position in outline.lessons]
    texts: dict[int, list[tuple]] = {}
    sizes: dict[int, dict[str, int]] = {}
    images: set[str] = set()
    for lesson_id, code, version, updated_at, title, body in LessonTranslation.objects.filter(lesson_id__in=lesson_ids).values_list(
            "lesson_id", "language", "version", "updated_at", "title", "body_html").order_by("lesson_id", "language"):
        # Any text of the lesson that changes gives it a new version (a fallback page may show any language).
        texts.setdefault(lesson_id, []).append((code, version, updated_at.timestamp() if updated_at else 0))
        sizes.setdefault(lesson_id, {})[code] = len(title.encode()) + len(body.encode())
        if code in (language, second_language):
            images.update(IMG_SRC.findall(body))
    package = OfflinePackage(module=module.slug, language=language, second_language=second_language, version="", lessons=lesson_ids)
    entries = package.entries
    entries.append(OfflineEntry(reverse("learners:module-detail", args=[module.slug]), "module", PAGE_FRAME_BYTES + 2000,
                                version=_stamp(module.updated_at.timestamp() if module.updated_at else 0, module.version)))
    for lesson_id, lesson_slug, _position in outline.lessons:
        version = _stamp(lesson_id, texts.get(lesson_id, []))
        own = sizes.get(lesson_id, {})
        first = own.get(language) or max(own.values(), default=0)
        url = lesson_url(module.slug, lesson_slug)
        entries.append(OfflineEntry(url, "lesson", PAGE_FRAME_BYTES + first, lesson=lesson_id, version=version))
        if second_language:
            both = first + (own.get(second_language) or first)
            entries.append(OfflineEntry(f"{url}?{urlencode({'view': 'side-by-side', 'with': second_language})}", "lesson-side-by-side",
                                        PAGE_FRAME_BYTES + both, lesson=lesson_id, version=version))
    if outline.has_quiz:
        questions = list(QuestionTranslation.objects.filter(question__quiz__module=module, question__is_archived=False)
                         .values_list("language", "version", "text_html"))
        quiz_bytes = sum(len(text.encode()) for code, _v, text in questions if code == language) * 2  # questions and choices
        entries.append(OfflineEntry(reverse("learners:quiz", args=[module.slug]), "quiz", PAGE_FRAME_BYTES + quiz_bytes,
                                    version=_stamp(sorted((code, version) for code, version, _t in questions))))
    files = {image.image.url: image.image for image in LessonImage.objects.filter(module=module)}
    for src in sorted(images):
        stored = files.get(src)
        if stored is not None:
            try:
                entries.append(OfflineEntry(src, "image", stored.size))
            except OSError:  # the file is missing on disk: nothing to download
                continue
    entries.append(OfflineEntry(reverse("learners:offline"), "page", PAGE_FRAME_BYTES))
    for name in OFFLINE_STATIC:
        size = _static_size(name)
        try:
            url = static(name)
        except ValueError:  # not collected (no manifest entry): the page links it under another name, if at all
            continue
        if size:
            entries.append(OfflineEntry(url, "static", size))
    package.version = _stamp(language, second_language, [(entry.url, entry.version) for entry in entries])
    return package
