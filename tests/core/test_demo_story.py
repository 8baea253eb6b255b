"""The demo tells one story in time (issue 12, item 10): nobody finishes a module before enrolling in it or
acts before arriving, learners arrive on different days, and every completed coaching mission's learner holds
a certificate in the mission's topic."""
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from accounts.models import User
from coaching.models import CoachingRequest, Mission
from cohorts.models import Cohort, CohortMembership
from cohorts.services import cohort_stats_check
from learners.models import Certificate, DiagnosticResponse, Enrollment, LessonProgress, QuizAttempt

pytestmark = pytest.mark.django_db
SLACK = timedelta(seconds=1)


@pytest.fixture
def demo(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force", stdout=io.StringIO())


def test_no_module_is_finished_before_it_was_started(demo):
    enrollments = list(Enrollment.objects.select_related("user"))
    assert len(enrollments) > 20
    for enrollment in enrollments:
        label = (enrollment.user.email, enrollment.module_id)
        if enrollment.completed_at:
            assert enrollment.completed_at >= enrollment.enrolled_at, label
        if enrollment.last_activity_at:
            assert enrollment.last_activity_at >= enrollment.enrolled_at - SLACK, label
        assert enrollment.enrolled_at >= enrollment.user.date_joined - SLACK, label
    for user_id, module_id, first in (LessonProgress.objects.values("user_id", "lesson__module_id")
                                      .annotate(first=Min("first_seen_at")).values_list("user_id", "lesson__module_id", "first")):
        enrolled_at = Enrollment.objects.get(user_id=user_id, module_id=module_id).enrolled_at
        assert first >= enrolled_at - SLACK, (user_id, module_id, first, enrolled_at)
    for attempt in QuizAttempt.objects.select_related("quiz"):
        enrolled_at = Enrollment.objects.get(user_id=attempt.user_id, module_id=attempt.quiz.module_id).enrolled_at
        assert attempt.submitted_at >= enrolled_at - SLACK
    for certificate in Certificate.objects.select_related("enrollment"):
        enrollment = Enrollment.objects.get(user_id=certificate.user_id, module_id=certificate.module_id)
        assert enrollment.completed_at and certificate.issued_at >= enrollment.completed_at - SLACK, certificate.code


def test_learners_arrive_on_different_days_and_act_after_arriving(demo):
    memberships = list(CohortMembership.objects.select_related("user"))
    assert len({m.joined_at.date() for m in memberships}) >= len(memberships) // 2
    assert len({m.user.date_joined.date() for m in memberships}) >= len(memberships) // 2
    for membership in memberships:
        assert membership.joined_at >= membership.user.date_joined - SLACK, membership.user.email
    for response in DiagnosticResponse.objects.select_related("user"):
        assert response.created_at >= response.user.date_joined - SLACK, response.user.email
    learners = User.objects.filter(is_learner=True, enrollments__isnull=False).distinct()
    for user in learners:
        first = Enrollment.objects.filter(user=user).aggregate(first=Min("enrolled_at"))["first"]
        assert first >= user.date_joined - SLACK, user.email


def test_every_completed_mission_learner_holds_the_certificate(demo):
    missions = list(Mission.objects.filter(request__status=CoachingRequest.Status.COMPLETED).select_related("request"))
    assert missions
    for mission in missions:
        request = mission.request
        certificates = Certificate.objects.filter(user=request.learner_id, module__topic=request.topic_id,
                                                  revoked_at__isnull=True)
        assert certificates.exists(), request.learner.email
        assert certificates.filter(issued_at__lte=request.created_at).exists(), "certified before asking for coaching"
        assert mission.created_at >= request.created_at - SLACK
        assert request.created_at >= request.learner.date_joined - SLACK
    for request in CoachingRequest.objects.exclude(status=CoachingRequest.Status.DRAFT):
        assert request.created_at >= request.learner.date_joined - SLACK, request.learner.email


def test_cohort_learners_finish_on_the_days_they_did_the_work_and_the_cohorts_figures_agree(demo):
    """Completions and certificates fall after the module's last lesson, on several days (they were all stamped
    with the moment the seeder ran), and every cohort's stored figures equal a rebuild (the dates moved behind the
    services' back)."""
    members = CohortMembership.objects.filter(user__email__endswith="@cohorte.essor.demo").values_list("user_id", flat=True)
    finished = list(Enrollment.objects.filter(user_id__in=members, completed_at__isnull=False))
    assert len(finished) >= 5
    assert len({enrollment.completed_at.date() for enrollment in finished}) >= 3
    for enrollment in finished:
        last_lesson = (LessonProgress.objects.filter(user_id=enrollment.user_id, lesson__module_id=enrollment.module_id)
                       .aggregate(at=Max("completed_at"))["at"])
        assert last_lesson and last_lesson <= enrollment.completed_at, enrollment.pk
        certificate = Certificate.objects.get(user_id=enrollment.user_id, module_id=enrollment.module_id)
        assert abs(certificate.issued_at - enrollment.completed_at) <= SLACK
    for cohort in Cohort.objects.all():
        assert cohort_stats_check(cohort_id=cohort.pk) == {}, cohort.name
