"""Factories for curriculum objects as learners meet them (published modules with lessons and a quiz)."""
import factory
from django.utils import timezone

from courses.models import (
    Choice,
    ChoiceTranslation,
    Diagnostic,
    DiagnosticArea,
    DiagnosticStatement,
    Lesson,
    LessonTranslation,
    Module,
    ModuleTranslation,
    Question,
    QuestionTranslation,
    Quiz,
    Topic,
)


def topic(key: str = "finance") -> Topic:
    return Topic.objects.get_or_create(key=key, defaults={"names": {"fr": key.title(), "zh-hans": key, "en": key.title()}})[0]


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    slug = factory.Sequence(lambda n: f"module-{n}")
    topic = factory.LazyFunction(topic)
    status = Module.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    position = factory.Sequence(lambda n: n + 1)


def module_with_lessons(*, lessons: int = 3, languages=("fr", "zh-hans"), questions: int = 2, slug: str | None = None,
                        status=Module.Status.PUBLISHED, topic_key: str = "finance") -> Module:
    """A module with translated lessons and a quiz whose first choice of each question is correct."""
    module = ModuleFactory(**({"slug": slug} if slug else {}), status=status, topic=topic(topic_key))
    for language in languages:
        ModuleTranslation.objects.create(module=module, language=language, title=f"{module.slug} title {language}",
                                         summary=f"summary {language}", outcomes=[f"outcome {language}"])
    for position in range(1, lessons + 1):
        lesson = Lesson.objects.create(module=module, slug=f"lesson-{position}", position=position)
        for language in languages:
            LessonTranslation.objects.create(lesson=lesson, language=language, title=f"Lesson {position} {language}",
                                             summary="s", body_md=f"Text {position} {language}",
                                             body_html=f"<p>Text {position} {language}</p>")
    if questions:
        quiz = Quiz.objects.create(module=module, pass_mark=70)
        for position in range(1, questions + 1):
            question = Question.objects.create(quiz=quiz, key=f"q{position}", position=position, kind="single")
            for language in languages:
                QuestionTranslation.objects.create(question=question, language=language, text_md=f"Q{position} {language}",
                                                   text_html=f"<p>Q{position} {language}</p>",
                                                   explanation_md="why", explanation_html="<p>why</p>")
            for choice_position in range(1, 4):
                choice = Choice.objects.create(question=question, position=choice_position, is_correct=choice_position == 1)
                for language in languages:
                    ChoiceTranslation.objects.create(choice=choice, language=language, text_md=f"C{choice_position}",
                                                     text_html=f"C{choice_position}")
    return module


def quiz_answers(module: Module, *, correct: bool = True) -> dict[str, list[int]]:
    answers = {}
    for question in module.quiz.questions.prefetch_related("choices"):
        choice = next(c for c in question.choices.all() if c.is_correct == correct)
        answers[str(question.pk)] = [choice.pk]
    return answers


def diagnostic(areas=("finance", "volunteers", "strategy", "communication", "governance"), statements: int = 4) -> Diagnostic:
    diag, _ = Diagnostic.objects.get_or_create(key="capacity", defaults={"scale": {"fr": ["1", "2", "3", "4"], "en": ["1", "2", "3", "4"]}})
    for position, key in enumerate(areas, start=1):
        area, _ = DiagnosticArea.objects.get_or_create(diagnostic=diag, key=key, defaults={"position": position, "titles": {"en": key}})
        for n in range(1, statements + 1):
            DiagnosticStatement.objects.get_or_create(area=area, key=f"{key}-{n}", defaults={"position": n, "texts": {"en": f"{key} {n}"}})
    return diag


def curriculum_module(slug: str) -> Module:
    """A published module built from the real files in content/<slug>/ (test data only: the courses app's
    import renders Markdown when content is saved; here the test does it in its setup, with the same
    renderer, so that the reader shows what the site would store)."""
    import re
    from pathlib import Path

    import yaml
    from django.conf import settings

    from courses.rendering import markdown_render

    def html(text: str, language: str | None = None) -> str:
        return markdown_render(text or "", language=language)

    folder = Path(settings.BASE_DIR) / "content" / slug
    meta = yaml.safe_load((folder / "module.yaml").read_text())
    module = ModuleFactory(slug=slug, topic=topic(meta["topic"]), level=meta["level"], estimated_minutes=meta["minutes"],
                           source_language=meta["source_language"])
    for language, title in meta["title"].items():
        ModuleTranslation.objects.create(module=module, language=language, title=title, summary=meta["summary"].get(language, ""),
                                         outcomes=meta["outcomes"].get(language, []))
    for path in sorted(folder.glob("*.md")):
        number, lesson_slug, language = re.match(r"(\d+)-([\w-]+)\.([\w-]+)\.md", path.name).groups()
        _, front, body = path.read_text().split("---", 2)
        front = yaml.safe_load(front)
        lesson, _ = Lesson.objects.get_or_create(module=module, slug=lesson_slug, defaults={"position": int(number)})
        LessonTranslation.objects.create(lesson=lesson, language=language, title=front["title"], summary=front["summary"],
                                         body_md=body, body_html=html(body, language))
    quiz_meta = yaml.safe_load((folder / "quiz.yaml").read_text())
    quiz = Quiz.objects.create(module=module, pass_mark=quiz_meta["pass_mark"])
    for position, item in enumerate(quiz_meta["questions"], start=1):
        question = Question.objects.create(quiz=quiz, key=item["key"], kind=item["kind"], position=position)
        for language, text in item["text"].items():
            explanation = item["explanation"].get(language, "")
            QuestionTranslation.objects.create(question=question, language=language, text_md=text, text_html=html(text),
                                               explanation_md=explanation, explanation_html=html(explanation))
        for choice_position, entry in enumerate(item["choices"], start=1):
            choice = Choice.objects.create(question=question, position=choice_position, is_correct=entry["correct"])
            for language, text in entry["text"].items():
                feedback = (entry.get("feedback") or {}).get(language, "")
                ChoiceTranslation.objects.create(choice=choice, language=language, text_md=text, text_html=html(text),
                                                 feedback_md=feedback, feedback_html=html(feedback))
    return module
