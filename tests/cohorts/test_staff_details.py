"""Cohort staff details (issue 12, item 7): one invitation without a CSV file, modules enrolled in the order the
cohort gives them, the creator pre-ticked as facilitator."""
import pytest
from django.core import mail
from django.urls import reverse

from cohorts.models import CohortInvitation
from learners.selectors.dashboard import dashboard_for_learner, enrollment_list
from tests.factories import IntermediaryStaffFactory, UserFactory

from .factories import cohort_for, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _invite(client, cohort, **data):
    return client.post(reverse("cohorts:invite-single", kwargs={"pk": cohort.pk}), data, follow=True)


def test_one_person_is_invited_without_a_csv(en, staff, cohort, django_capture_on_commit_callbacks):
    en.force_login(staff)
    page = en.get(reverse("cohorts:invitations", kwargs={"pk": cohort.pk})).content.decode()
    assert reverse("cohorts:invite-single", kwargs={"pk": cohort.pk}) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(en, cohort, email="Wang.Fang@example.cn", language="zh-hans")
    assert response.status_code == 200
    invitation = CohortInvitation.objects.get(cohort=cohort, kind=CohortInvitation.Kind.PERSONAL)
    assert (invitation.email, invitation.language, invitation.max_uses) == ("wang.fang@example.cn", "zh-hans", 1)
    assert [m.to for m in mail.outbox] == [["wang.fang@example.cn"]]


def test_the_answer_does_not_say_whether_the_address_has_an_account(en, staff, cohort, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org", is_learner=True)
    en.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        known = _invite(en, cohort, email="known@example.org", language="fr").content.decode()
        unknown = _invite(en, cohort, email="unknown@example.org", language="fr").content.decode()

    def message(page):
        start = page.index('class="message message-')
        return page[start:page.index("</", start)].replace("unknown@example.org", "X").replace("known@example.org", "X")

    assert message(known) == message(unknown)
    assert "account" not in message(known).lower()


def test_a_bad_address_is_explained_and_kept(en, staff, cohort):
    en.force_login(staff)
    response = en.post(reverse("cohorts:invite-single", kwargs={"pk": cohort.pk}), {"email": "wang.fang@", "language": "zh-hans"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="wang.fang@"' in page and "error-summary" in page and 'aria-invalid="true"' in page
    assert not CohortInvitation.objects.filter(kind=CohortInvitation.Kind.PERSONAL).exists()
    response = en.post(reverse("cohorts:invite-single", kwargs={"pk": cohort.pk}), {"email": "a" * 300 + "@example.org",
                                                                                     "language": "xx"})
    assert response.status_code == 200 and not CohortInvitation.objects.filter(kind=CohortInvitation.Kind.PERSONAL).exists()


def test_a_member_is_not_invited_again(en, staff, cohort):
    learner = member(cohort)
    en.force_login(staff)
    _invite(en, cohort, email=learner.email, language="fr")
    assert not CohortInvitation.objects.filter(kind=CohortInvitation.Kind.PERSONAL).exists()


def test_staff_of_another_organisation_cannot_invite(en, cohort):
    en.force_login(IntermediaryStaffFactory().user)
    response = en.post(reverse("cohorts:invite-single", kwargs={"pk": cohort.pk}), {"email": "x@example.org", "language": "fr"})
    assert response.status_code == 404
    assert not CohortInvitation.objects.filter(kind=CohortInvitation.Kind.PERSONAL).exists()


@pytest.mark.parametrize("order", [("money-basics", "volunteers"), ("volunteers", "money-basics")])
def test_modules_are_enrolled_in_the_cohorts_order(staff, module_a, module_b, order):
    by_slug = {module.slug: module for module in (module_a, module_b)}
    cohort = cohort_for(staff, module_list=[by_slug[slug] for slug in order])
    learner = member(cohort)
    assert tuple(e.module.slug for e in enrollment_list(user=learner)) == order
    dashboard = dashboard_for_learner(user=learner, language="en")
    assert tuple(row.enrollment.module.slug for row in dashboard.in_progress) == order


def test_the_creator_is_pre_ticked_as_facilitator(en, staff, module_a):
    en.force_login(staff)
    page = en.get(reverse("cohorts:create")).content.decode()
    start = page.index(f'value="{staff.pk}"', page.index('name="facilitators"') - 200)
    tag = page[page.rindex("<input", 0, start):page.index(">", start)]
    assert "checked" in tag, tag
