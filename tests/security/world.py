"""One shared world for the route × identity table: two intermediaries (X owns the learner's cohort, Y
does not), modules by two trainers, learner A with an enrolment, a quiz attempt, a certificate, a
self-diagnostic, a coaching request and a mission with its coach; learner B elsewhere; a second
coach; an admin. Every URL kwarg of the table names one of these objects (see `KWARGS`)."""
from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from coaching import services as coaching
from cohorts.models import CohortExport, CohortMembership
from cohorts.services import cohort_join, invitation_create, invite_import_create
from learners.models import Certificate, Enrollment, QuizAttempt
from learners.services import enrollment_create, lesson_progress_record, quiz_attempt_submit
from tests.coaching.factories import all_topics, coach_profile, diagnostic_response
from tests.cohorts.factories import cohort_for
from tests.courses.factories import module_build
from tests.factories import AssociationFactory, IntermediaryFactory, IntermediaryStaffFactory, UserFactory
from tests.learners.factories import quiz_answers

# The columns of the table, in order.
IDENTITIES = ["anon", "learner_a", "learner_b", "trainer", "trainer_b", "staff_x", "staff_y", "coach", "coach_b", "admin"]


def _earn(user, module):
    enrollment_create(user=user, module=module, language="fr")
    for lesson in module.lessons.all():
        lesson_progress_record(user=user, lesson=lesson)
    quiz_attempt_submit(user=user, quiz=module.quiz, answers=quiz_answers(module))
    return Certificate.objects.get(user=user, module=module)


