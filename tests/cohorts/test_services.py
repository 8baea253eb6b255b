"""Cohorts: creating, joining (with or without an account), leaving, several cohorts, modules added later."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from cohorts.models import CohortInvitation, CohortMembership
from cohorts.services import (
    ModuleAssignment,
    cohort_create,
    cohort_join,
    cohort_join_new_user,
    cohort_leave,
    cohort_update,
    invitation_create,
    invitation_revoke,
)
from courses.models import Module
from learners.models import Enrollment
from learners.services import lesson_progress_record
from tests.factories import UserFactory
from tests.learners.factories import module_with_lessons

from .factories import cohort_for, link, member

pytestmark = pytest.mark.django_db


def test_staff_create_a_cohort_with_ordered_modules_and_facilitators(staff, intermediary, module_a, module_b):
    target = timezone.localdate() + timedelta(days=30)
    cohort = cohort_create(intermediary=intermediary, created_by=staff, name="  Printemps  ", language="zh-hans",
                           modules=[ModuleAssignment(module=module_b, target_date=target), ModuleAssignment(module=module_a)],
                           facilitators=[staff], stalled_after_days=10)
    assert cohort.name == "Printemps"
    assert list(cohort.cohort_modules.values_list("module__slug", "position", "target_date")) == [
        ("volunteers", 1, target), ("money-basics", 2, None)]
    assert list(cohort.facilitators.all()) == [staff]


def test_only_staff_of_the_organisation_create_its_cohorts(other_staff, intermediary, module_a):
    with pytest.raises(PermissionDenied):
        cohort_create(intermediary=intermediary, created_by=other_staff, name="x", modules=[ModuleAssignment(module=module_a)])


@pytest.mark.parametrize("kwargs, field", [
    ({"modules": []}, "modules"),
    ({"language": "klingon"}, "language"),
    ({"stalled_after_days": 0}, "stalled_after_days"),
    ({"starts_on": timezone.localdate(), "ends_on": timezone.localdate() - timedelta(days=1)}, "ends_on"),
])
def test_cohort_rules_are_sentences_on_the_right_field(staff, intermediary, module_a, kwargs, field):
    data = {"name": "x", "modules": [ModuleAssignment(module=module_a)], **kwargs}
    with pytest.raises(ValidationError) as error:
        cohort_create(intermediary=intermediary, created_by=staff, **data)
    assert field in error.value.message_dict
    assert error.value.message_dict[field][0].endswith(".")


def test_draft_modules_and_outsider_facilitators_are_refused(staff, other_staff, intermediary, module_a):
    draft = module_with_lessons(status=Module.Status.DRAFT)
    with pytest.raises(ValidationError, match="not published"):
        cohort_create(intermediary=intermediary, created_by=staff, name="x", modules=[ModuleAssignment(module=draft)])
    with pytest.raises(ValidationError, match="must be staff"):
        cohort_create(intermediary=intermediary, created_by=staff, name="x", modules=[ModuleAssignment(module=module_a)],
                      facilitators=[other_staff])


def test_joining_enrols_in_the_cohorts_modules_and_is_idempotent(cohort, learner, module_a, module_b):
    invitation = link(cohort, max_uses=5)
    membership, created = cohort_join(invitation=invitation, user=learner)
    again, created_again = cohort_join(invitation=invitation, user=learner)
    assert created and not created_again and membership.pk == again.pk
    assert set(Enrollment.objects.filter(user=learner).values_list("module_id", flat=True)) == {module_a.pk, module_b.pk}
    invitation.refresh_from_db()
    assert invitation.uses_count == 1


@pytest.mark.parametrize("change, message", [
    ({"revoked_at": timezone.now()}, "withdrawn"),
    ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
    ({"max_uses": 1, "uses_count": 1}, "as many times"),
])
def test_closed_invitations_are_refused_with_a_sentence(cohort, learner, change, message):
    invitation = link(cohort)
    CohortInvitation.objects.filter(pk=invitation.pk).update(**change)
    with pytest.raises(ValidationError, match=message):
        cohort_join(invitation=invitation, user=learner)
    assert not CohortMembership.objects.filter(user=learner).exists()


def test_max_uses_is_respected(cohort):
    invitation = link(cohort, max_uses=2)
    for _ in range(2):
        cohort_join(invitation=invitation, user=UserFactory())
    with pytest.raises(ValidationError):
        cohort_join(invitation=invitation, user=UserFactory())
    assert cohort.memberships.count() == 2


def test_invitation_rules(cohort, staff):
    with pytest.raises(ValidationError):
        invitation_create(cohort=cohort, created_by=staff, expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError):
        invitation_create(cohort=cohort, created_by=staff, max_uses=0)
    invitation = invitation_create(cohort=cohort, created_by=staff, max_uses=3)
    assert len(invitation.code) == 8 and invitation.state() == "open"
    assert invitation_revoke(invitation=invitation).state() == "revoked"


def test_a_new_learner_gets_an_account_an_association_and_enrolments(cohort, module_a):
    invitation = link(cohort)
    user, membership = cohort_join_new_user(
        invitation=invitation, email="New.Person@Example.org", display_name="Nouvelle Personne", password="a-Long-passw0rd-ok",
        preferred_language="zh-hans", association_name="阳光社区", association_country="CN", association_city="成都")
    assert user.email == "new.person@example.org" and user.check_password("a-Long-passw0rd-ok")
    assert user.is_learner and user.preferred_language == "zh-hans"
    assert (user.association.name, user.association.country) == ("阳光社区", "CN")
    assert membership.cohort == cohort
    assert Enrollment.objects.filter(user=user, module=module_a).exists()


def test_a_weak_password_or_an_existing_email_creates_nothing(cohort, learner):
    invitation = link(cohort)
    with pytest.raises(ValidationError) as error:
        cohort_join_new_user(invitation=invitation, email="x@example.org", display_name="X", password="123",
                             preferred_language="fr", association_name="Orphan association")
    assert "password" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        cohort_join_new_user(invitation=invitation, email=learner.email, display_name="X", password="a-Long-passw0rd-ok",
                             preferred_language="fr")
    assert "email" in error.value.message_dict
    assert not User.objects.filter(email="x@example.org").exists()
    from accounts.models import Association

    assert not Association.objects.filter(name="Orphan association").exists()


def test_a_personal_invitation_links_the_association_of_the_csv(cohort):
    invitation = CohortInvitation.objects.create(cohort=cohort, kind=CohortInvitation.Kind.PERSONAL, email="lea@example.org",
                                                 display_name="Léa", association_name="Jardins du Rhône", max_uses=1)
    lea = UserFactory(email="lea@example.org", association=None)
    cohort_join(invitation=invitation, user=lea)
    lea.refresh_from_db()
    assert lea.association.name == "Jardins du Rhône"
    with pytest.raises(ValidationError, match="another email address"):
        other = CohortInvitation.objects.create(cohort=cohort, kind=CohortInvitation.Kind.PERSONAL, email="lea@example.org",
                                                max_uses=1)
        cohort_join(invitation=other, user=UserFactory())


def test_new_user_from_a_personal_invitation_uses_the_invited_address(cohort):
    invitation = CohortInvitation.objects.create(cohort=cohort, kind=CohortInvitation.Kind.PERSONAL, email="wang@example.cn",
                                                 display_name="王芳", association_name="阳光社区助老服务社", language="zh-hans", max_uses=1)
    user, _ = cohort_join_new_user(invitation=invitation, email="someone-else@example.org", display_name="", password="a-Long-passw0rd-ok",
                                   preferred_language="zh-hans")
    assert user.email == "wang@example.cn" and user.display_name == "王芳"
    assert user.association.name == "阳光社区助老服务社"


def test_leaving_keeps_progress_and_coming_back_resumes(cohort, module_a):
    learner = member(cohort)
    enrollment = lesson_progress_record(user=learner, lesson=module_a.lessons.first())
    membership = CohortMembership.objects.get(cohort=cohort, user=learner)
    cohort_leave(membership=membership)
    assert membership.status == CohortMembership.Status.LEFT and membership.left_at
    enrollment.refresh_from_db()
    assert enrollment.lessons_done == 1 and enrollment.status == Enrollment.Status.ACTIVE
    _again, created = cohort_join(invitation=link(cohort), user=learner)
    membership.refresh_from_db()
    assert created and membership.status == CohortMembership.Status.ACTIVE
    assert Enrollment.objects.get(pk=enrollment.pk).lessons_done == 1


def test_a_learner_can_be_in_several_cohorts(staff, module_a, module_b):
    first = cohort_for(staff, module_list=[module_a], name="A")
    second = cohort_for(staff, module_list=[module_a, module_b], name="B")
    learner = member(first)
    member(second, learner)
    assert set(learner.cohort_memberships.values_list("cohort__name", flat=True)) == {"A", "B"}
    assert Enrollment.objects.filter(user=learner).count() == 2


def test_modules_added_later_are_given_to_members(cohort, module_a, module_b, django_capture_on_commit_callbacks):
    learner = member(cohort)
    extra = module_with_lessons()
    with django_capture_on_commit_callbacks(execute=True):
        cohort_update(cohort=cohort, data={"name": "Renamed"},
                      modules=[ModuleAssignment(module=extra), ModuleAssignment(module=module_a)])
    assert list(cohort.cohort_modules.values_list("module_id", flat=True)) == [extra.pk, module_a.pk]
    assert Enrollment.objects.filter(user=learner, module=extra).exists()
    # The module taken out of the cohort keeps the learner's enrolment (their own progress).
    assert Enrollment.objects.filter(user=learner, module=module_b).exists()


def test_update_refuses_unknown_fields(cohort):
    with pytest.raises(ValidationError):
        cohort_update(cohort=cohort, data={"intermediary": 3})
