"""What a module's authors see: per-question results of the quiz and where learners drop off.

Built from stored rows with `.values()` in a fixed number of queries, whatever the number of learners."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from courses.models import Choice, Lesson, Module, Question, Quiz

from ..models import Enrollment, LessonProgress, QuizAttempt
from .common import lesson_titles
from .quiz import choice_translations, question_translations


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class QuestionStat:
    number: int
    key: str
    text_html: str
    answered: int
    correct: int
    share_correct: int
    wrong_choice_html: str
    wrong_choice_count: int
    wrong_choice_share: int


@dataclass
class LessonStat:
    number: int
    slug: str
    title: str
    viewed: int
    completed: int
    share_viewed: int
    share_completed: int


@dataclass
class ModuleResults:
    module: Module
    enrolled: int
    completed: int
    passed: int
    attempts: int
    learners_attempted: int
    pass_mark: int | None
    questions: list[QuestionStat]
    lessons: list[LessonStat]


def module_results(*, module: Module, language: str) -> ModuleResults:
    counts = Enrollment.objects.filter(module=module).aggregate(
        enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)),
        passed=Count("pk", filter=Q(quiz_passed=True)))
    quiz = Quiz.objects.filter(module=module).first()
    questions: list[QuestionStat] = []
    attempts = learners = 0
    if quiz is not None:
        rows = list(QuizAttempt.objects.filter(quiz=quiz).values_list("user_id", "answers", "results"))
        attempts, learners = len(rows), len({user_id for user_id, _a, _r in rows})
        question_rows = list(Question.objects.filter(quiz=quiz, is_archived=False).order_by("position", "id").values_list("pk", "key"))
        ids = [pk for pk, _key in question_rows]
        choices = defaultdict(dict)
        for cid, qid, is_correct in Choice.objects.filter(question_id__in=ids).values_list("pk", "question_id", "is_correct"):
            choices[qid][cid] = is_correct
        texts = question_translations(ids, language, module.source_language)
        choice_language = {cid: (texts[qid][0].language if texts[qid][0] else language) for qid in ids for cid in choices[qid]}
        choice_texts = choice_translations(list(choice_language), choice_language, module.source_language)
        answered, correct, wrong = Counter(), Counter(), defaultdict(Counter)
        for _user, answers, results in rows:
            for qid, ok in results.items():
                answered[qid] += 1
                correct[qid] += bool(ok)
            for qid, chosen in answers.items():
                for cid in chosen:
                    if choices.get(int(qid), {}).get(cid) is False:
                        wrong[qid][cid] += 1
        for number, (qid, key) in enumerate(question_rows, start=1):
            most = wrong[str(qid)].most_common(1)
            wrong_id, wrong_count = most[0] if most else (None, 0)
            wrong_text = choice_texts.get(wrong_id)
            questions.append(QuestionStat(
                number=number, key=key, text_html=texts[qid][0].text_html if texts[qid][0] else key,
                answered=answered[str(qid)], correct=correct[str(qid)], share_correct=_share(correct[str(qid)], answered[str(qid)]),
                wrong_choice_html=wrong_text.text_html if wrong_text else "", wrong_choice_count=wrong_count,
                wrong_choice_share=_share(wrong_count, answered[str(qid)]),
            ))
    lesson_rows = list(Lesson.objects.filter(module=module, is_archived=False).order_by("position", "id").values_list("pk", "slug"))
    titles = lesson_titles([pk for pk, _slug in lesson_rows], language, module.source_language)
    progress = {row["lesson_id"]: row for row in LessonProgress.objects.filter(lesson__module=module).values("lesson_id")
                .annotate(viewed=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))).order_by()}
    enrolled = counts["enrolled"]
    lessons = []
    for number, (pk, slug) in enumerate(lesson_rows, start=1):
        row = progress.get(pk, {"viewed": 0, "completed": 0})
        lessons.append(LessonStat(number, slug, titles[pk].title or slug, row["viewed"], row["completed"],
                                  _share(row["viewed"], enrolled), _share(row["completed"], enrolled)))
    return ModuleResults(module=module, enrolled=enrolled, completed=counts["completed"], passed=counts["passed"],
                         attempts=attempts, learners_attempted=learners, pass_mark=quiz.pass_mark if quiz else None,
                         questions=questions, lessons=lessons)
