"""A failed form keeps what was typed and says what is wrong beside each field, with a summary on top
whose links lead to the fields (issue 12, item 2). Every form is drawn by the same templates
(templates/forms/), so these few forms stand for all of them."""
import datetime as dt

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from coaching import services
from tests.coaching.conftest import world  # noqa: F401  (the coaching world fixture)
from tests.coaching.factories import coaching_request

pytestmark = pytest.mark.django_db


def _doc(response):
    assert response.status_code in (200, 400), response.status_code
    return lxml.html.fromstring(response.content.decode())


def assert_field_error(doc, field_id: str, message: str | None = None):
    """The field says it is invalid, points at its own message, and the summary links to it."""
    [field] = doc.xpath(f'//*[@id="{field_id}"]')
    assert field.get("aria-invalid") == "true", lxml.html.tostring(field)
    described = (field.get("aria-describedby") or "").split()
    assert f"{field_id}_error" in described, described
    [error] = doc.xpath(f'//*[@id="{field_id}_error"]')
    if message:
        assert message in error.text_content()
    summaries = doc.xpath('//*[contains(concat(" ", @class, " "), " error-summary ")]')
    assert summaries, "no error summary"
    links = [a.get("href") for s in summaries for a in s.xpath(".//a")]
    assert f"#{field_id}" in links, links
    # The summary comes before the field in the page.
    position = {el: i for i, el in enumerate(doc.iter())}
    assert position[summaries[0]] < position[field]


def test_a_session_with_a_future_date_keeps_the_notes_and_the_duration(client_as, world):  # noqa: F811
    request = coaching_request(world.learner, cohort=world.cohort)
    mission = services.proposal_accept(proposal=services.proposal_create(request=request, coach=world.coach_profile,
                                                                         by=world.staff), by=world.coach)
    world.coach.preferred_language = "fr"
    world.coach.save(update_fields=["preferred_language"])
    client = client_as(world.coach)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("coaching:session-create", args=[mission.pk]),
                           {"held_on": future, "duration_minutes": "75", "notes": "Relecture du plan de trésorerie."})
    doc = _doc(response)
    with translation.override("fr"):
        message = translation.gettext("Log a session once it has taken place: the date cannot be in the future.")
        heading = translation.gettext("This form has a problem. Correct it to continue:")
    assert_field_error(doc, "id_held_on", message)
    assert doc.xpath('//textarea[@id="id_notes"]')[0].text_content().strip() == "Relecture du plan de trésorerie."
    assert doc.xpath('//input[@id="id_duration_minutes"]')[0].get("value") == "75"
    assert doc.xpath('//input[@id="id_held_on"]')[0].get("value") == future
    assert heading in doc.text_content()
    # The form is shown open, and nothing was logged.
    assert doc.xpath('//form[.//input[@id="id_held_on"]]/ancestor::details[@open]')
    assert mission.sessions.count() == 0


def test_a_cohort_form_keeps_what_was_typed(client, staff):
    staff.preferred_language = "zh-hans"
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(reverse("cohorts:create"), {
        "intermediary": staff.staff_memberships.get().intermediary_id, "name": "Promotion Chengdu",
        "description": "十二位社会组织负责人", "language": "zh-hans", "stalled_after_days": "0"})
    doc = _doc(response)
    assert_field_error(doc, "id_stalled_after_days")
    assert doc.xpath('//input[@id="id_name"]')[0].get("value") == "Promotion Chengdu"
    assert doc.xpath('//textarea[@id="id_description"]')[0].text_content().strip() == "十二位社会组织负责人"
    with translation.override("zh-hans"):
        assert translation.gettext("This form has a problem. Correct it to continue:") in doc.text_content()


def test_a_module_form_keeps_what_was_typed(client_as, trainer):
    response = client_as(trainer).post(reverse("courses:module-create"), {
        "slug": "pas un slug !", "level": "1", "estimated_minutes": "30", "source_language": "fr",
        "title": "Trésorerie", "summary": "Pour les trésoriers."})
    doc = _doc(response)
    assert_field_error(doc, "id_slug")
    assert_field_error(doc, "id_topic")
    assert doc.xpath('//input[@id="id_title"]')[0].get("value") == "Trésorerie"
    assert doc.xpath('//textarea[@id="id_summary"]')[0].text_content().strip() == "Pour les trésoriers."


def test_a_signup_form_keeps_what_was_typed_but_not_the_password(client, settings):
    settings.ESSOR_OPEN_SIGNUP = True
    response = client.post(reverse("accounts:signup"), {
        "role": "learner", "display_name": "Li Wei", "email": "not-an-email", "password": "a-Long-test-passw0rd",
        "preferred_language": "zh-hans", "association_name": "成都社区互助会"})
    doc = _doc(response)
    assert_field_error(doc, "id_email")
    assert doc.xpath('//input[@id="id_display_name"]')[0].get("value") == "Li Wei"
    assert doc.xpath('//input[@id="id_association_name"]')[0].get("value") == "成都社区互助会"
    assert not doc.xpath('//input[@id="id_password"]')[0].get("value")


def test_help_texts_that_fields_point_at_exist(client_as, trainer):
    """aria-describedby never names an element that is not in the page."""
    doc = _doc(client_as(trainer).get(reverse("courses:module-create")))
    for element in doc.xpath("//*[@aria-describedby]"):
        for ref in element.get("aria-describedby").split():
            assert doc.xpath(f'//*[@id="{ref}"]'), (element.get("id"), ref)

