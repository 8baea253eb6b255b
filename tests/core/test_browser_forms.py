"""A failed form in a real browser, at phone and laptop widths: the summary takes the focus, its link leads to
the field, what was typed is still there (issue 12, item 2); the single invitation form (item 7)."""
import datetime as dt

import pytest
from django.utils import timezone

from coaching import services
from tests.coaching.conftest import world  # noqa: F401
from tests.coaching.factories import coaching_request
from tests.conftest import browser_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [(360, 740), (1280, 800)]


@pytest.mark.parametrize("width, height", WIDTHS)
def test_a_session_with_a_future_date_in_the_browser(browser, live_server, world, screenshot_dir, width, height):  # noqa: F811
    request = coaching_request(world.learner, cohort=world.cohort)
    mission = services.proposal_accept(proposal=services.proposal_create(request=request, coach=world.coach_profile,
                                                                         by=world.staff), by=world.coach)
    world.coach.preferred_language = "zh-hans"
    world.coach.save(update_fields=["preferred_language"])
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    browser_login(page, world.coach.email, PASSWORD)
    page.goto(f"/coaching/missions/{mission.pk}/")
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page.fill("#id_held_on", future)
    page.fill("#id_duration_minutes", "75")
    page.fill("#id_notes", "梳理了全年的现金流预测。")
    with page.expect_navigation():
        page.locator("#id_notes").evaluate("el => el.form.requestSubmit()")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.input_value("#id_notes") == "梳理了全年的现金流预测。" and page.input_value("#id_duration_minutes") == "75"
    assert page.locator("#id_held_on").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(screenshot_dir / f"form-error-session-{width}.png"), full_page=True)
    page.locator(".error-summary a[href='#id_held_on']").click()
    assert page.evaluate("document.activeElement.id") == "id_held_on"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


@pytest.mark.parametrize("width, height", WIDTHS)
def test_the_single_invitation_form(browser, live_server, world, screenshot_dir, width, height):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    browser_login(page, world.staff.email, PASSWORD)
    page.goto(f"/cohorts/{world.cohort.pk}/invitations/")
    page.fill("#id_email", "wang.fang@")
    with page.expect_navigation():
        page.locator("#id_email").evaluate("el => el.form.requestSubmit()")
    assert page.input_value("#id_email") == "wang.fang@"
    assert page.locator(".error-summary").count() == 1
    page.screenshot(path=str(screenshot_dir / f"form-error-invite-{width}.png"), full_page=True)
    page.fill("#id_email", "wang.fang@example.cn")
    with page.expect_navigation():
        page.locator("#id_email").evaluate("el => el.form.requestSubmit()")
    assert "wang.fang@example.cn" in page.locator(".messages").inner_text()
    page.screenshot(path=str(screenshot_dir / f"invite-sent-{width}.png"), full_page=True)
    context.close()
