"""The demo seeder: a cohort at every stage, idempotent, polite when nothing is published."""
import io

import pytest

from accounts import demo as accounts_demo
from cohorts import demo
from cohorts.models import Cohort, CohortExport, CohortInvitation
from cohorts.selectors import cohort_dashboard, summary_as_dict
from learners.models import Certificate, LessonProgress
from tests.learners.factories import diagnostic, module_with_lessons

pytestmark = pytest.mark.django_db


def context() -> dict:
    ctx: dict = {}
    accounts_demo.seed(ctx)
    return ctx


def test_no_published_module_no_cohort_and_a_polite_message():
    out = io.StringIO()
    demo.seed(context(), stdout=out)
    assert not Cohort.objects.exists()
    assert "no module is published" in out.getvalue()


def test_the_demo_cohort_has_every_stage_and_seeding_twice_changes_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    for n in range(4):
        module_with_lessons(lessons=4, questions=2, slug=f"demo-module-{n}")
    diagnostic()
    ctx = context()
    demo.seed(ctx, stdout=io.StringIO())
    cohort = Cohort.objects.get(name=demo.COHORT_NAME)
    before = (summary_as_dict(cohort_dashboard(cohort=cohort)), LessonProgress.objects.count(), Certificate.objects.count())
    demo.seed(context(), stdout=io.StringIO())
    after = (summary_as_dict(cohort_dashboard(cohort=cohort)), LessonProgress.objects.count(), Certificate.objects.count())
    for value in (before[0], after[0]):
        value.pop("generated_at")
    assert before == after
    summary = before[0]
    assert summary["learners"] == 14
    assert cohort.facilitators.get() == ctx["users"]["staff"] and cohort.intermediary == ctx["intermediary"]
    assert cohort.cohort_modules.count() == 4
    assert summary["stalled"] == 3 and summary["certificates"] >= 3 and summary["in_progress"] >= 3
    assert summary["not_started"] >= 3 and summary["diagnostic"]["retaken"] >= 1
    assert summary["diagnostic"]["average_now"] > summary["diagnostic"]["average_at_joining"]
    assert [i.state() for i in cohort.invitations.filter(kind=CohortInvitation.Kind.LINK)] == ["open"]
    assert cohort.exports.get().status == CohortExport.Status.DONE
    assert Cohort.objects.count() == 1 and ctx["cohort"] == cohort