def world_build() -> SimpleNamespace:
    all_topics()
    w = SimpleNamespace()
    w.admin = UserFactory(is_staff=True, is_superuser=True, display_name="Admin")
    w.trainer = UserFactory(is_trainer=True, display_name="Trainer Author")
    w.trainer_b = UserFactory(is_trainer=True, display_name="Other Trainer")
    w.module = module_build(slug="route-module", author=w.trainer, languages=("fr", "zh-hans", "en"), publish=True)
    w.draft = module_build(slug="route-draft", author=w.trainer_b, languages=("fr",), topic="strategy")
    w.lesson = w.module.lessons.order_by("position").first()
    w.question = w.module.quiz.questions.order_by("position", "id").first()

    w.x = IntermediaryFactory(name="Centre X")
    w.y = IntermediaryFactory(name="Centre Y")
    w.staff_x = IntermediaryStaffFactory(intermediary=w.x, is_manager=True, user__display_name="Staff X").user
    w.staff_y = IntermediaryStaffFactory(intermediary=w.y, is_manager=True, user__display_name="Staff Y").user
    w.cohort_x = cohort_for(w.staff_x, module_list=[w.module], name="Cohort X")
    w.cohort_y = cohort_for(w.staff_y, module_list=[w.module], name="Cohort Y")
    w.link_x = invitation_create(cohort=w.cohort_x, created_by=w.staff_x)
    w.link_y = invitation_create(cohort=w.cohort_y, created_by=w.staff_y)

    w.learner_a = UserFactory(is_learner=True, display_name="Learner A", association=AssociationFactory(name="Asso A"),
                              preferred_language="fr")
    w.learner_b = UserFactory(is_learner=True, display_name="Learner B", association=AssociationFactory(name="Asso B"))
    cohort_join(invitation=w.link_x, user=w.learner_a)
    cohort_join(invitation=w.link_y, user=w.learner_b)
    w.membership_a = CohortMembership.objects.get(cohort=w.cohort_x, user=w.learner_a)
    w.certificate = _earn(w.learner_a, w.module)
    w.enrollment = Enrollment.objects.get(user=w.learner_a, module=w.module)
    w.attempt = QuizAttempt.objects.filter(user=w.learner_a).first()
    w.diagnostic = diagnostic_response(w.learner_a, {"finance": 40, "strategy": 55})
    w.import_x = invite_import_create(cohort=w.cohort_x, created_by=w.staff_x, data=b"someone@example.org,Someone,,\n")
    w.export_x = CohortExport.objects.create(cohort=w.cohort_x, created_by=w.staff_x, status=CohortExport.Status.DONE,
                                             file_path="missing.csv")

    w.coach = UserFactory(is_coach=True, display_name="Coach Of Mission")
    w.coach_b = UserFactory(is_coach=True, display_name="Another Coach")
    w.coach_profile = coach_profile(w.coach, topics={"finance": 3, "strategy": 3}, languages={"fr": 3, "en": 3})
    w.coach_b_profile = coach_profile(w.coach_b, topics={"finance": 2, "strategy": 2}, languages={"fr": 3, "en": 3})
    data = {"need": "Notre trésorerie est tendue chaque hiver.", "expected_result": "Un plan de trésorerie.",
            "format": "remote", "hours_wanted": 6}
    w.request = coaching.request_create(by=w.learner_a, learner=w.learner_a, module=w.module, data=data)
    proposal = coaching.proposal_create(request=w.request, coach=w.coach_profile, by=w.staff_x)
    w.mission = coaching.proposal_accept(proposal=proposal, by=w.coach)
    coaching.session_log(mission=w.mission, by=w.coach, held_on=timezone.localdate(), duration_minutes=60, notes="Notes")
    # An open request (staff X opened it for A) with a pending proposal to the other coach.
    w.open_request = coaching.request_create(by=w.staff_x, learner=w.learner_a, topic=_topic("strategy"), data=data)
    w.proposal = coaching.proposal_create(request=w.open_request, coach=w.coach_b_profile, by=w.staff_x)
    # Impact: a funder's network grouping X and Y (none of the identities is its staff: network staff
    # see aggregates only, tests/impact), and a PDF report X's staff asked for about cohort X.
    from impact.models import ImpactReport, Network, NetworkMembership

    w.network = Network.objects.create(name="Route network", slug="route-network")
    for intermediary in (w.x, w.y):
        NetworkMembership.objects.create(network=w.network, intermediary=intermediary, status=NetworkMembership.Status.ACCEPTED)
    today = timezone.localdate()
    w.report = ImpactReport.objects.create(scope=ImpactReport.Scope.COHORT, scope_id=w.cohort_x.pk, period_start=today.replace(day=1),
                                           period_end=today, created_by=w.staff_x)
    return w


def _topic(key):
    from courses.models import Topic

    return Topic.objects.get(key=key)


# What each URL kwarg token of the table stands for, read from the world.
KWARGS = {
    "cohort": lambda w: w.cohort_x.pk, "learner_a": lambda w: w.learner_a.pk, "module_id": lambda w: w.module.pk,
    "module": lambda w: w.module.slug, "draft": lambda w: w.draft.slug, "lesson": lambda w: w.lesson.slug,
    "lesson_id": lambda w: w.lesson.pk, "question": lambda w: w.question.key, "question_id": lambda w: w.question.pk,
    "invitation": lambda w: w.link_x.pk, "token": lambda w: w.link_x.token, "import": lambda w: w.import_x.pk,
    "export": lambda w: w.export_x.pk, "membership": lambda w: w.membership_a.pk, "request": lambda w: w.request.pk,
    "open_request": lambda w: w.open_request.pk, "proposal": lambda w: w.proposal.pk, "mission": lambda w: w.mission.pk,
    "coach_profile": lambda w: w.coach_profile.pk, "coach_b_profile": lambda w: w.coach_b_profile.pk,
    "certificate": lambda w: w.certificate.code, "enrollment": lambda w: w.enrollment.pk, "attempt": lambda w: w.attempt.pk,
    "diagnostic": lambda w: w.diagnostic.pk, "intermediary": lambda w: w.x.pk,
    "network": lambda w: w.network.pk, "report": lambda w: w.report.pk,
}
