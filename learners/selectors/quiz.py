"""The quiz as a learner sees it (never with the correct answers) and an attempt's results."""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from accounts.models import User
from courses.models import Choice, ChoiceTranslation, Module, Question, QuestionTranslation, Quiz
from courses.selectors import translation_pick

from ..models import Enrollment, QuizAttempt


@dataclass
class ChoiceView:
    id: int
    text_html: str


@dataclass
class QuestionView:
    id: int
    key: str
    kind: str
    number: int
    text_html: str
    language: str
    is_fallback: bool
    choices: list[ChoiceView]


@dataclass
class QuizView:
    quiz: Quiz
    module: Module
    pass_mark: int
    questions: list[QuestionView]
    attempt_key: str = ""

    @property
    def is_fallback(self) -> bool:
        return any(q.is_fallback for q in self.questions)

    @property
    def fallback_languages(self) -> list[str]:
        return sorted({q.language for q in self.questions if q.is_fallback})


def quiz_get(*, module: Module) -> Quiz:
    """The module's quiz if it has questions, else 404."""
    quiz = Quiz.objects.filter(module=module, questions__is_archived=False).distinct().first()
    if quiz is None:
        raise Http404
    quiz.module = module
    return quiz


def question_translations(question_ids, language: str, source_language: str) -> dict[int, tuple[QuestionTranslation | None, bool]]:
    rows = defaultdict(list)
    for row in QuestionTranslation.objects.filter(question_id__in=question_ids):
        rows[row.question_id].append(row)
    return {qid: translation_pick(rows[qid], language, source_language) for qid in question_ids}


def choice_translations(choice_ids, languages: dict[int, str], source_language: str) -> dict[int, ChoiceTranslation | None]:
    """Each choice in its question's language (so a question and its answers never mix languages)."""
    rows = defaultdict(list)
    for row in ChoiceTranslation.objects.filter(choice_id__in=choice_ids):
        rows[row.choice_id].append(row)
    return {cid: translation_pick(rows[cid], languages.get(cid, source_language), source_language)[0] for cid in choice_ids}


def choices_shuffled(choice_ids: list[int], *, question_id: int, attempt_key: str) -> list[int]:
    """The choices of a question in the order an attempt shows them: shuffled, and the same every time for
    the same attempt key (the quiz page's `client_key`), so that a page shown again after an error, the
    API and the stored attempt agree. Without a key: the authored order."""
    if not attempt_key:
        return list(choice_ids)
    order = sorted(choice_ids)
    random.Random(f"{attempt_key}:{question_id}").shuffle(order)
    return order


def quiz_choice_order(*, quiz: Quiz, attempt_key: str) -> dict[str, list[int]]:
    """{"<question id>": [choice ids in the order shown]} for an attempt (stored with it). One query."""
    choices = defaultdict(list)
    for choice_id, question_id in (Choice.objects.filter(question__quiz=quiz, question__is_archived=False)
                                   .order_by("position", "id").values_list("pk", "question_id")):
        choices[question_id].append(choice_id)
    return {str(qid): choices_shuffled(cids, question_id=qid, attempt_key=attempt_key) for qid, cids in choices.items()}


def quiz_for_learner(*, quiz: Quiz, language: str, attempt_key: str = "") -> QuizView:
    """The questions and answers to show before submission, the choices in the attempt's shuffled order.
    `is_correct` is never read here: the correct answers cannot reach a browser before the learner
    submits. Four queries."""
    module = quiz.module
    questions = list(Question.objects.filter(quiz=quiz, is_archived=False).order_by("position", "id").values_list("pk", "key", "kind"))
    texts = question_translations([q[0] for q in questions], language, module.source_language)
    choices = defaultdict(list)
    rows = Choice.objects.filter(question__in=[q[0] for q in questions]).order_by("position", "id").values_list("pk", "question_id")
    for choice_id, question_id in rows:
        choices[question_id].append(choice_id)
    choice_language = {cid: (texts[qid][0].language if texts[qid][0] else language) for qid, cids in choices.items() for cid in cids}
    choice_texts = choice_translations(list(choice_language), choice_language, module.source_language)
    views = []
    for number, (qid, key, kind) in enumerate(questions, start=1):
        row, is_fallback = texts[qid]
        views.append(QuestionView(
            id=qid, key=key, kind=kind, number=number, text_html=row.text_html if row else key,
            language=row.language if row else language, is_fallback=is_fallback,
            choices=[ChoiceView(cid, choice_texts[cid].text_html if choice_texts[cid] else "")
                     for cid in choices_shuffled(choices[qid], question_id=qid, attempt_key=attempt_key)],
        ))
    return QuizView(quiz=quiz, module=module, pass_mark=quiz.pass_mark, questions=views, attempt_key=attempt_key)


