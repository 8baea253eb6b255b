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
