"""Factories for the coaching tests, including the rows of other apps they read (topics, modules,
certificates, diagnostics, cohorts), built directly since those apps' services are not ours."""
import datetime as dt

import factory
from django.utils import timezone

from coaching.models import CoachingRequest, CoachLanguage, CoachProfile, CoachSkill
from cohorts.models import Cohort, CohortMembership
from courses.models import Diagnostic, Module, ModuleTranslation, Topic
from learners.models import Certificate, DiagnosticResponse
from tests.factories import IntermediaryFactory, UserFactory

TOPIC_NAMES = {
    "finance": {"fr": "Finances", "zh-hans": "财务", "en": "Finance"},
    "volunteers": {"fr": "Bénévoles", "zh-hans": "志愿者", "en": "Volunteers"},
    "strategy": {"fr": "Stratégie", "zh-hans": "战略", "en": "Strategy"},
    "communication": {"fr": "Communication", "zh-hans": "传播", "en": "Communication"},
    "governance": {"fr": "Gouvernance", "zh-hans": "治理", "en": "Governance"},
}


def topic(key: str) -> Topic:
    return Topic.objects.get_or_create(key=key, defaults={"names": TOPIC_NAMES.get(key, {}),
                                                         "position": list(TOPIC_NAMES).index(key) if key in TOPIC_NAMES else 9})[0]


def all_topics() -> list[Topic]:
    return [topic(key) for key in TOPIC_NAMES]


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"module-{n}")
    topic = factory.LazyFunction(lambda: topic("finance"))
    status = Module.Status.PUBLISHED

    @factory.post_generation
    def titles(obj, create, extracted, **kwargs):
        if create:
            for language, title in (extracted or {"fr": f"Module {obj.slug}", "en": f"Module {obj.slug}"}).items():
                ModuleTranslation.objects.create(module=obj, language=language, title=title)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    user = factory.SubFactory(UserFactory, is_learner=True)
    module = factory.SubFactory(ModuleFactory)
    learner_name = factory.LazyAttribute(lambda o: o.user.display_name)
    score = 90


def diagnostic() -> Diagnostic:
    return Diagnostic.objects.get_or_create(key="capacity")[0]


def diagnostic_response(user, scores: dict, *, at: dt.datetime | None = None, context="self") -> DiagnosticResponse:
    response = DiagnosticResponse.objects.create(user=user, association=user.association, diagnostic=diagnostic(), scores=scores,
                                                 average=round(sum(scores.values()) / max(len(scores), 1)), context=context)
    if at is not None:
        DiagnosticResponse.objects.filter(pk=response.pk).update(created_at=at)
        response.refresh_from_db()
    return response


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    intermediary = factory.SubFactory(IntermediaryFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")


class CohortMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortMembership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory, is_learner=True)


def coach_profile(
    user=None,
    *,
    topics: dict[str, int] | None = None,
    tags: dict[str, int] | None = None,
    languages: dict[str, int] | None = None,
    vetted: bool = True,
    city: str = "Lyon",
    country: str = "FR",
    remote: bool = True,
    in_person: bool = False,
    time_zone: str = "Europe/Paris",
    capacity: int = 10,
    **extra,
) -> CoachProfile:
    user = user or UserFactory(is_coach=True)
    profile = CoachProfile.objects.create(
        user=user, city=city, country=country, works_remotely=remote, works_in_person=in_person, time_zone=time_zone,
        monthly_capacity_hours=capacity, is_vetted=vetted, vetted_at=timezone.now() if vetted else None, **extra,
    )
    for key, level in (topics if topics is not None else {"finance": 3}).items():
        CoachSkill.objects.create(profile=profile, topic=topic(key), level=level)
    for tag, level in (tags or {}).items():
        CoachSkill.objects.create(profile=profile, tag=tag, level=level)
    for code, level in (languages if languages is not None else {"fr": 3}).items():
        CoachLanguage.objects.create(profile=profile, language=code, level=level)
    return profile


def coaching_request(learner, *, topic_key: str = "finance", status: str = CoachingRequest.Status.OPEN, **fields) -> CoachingRequest:
    """A request row as the service would leave it (use services in tests of the rules themselves)."""
    today = timezone.localdate()
    values = {
        "languages": ["fr"], "need": "Notre budget n'est jamais à jour.", "expected_result": "Un budget annuel voté.",
        "format": CoachingRequest.Format.REMOTE, "country": "FR", "city": "Lyon", "time_zone": "Europe/Paris",
        "hours_wanted": 6, "starts_on": today, "ends_on": today + dt.timedelta(days=89), "association": learner.association,
    }
    values.update(fields)
    values.setdefault("created_by", learner)
    return CoachingRequest.objects.create(learner=learner, topic=topic(topic_key), status=status, **values)
