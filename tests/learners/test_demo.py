"""learners.demo.seed: real states for the demo learners when the curriculum is there; a polite skip otherwise."""
import io

import pytest

from accounts.demo import seed as accounts_seed
from courses.models import Module
from learners.demo import seed
from learners.models import Certificate, DiagnosticResponse, Enrollment, LessonProgress, QuizAttempt
from tests.learners.factories import diagnostic, module_with_lessons

pytestmark = pytest.mark.django_db


def _context():
    context = {}
    accounts_seed(context)
    return context


def test_seed_skips_politely_without_the_curriculum():
    out = io.StringIO()
    seed(_context(), stdout=out)
    assert "not imported yet" in out.getvalue()
    assert not Enrollment.objects.exists()


def test_seed_gives_the_demo_learners_real_states_and_is_idempotent(django_capture_on_commit_callbacks):
    finance = module_with_lessons(lessons=4, slug="basic-finance")
    module_with_lessons(lessons=4, slug="volunteer-management", topic_key="volunteers")
    module_with_lessons(slug="strategy", status=Module.Status.DRAFT)
    diagnostic()
    context = _context()
    with django_capture_on_commit_callbacks(execute=True):
        seed(context)
    learner, learner_zh = context["users"]["learner"], context["users"]["learner_zh"]
    done = Enrollment.objects.get(user=learner, module=finance)
    assert done.completed_at and done.quiz_passed and done.percent == 100 and done.quiz_attempts == 2
    assert Certificate.objects.get(user=learner, module=finance).code == context["certificates"]["basic-finance"]
    half = Enrollment.objects.get(user=learner, module__slug="volunteer-management")
    assert (half.lessons_done, half.lessons_total, half.completed_at) == (2, 4, None)
    zh = Enrollment.objects.get(user=learner_zh)
    assert zh.content_language == "zh-hans" and zh.lessons_done == 2
    assert DiagnosticResponse.objects.filter(user=learner).count() == 2
    assert DiagnosticResponse.objects.filter(user=learner_zh).count() == 1
    counts = (Enrollment.objects.count(), LessonProgress.objects.count(), QuizAttempt.objects.count(),
              Certificate.objects.count(), DiagnosticResponse.objects.count())
    seed(_context())
    assert counts == (Enrollment.objects.count(), LessonProgress.objects.count(), QuizAttempt.objects.count(),
                      Certificate.objects.count(), DiagnosticResponse.objects.count())
