"""Drill-downs: one learner of a cohort (only the cohort's modules) and one module of a cohort
(how many learners reached each lesson, quiz results per question)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import get_language

from courses.models import Lesson, LessonTranslation, Question, QuestionTranslation
from learners.models import Certificate, Enrollment, LessonProgress, QuizAttempt

from ..models import Cohort, CohortMembership
from .dashboard import ModuleColumn, cohort_module_columns, title_pick


@dataclass(slots=True)
class LessonLine:
    id: int
    slug: str
    title: str
    position: int
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    completed_at: datetime | None = None
    language: str = ""


@dataclass(slots=True)
class AttemptLine:
    submitted_at: datetime
    score: int
    passed: bool
    language: str


@dataclass(slots=True)
class LearnerModule:
    module: ModuleColumn
    enrolled: bool = False
    percent: int = 0
    lessons_done: int = 0
    lessons_total: int = 0
    last_activity_at: datetime | None = None
    completed_at: datetime | None = None
    quiz_best_score: int | None = None
    quiz_passed: bool = False
    certificate_code: str = ""
    lessons: list[LessonLine] = field(default_factory=list)
    attempts: list[AttemptLine] = field(default_factory=list)


@dataclass(slots=True)
class LearnerDetail:
    user_id: int
    name: str
    email: str
    association: str
    joined_at: datetime
    modules: list[LearnerModule]


def _lesson_lines(module_ids: list[int], language: str) -> dict[int, list[LessonLine]]:
    lessons = list(Lesson.objects.filter(module_id__in=module_ids, is_archived=False).order_by("module_id", "position", "id")
                   .values_list("id", "module_id", "slug", "position", "module__source_language"))
    titles: dict[int, dict[str, str]] = defaultdict(dict)
    for lesson_id, lang, title in LessonTranslation.objects.filter(lesson_id__in=[row[0] for row in lessons]).values_list(
            "lesson_id", "language", "title"):
        titles[lesson_id][lang] = title
    by_module: dict[int, list[LessonLine]] = defaultdict(list)
    for lesson_id, module_id, slug, position, source in lessons:
        by_module[module_id].append(LessonLine(id=lesson_id, slug=slug, position=position,
                                               title=title_pick(titles[lesson_id], language, source, slug)))
    return by_module


def cohort_learner_detail(*, cohort: Cohort, user_id: int, language: str | None = None) -> LearnerDetail:
    """One member's progress in the cohort's modules — and nothing outside them. 404 for non-members."""
    language = language or get_language() or settings.LANGUAGE_CODE
    member = (CohortMembership.objects.filter(cohort=cohort, user_id=user_id, status=CohortMembership.Status.ACTIVE)
              .values_list("joined_at", "user__display_name", "user__email", "user__association__name").first())
    if member is None:
        raise Http404
    modules = cohort_module_columns(cohort_id=cohort.pk, language=language)
    module_ids = [m.id for m in modules]
    lessons = _lesson_lines(module_ids, language)
    enrollments = {row[0]: row for row in Enrollment.objects.filter(user_id=user_id, module_id__in=module_ids).values_list(
        "module_id", "percent", "lessons_done", "lessons_total", "last_activity_at", "completed_at", "quiz_best_score",
        "quiz_passed")}
    progress = {row[0]: row for row in LessonProgress.objects.filter(
        user_id=user_id, lesson__module_id__in=module_ids).values_list(
        "lesson_id", "first_seen_at", "last_seen_at", "completed_at", "language")}
    attempts: dict[int, list[AttemptLine]] = defaultdict(list)
    for module_id, submitted_at, score, passed, lang in QuizAttempt.objects.filter(
            user_id=user_id, quiz__module_id__in=module_ids).order_by("submitted_at", "id").values_list(
            "quiz__module_id", "submitted_at", "score", "passed", "language"):
        attempts[module_id].append(AttemptLine(submitted_at=submitted_at, score=score, passed=passed, language=lang))
    certificates = dict(Certificate.objects.filter(user_id=user_id, module_id__in=module_ids, revoked_at__isnull=True)
                        .values_list("module_id", "code"))
    result = []
    for module in modules:
        item = LearnerModule(module=module, lessons_total=module.lessons_total, attempts=attempts[module.id],
                             certificate_code=certificates.get(module.id, ""))
        raw = enrollments.get(module.id)
        if raw:
            (_m, item.percent, item.lessons_done, item.lessons_total, item.last_activity_at, item.completed_at,
             item.quiz_best_score, item.quiz_passed) = raw
            item.enrolled = True
        for lesson in lessons[module.id]:
            line = LessonLine(id=lesson.id, slug=lesson.slug, title=lesson.title, position=lesson.position)
            if lesson.id in progress:
                _l, line.first_seen_at, line.last_seen_at, line.completed_at, line.language = progress[lesson.id]
            item.lessons.append(line)
        result.append(item)
    joined_at, name, email, association = member
    return LearnerDetail(user_id=user_id, name=name, email=email, association=association or "", joined_at=joined_at,
                         modules=result)


@dataclass(slots=True)
class LessonReach:
    id: int
    slug: str
    title: str
    position: int
    reached: int
    completed: int


@dataclass(slots=True)
class QuestionResult:
    id: int
    key: str
    text: str
    position: int
    first_answered: int = 0
    first_correct: int = 0
    answered: int = 0
    correct: int = 0

    @property
    def first_percent(self) -> int | None:
        return round(100 * self.first_correct / self.first_answered) if self.first_answered else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None


@dataclass(slots=True)
class ModuleReport:
    module: ModuleColumn
    learners: int
    enrolled: int
    completed: int
    lessons: list[LessonReach]
    questions: list[QuestionResult]
    attempts: int
    learners_attempted: int


def cohort_module_report(*, cohort: Cohort, module_id: int, language: str | None = None) -> ModuleReport:
    """Drop-off per lesson and per-question quiz results of the cohort's members in one of its modules."""
    language = language or get_language() or settings.LANGUAGE_CODE
    module = next((m for m in cohort_module_columns(cohort_id=cohort.pk, language=language) if m.id == module_id), None)
    if module is None:
        raise Http404
    member_ids = CohortMembership.objects.filter(cohort=cohort, status=CohortMembership.Status.ACTIVE).values("user_id")
    learners = CohortMembership.objects.filter(cohort=cohort, status=CohortMembership.Status.ACTIVE).count()
    enrolled, completed = 0, 0
    for completed_at in Enrollment.objects.filter(user_id__in=member_ids, module_id=module_id).values_list("completed_at", flat=True):
        enrolled += 1
        completed += completed_at is not None
    reached: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    for lesson_id, completed_at in LessonProgress.objects.filter(
            user_id__in=member_ids, lesson__module_id=module_id).values_list("lesson_id", "completed_at").iterator(chunk_size=5000):
        reached[lesson_id] += 1
        done[lesson_id] += completed_at is not None
    lessons = [
        LessonReach(id=line.id, slug=line.slug, title=line.title, position=line.position, reached=reached[line.id],
                    completed=done[line.id])
        for line in _lesson_lines([module_id], language)[module_id]
    ]
    questions = {
        qid: QuestionResult(id=qid, key=key, text="", position=position)
        for qid, key, position in Question.objects.filter(quiz__module_id=module_id, is_archived=False)
        .order_by("position", "id").values_list("id", "key", "position")
    }
    texts: dict[int, dict[str, str]] = defaultdict(dict)
    for qid, lang, html in QuestionTranslation.objects.filter(question_id__in=list(questions)).values_list(
            "question_id", "language", "text_html"):
        texts[qid][lang] = " ".join(strip_tags(html).split())
    for qid, question in questions.items():
        question.text = title_pick(texts[qid], language, settings.LANGUAGE_CODE, question.key)
    seen_users: set[int] = set()
    attempts = 0
    for user_id, results in QuizAttempt.objects.filter(user_id__in=member_ids, quiz__module_id=module_id).order_by(
            "submitted_at", "id").values_list("user_id", "results").iterator(chunk_size=2000):
        attempts += 1
        first = user_id not in seen_users
        seen_users.add(user_id)
        for raw_qid, ok in (results or {}).items():
            question = questions.get(int(raw_qid))
            if question is None:
                continue
            question.answered += 1
            question.correct += bool(ok)
            if first:
                question.first_answered += 1
                question.first_correct += bool(ok)
    return ModuleReport(module=module, learners=learners, enrolled=enrolled, completed=completed, lessons=lessons,
                        questions=list(questions.values()), attempts=attempts, learners_attempted=len(seen_users))
