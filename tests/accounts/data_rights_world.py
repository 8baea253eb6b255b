"""A person with data in every corner of the site, built through the real services where they exist:
a learner in a cohort with a certificate, a self-diagnostic, a coaching request with a running mission
(sessions and feedback from both sides), consents, a reminder, an API key, a failed log-in."""
import datetime as dt
from types import SimpleNamespace

from axes.models import AccessAttempt
from django.apps import apps
from django.utils import timezone
from rest_framework.authtoken.models import Token

from coaching.models import CoachingRequest, Feedback, Mission, Proposal, Session
from cohorts.models import CohortExport, CohortInvitation, CohortReminder
from tests.coaching.factories import coach_profile, coaching_request
from tests.cohorts.factories import cohort_for, member
from tests.credentials.conftest import earn
from tests.factories import AssociationFactory, UserFactory
from tests.learners.factories import diagnostic, module_with_lessons

# Strings that identify the learner: none may be left anywhere in the database after erasure.
SECRETS = {
    "email": "ada.secret@example.org",
    "display_name": "Ada Quokka-Zhang",
    "phone": "+33699887766",  # E.164, as phone numbers are stored
    "association": "Association Très Secrète",
    "need": "BESOIN-SECRET notre trésorerie",
    "expected": "RESULTAT-SECRET attendu",
    "learner_note": "NOTE-SECRETE de la dirigeante",
    "learner_feedback": "AVIS-SECRET sur le coach",
    "decline": "REFUS-SECRET",
}
# What the coach wrote: kept.
COACH_NOTE = "Coach's own session note: cash plan drafted"
COACH_FEEDBACK = "Coach's own feedback: motivated board"


def build_world(staff, *, password: str) -> SimpleNamespace:
    from learners.services import diagnostic_submit

    module_a = module_with_lessons(lessons=2, questions=1)
    module_b = module_with_lessons(lessons=2, questions=1)
    cohort = cohort_for(staff, module_list=[module_a, module_b])
    learner = UserFactory(is_learner=True, email=SECRETS["email"], display_name=SECRETS["display_name"],
                          phone=SECRETS["phone"], association=AssociationFactory(name=SECRETS["association"]),
                          preferred_language="fr")
    learner.set_password(password)
    learner.save()
    member(cohort, learner)
    other = member(cohort)  # a second member: the cohort's figures are not only the erased person's
    certificate = earn(learner, module_a)
    earn(other, module_a)
    areas = diagnostic()
    answers = {s.key: 2 for area in areas.areas.all() for s in area.statements.all()}
    diagnostic_submit(user=learner, answers=answers, diagnostic=areas)

    coach = UserFactory(is_coach=True, display_name="Coach Claire")
    profile = coach_profile(coach)
    request = coaching_request(learner, need=SECRETS["need"], expected_result=SECRETS["expected"],
                               status=CoachingRequest.Status.IN_PROGRESS, cohort=cohort,
                               intermediary=cohort.intermediary)
    declined = Proposal.objects.create(request=request, coach=coach_profile(), expires_at=timezone.now(),
                                       status=Proposal.Status.DECLINED, responded_by=learner,
                                       decline_reason=SECRETS["decline"], created_by=staff)
    mission = Mission.objects.create(request=request, coach=profile, monthly_hours=2, objectives="Budget",
                                     objectives_set_by=learner)
    today = dt.date.today()
    Session.objects.create(mission=mission, held_on=today, duration_minutes=60, notes=SECRETS["learner_note"], logged_by=learner)
    Session.objects.create(mission=mission, held_on=today, duration_minutes=60, notes=COACH_NOTE, logged_by=coach)
    Feedback.objects.create(mission=mission, author=learner, role=Feedback.Role.LEARNER, rating=4, comment=SECRETS["learner_feedback"])
    Feedback.objects.create(mission=mission, author=coach, role=Feedback.Role.COACH, rating=5, comment=COACH_FEEDBACK)
    CohortReminder.objects.create(cohort=cohort, user=learner, kind=CohortReminder.Kind.MANUAL, created_by=staff)
    CohortInvitation.objects.create(cohort=cohort, kind=CohortInvitation.Kind.PERSONAL, email=SECRETS["email"],
                                    display_name=SECRETS["display_name"], association_name=SECRETS["association"],
                                    created_by=staff)
    export = CohortExport.objects.create(cohort=cohort, status=CohortExport.Status.DONE, file_path="x/export.csv",
                                         expires_at=timezone.now() + dt.timedelta(days=7), created_by=staff)
    Token.objects.create(user=learner)
    AccessAttempt.objects.create(username=SECRETS["email"], ip_address="10.0.0.1", user_agent="test", failures_since_start=1,
                                 get_data="", post_data="")
    return SimpleNamespace(staff=staff, learner=learner, other=other, cohort=cohort, module_a=module_a, module_b=module_b,
                           certificate=certificate, coach=coach, coach_profile=profile, request=request, mission=mission,
                           declined=declined, export=export)


def database_text() -> str:
    """Every row of every table, as text (lower case): what a leak would be found in."""
    chunks = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for row in model._base_manager.values():
            # str(): a phone number is a PhoneNumber object whose repr is not its text.
            chunks.append(f"{model._meta.label} {({key: str(value) for key, value in row.items()})!r}")
    return "\n".join(chunks).lower()
