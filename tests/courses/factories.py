"""Builders for the curriculum: modules made through the services, as a trainer would make them."""
from __future__ import annotations

from courses import services
from courses.models import Module
from tests.factories import UserFactory

LANGUAGES = ("fr", "zh-hans")


def question_payload(key: str = "q1", languages=LANGUAGES) -> dict:
    return {
        "key": key,
        "kind": "single",
        "texts": {code: {"text": f"Question {key} ({code})", "explanation": f"Explanation {key} ({code})"} for code in languages},
        "choices": [
            {"correct": True, "texts": {code: {"text": f"Right ({code})"} for code in languages}},
            {"correct": False, "texts": {code: {"text": f"Wrong ({code})"} for code in languages}},
        ],
    }


def module_build(*, slug: str = "demo-module", author=None, languages=LANGUAGES, lessons: int = 2, questions: int = 1,
                 topic: str = "finance", publish: bool = False) -> Module:
    """A module complete in `languages`, with `lessons` lessons and `questions` quiz questions."""
    author = author or UserFactory(is_trainer=True)
    module = services.module_create(slug=slug, topic=topic, user=author)
    for code in languages:
        services.module_translation_save(module=module, language=code, title=f"Module {slug} ({code})",
                                         summary=f"Summary ({code})", outcomes=[f"Outcome ({code})"], user=author)
    for number in range(1, lessons + 1):
        lesson = services.lesson_create(module=module, slug=f"lesson-{number}", user=author)
        for code in languages:
            services.lesson_translation_save(lesson=lesson, language=code, title=f"Lesson {number} ({code})",
                                             summary=f"Summary {number}", body_md=f"## Part\n\nText {number} in {code}.",
                                             user=author)
    if questions:
        quiz = services.quiz_get_or_create(module=module)
        for number in range(1, questions + 1):
            services.question_save(quiz=quiz, user=author, **question_payload(f"q{number}", languages))
    if publish:
        services.module_publish(module=module, user=author)
    module.refresh_from_db()
    return module
