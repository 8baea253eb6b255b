"""Demo data of the impact app: a second intermediary with its own cohort, and a funder's network
that both intermediaries accepted, with a network staff login (aggregates only). Idempotent."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Intermediary, IntermediaryStaff, User
from cohorts.demo import _learner, _stage
from cohorts.models import Cohort, CohortMembership
from cohorts.services import ModuleAssignment, cohort_create, cohort_join, cohort_stats_rebuild, invitation_create
from core.demo import demo_password
from courses.models import Module

from .models import Network, NetworkMembership, NetworkStaff

NETWORK_STAFF_EMAIL = "funder@essor.demo"
SECOND_STAFF_EMAIL = "staff.shanghai@essor.demo"
COHORT_NAME = "学习班 2026 — 上海"

LEARNERS = [
    ("wu.lei", "吴磊", "zh-hans", "浦东社区互助会", "CN", "上海", "completed"),
    ("sun.li", "孙丽", "zh-hans", "静安长者关爱中心", "CN", "上海", "completed"),
    ("zhou.qiang", "周强", "zh-hans", "徐汇青年志愿者协会", "CN", "上海", "completed_two"),
    ("huang.mei", "黄梅", "zh-hans", "杨浦环保行动", "CN", "上海", "in_progress"),
    ("xu.tao", "徐涛", "zh-hans", "闵行外来务工子女课堂", "CN", "上海", "completed"),
    ("ma.jun", "马军", "zh-hans", "长宁残障融合社", "CN", "上海", "stalled"),
    ("hu.yan", "胡燕", "zh-hans", "普陀读书会", "CN", "上海", "completed"),
    ("guo.hua", "郭华", "zh-hans", "虹口社区厨房", "CN", "上海", "not_started"),
]


def _user(email: str, name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=demo_password(), display_name=name, preferred_language=language)
    return user


def seed(context: dict, stdout=None) -> None:
    first = context.get("intermediary")
    second, _created = Intermediary.objects.get_or_create(
        slug="shanghai-hub-demo",
        defaults={"name": "上海社区社会组织孵化中心 — 演示", "kind": Intermediary.Kind.COMMUNITY_CENTRE, "country": "CN",
                  "city": "上海"})
    second_staff = _user(SECOND_STAFF_EMAIL, "陈晓", "zh-hans")
    IntermediaryStaff.objects.get_or_create(intermediary=second, user=second_staff, defaults={"is_manager": True})
    modules = list(Module.objects.filter(status=Module.Status.PUBLISHED).order_by("topic__position", "level", "slug")[:2])
    if modules and not Cohort.objects.filter(intermediary=second, name=COHORT_NAME).exists():
        today = timezone.localdate()
        cohort = cohort_create(intermediary=second, created_by=second_staff, name=COHORT_NAME, language="zh-hans",
                               starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60), facilitators=[second_staff],
                               modules=[ModuleAssignment(module=m) for m in modules])
        invitation = invitation_create(cohort=cohort, created_by=second_staff)
        cohort_modules = [cm.module for cm in cohort.cohort_modules.select_related("module").order_by("position")]
        for index, (key, name, language, association, country, city, stage) in enumerate(LEARNERS):
            user = _learner(key, name, language, association, country, city)
            if CohortMembership.objects.filter(cohort=cohort, user=user).exists():
                continue
            cohort_join(invitation=invitation, user=user)
            _stage(user, stage, cohort_modules, index)
        cohort_stats_rebuild(cohort_id=cohort.pk)   # _stage dates the completions behind the services' back
    network, _created = Network.objects.get_or_create(
        slug="fondation-essor-demo", defaults={"name": "Fondation Essor — démo", "kind": Network.Kind.FUNDER, "country": "FR"})
    funder = _user(NETWORK_STAFF_EMAIL, "Hélène Robert", "fr")
    NetworkStaff.objects.get_or_create(network=network, user=funder, defaults={"is_manager": True})
    for intermediary in (first, second):
        if intermediary is not None:
            NetworkMembership.objects.get_or_create(
                network=network, intermediary=intermediary,
                defaults={"status": NetworkMembership.Status.ACCEPTED, "responded_at": timezone.now()})
    context.setdefault("logins", []).extend([("network staff (funder)", NETWORK_STAFF_EMAIL),
                                             ("intermediary staff (Shanghai)", SECOND_STAFF_EMAIL)])
    if stdout is not None:
        stdout.write(f"Impact: network “{network.name}” with {network.intermediary_links.filter(status='accepted').count()} "
                     "intermediaries.")