@dataclass
class ChoiceResult:
    id: int
    text_html: str
    chosen: bool
    correct: bool | None  # None: not shown yet (Quiz.reveal_answers)
    feedback_html: str


@dataclass
class QuestionResult:
    id: int
    number: int
    kind: str
    text_html: str
    explanation_html: str
    is_correct: bool
    choices: list[ChoiceResult]


@dataclass
class AttemptSummary:
    id: int
    score: int
    passed: bool
    submitted_at: datetime


@dataclass
class AttemptResult:
    attempt: QuizAttempt
    module: Module
    pass_mark: int
    questions: list[QuestionResult]
    best_score: int | None
    history: list[AttemptSummary]
    enrollment: Enrollment
    answers_revealed: bool = True

    @property
    def wrong_questions(self) -> list[QuestionResult]:
        return [question for question in self.questions if not question.is_correct]


def quiz_attempt_get(*, user: User, pk: int, module: Module | None = None) -> QuizAttempt:
    """One of the learner's own attempts; anyone else's is a 404."""
    attempts = QuizAttempt.objects.filter(user=user).select_related("quiz", "quiz__module", "enrollment")
    if module is not None:
        attempts = attempts.filter(quiz__module=module)
    attempt = attempts.filter(pk=pk).first()
    if attempt is None:
        raise Http404
    return attempt


def quiz_attempt_list(*, user: User, module: Module | None = None):
    attempts = QuizAttempt.objects.filter(user=user).select_related("quiz__module")
    if module is not None:
        attempts = attempts.filter(quiz__module=module)
    return attempts.order_by("-submitted_at", "-pk")


def quiz_attempt_result(*, attempt: QuizAttempt, language: str) -> AttemptResult:
    """After submission: each question with the learner's answers (in the order the attempt showed them),
    whether it was right, the explanation and the feedback of the chosen answers; the right choices only
    once the learner has passed the quiz, unless the quiz shows them after every attempt. Five queries."""
    module = attempt.quiz.module
    question_ids = [int(qid) for qid in attempt.results]
    known = {pk: (position, kind)
             for pk, position, kind in Question.objects.filter(pk__in=question_ids).values_list("pk", "position", "kind")}
    question_ids.sort(key=lambda qid: (known.get(qid, (0, ""))[0], qid))
    kinds = {pk: kind for pk, (_position, kind) in known.items()}
    texts = question_translations(question_ids, language or attempt.language, module.source_language)
    choices = defaultdict(list)
    for cid, qid, is_correct in (Choice.objects.filter(question_id__in=question_ids).order_by("position", "id")
                                 .values_list("pk", "question_id", "is_correct")):
        choices[qid].append((cid, is_correct))
    for qid, items in choices.items():
        shown = attempt.choice_order.get(str(qid)) if attempt.choice_order else None
        if shown:
            rank = {cid: index for index, cid in enumerate(shown)}
            items.sort(key=lambda item: rank.get(item[0], len(rank)))
    enrollment = attempt.enrollment
    revealed = (attempt.quiz.reveal_answers == Quiz.Reveal.ALWAYS or attempt.passed or enrollment.quiz_passed)
    choice_language = {cid: (texts[qid][0].language if texts[qid][0] else language) for qid, items in choices.items() for cid, _c in items}
    choice_texts = choice_translations(list(choice_language), choice_language, module.source_language)
    questions = []
    for number, qid in enumerate(question_ids, start=1):
        row = texts[qid][0]
        chosen = set(attempt.answers.get(str(qid), []))
        questions.append(QuestionResult(
            id=qid, number=number, kind=kinds.get(qid, "single"), text_html=row.text_html if row else "",
            explanation_html=row.explanation_html if row else "", is_correct=bool(attempt.results.get(str(qid))),
            choices=[ChoiceResult(cid, choice_texts[cid].text_html if choice_texts[cid] else "", cid in chosen,
                                  is_correct if revealed else None,
                                  choice_texts[cid].feedback_html if choice_texts[cid] and cid in chosen else "")
                     for cid, is_correct in choices[qid]],
        ))
    history = [AttemptSummary(*row) for row in QuizAttempt.objects.filter(user_id=attempt.user_id, quiz_id=attempt.quiz_id)
               .order_by("-submitted_at", "-pk").values_list("pk", "score", "passed", "submitted_at")[:50]]
    return AttemptResult(attempt=attempt, module=module, pass_mark=attempt.quiz.pass_mark, questions=questions,
                         best_score=enrollment.quiz_best_score, history=history, enrollment=enrollment,
                         answers_revealed=revealed)
