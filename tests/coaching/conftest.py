"""A small world for the coaching tests: two intermediaries with a cohort each, a learner with a
certificate, a second learner elsewhere, two vetted coaches, and their staff."""
from types import SimpleNamespace

import pytest

from tests.factories import AssociationFactory, IntermediaryFactory, IntermediaryStaffFactory, UserFactory

from .factories import CertificateFactory, CohortFactory, CohortMembershipFactory, ModuleFactory, all_topics, coach_profile, topic


@pytest.fixture
def world(db, intermediary, staff, coach):
    all_topics()
    learner = UserFactory(is_learner=True, email="learner.secret@example.org", phone="+33611111111",
                          association=AssociationFactory(name="Les Jardins", city="Lyon"), preferred_language="fr")
    cohort = CohortFactory(intermediary=intermediary, name="Promotion Lyon 2026")
    CohortMembershipFactory(cohort=cohort, user=learner)
    module = ModuleFactory(slug="basic-finance", topic=topic("finance"),
                           titles={"fr": "Gestion financière de base", "en": "Basic financial management"})
    certificate = CertificateFactory(user=learner, module=module)

    other_intermediary = IntermediaryFactory()
    other_staff = IntermediaryStaffFactory(intermediary=other_intermediary).user
    other_learner = UserFactory(is_learner=True, email="other.learner@example.org", phone="+33622222222",
                                association=AssociationFactory(city="Paris"))
    CohortMembershipFactory(cohort=CohortFactory(intermediary=other_intermediary), user=other_learner)

    coach.email, coach.phone, coach.display_name = "coach.secret@example.org", "+33633333333", "Julien Coach"
    coach.save()
    coach_p = coach_profile(coach, topics={"finance": 3}, languages={"fr": 3, "en": 2})
    other_coach = UserFactory(is_coach=True, email="other.coach@example.org", phone="+33644444444", display_name="Other Coach")
    other_coach_p = coach_profile(other_coach, topics={"finance": 1}, languages={"fr": 2})
    return SimpleNamespace(
        intermediary=intermediary, staff=staff, cohort=cohort, learner=learner, module=module, certificate=certificate,
        other_intermediary=other_intermediary, other_staff=other_staff, other_learner=other_learner,
        coach=coach, coach_profile=coach_p, other_coach=other_coach, other_coach_profile=other_coach_p,
    )


REQUEST_DATA = {
    "need": "Notre trésorerie est tendue chaque hiver et personne ne suit le budget.",
    "expected_result": "Un plan de trésorerie sur douze mois que le bureau sait tenir.",
    "format": "remote",
    "hours_wanted": 6,
}


@pytest.fixture
def request_data():
    return dict(REQUEST_DATA)


def fr(msgid: str, **values) -> str:
    """The French interface text of `msgid` (the world's learner and the demo coach read in French)."""
    from django.utils import translation

    with translation.override("fr"):
        text = translation.gettext(msgid)
    return text % values if values else text
