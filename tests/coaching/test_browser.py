"""In Chromium: a learner with a certificate asks for coaching (pre-filled), staff see the ranked
coaches with the reasons and propose one, the coach accepts, a session is logged, the mission is
closed by both sides, both give feedback, and the cohort's results show it with the change in the
self-diagnostic. Screenshots at 1100 and
360 px wide go to var/screenshots/coaching-*.png."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import CoachingRequest, Feedback, Mission
from tests.coaching.conftest import fr
from tests.conftest import BROWSER_TIMEOUT_MS, browser_login
from tests.factories import PASSWORD

from .factories import diagnostic_response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots(page, screenshot_dir, name: str) -> None:
    page.set_viewport_size({"width": 1100, "height": 900})
    page.screenshot(path=str(screenshot_dir / f"coaching-{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(screenshot_dir / f"coaching-{name}-360.png"), full_page=True)
    # Nothing may stick out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    page.set_viewport_size({"width": 1100, "height": 900})


def as_user(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    browser_login(page, user.email, PASSWORD)
    return page


def test_from_certificate_to_feedback(browser, live_server, world, screenshot_dir):
    diagnostic_response(world.learner, {"finance": 35, "strategy": 60})

    # 1. The learner asks for coaching after the module; the form is pre-filled.
    learner = as_user(browser, live_server, world.learner)
    learner.goto("/coaching/requests/new/?module=basic-finance")
    expect(learner.locator("text=Gestion financière de base")).to_be_visible()
    expect(learner.locator("text=" + fr("%(score)s out of 100", score=35))).to_be_visible()
    assert learner.input_value("input[name=city]") == "Lyon"
    assert learner.is_checked("input[name=languages][value=fr]")
    learner.fill("textarea[name=need]", "Notre trésorerie est tendue chaque hiver et personne ne suit le budget.")
    learner.fill("textarea[name=expected_result]", "Un plan de trésorerie sur douze mois que le bureau sait tenir.")
    shots(learner, screenshot_dir, "1-request-form")
    learner.click("button[name=send]")
    learner.wait_for_url("**/coaching/requests/*/")
    sent = fr("Your request has been sent. The intermediary will propose a coach who fits.")
    expect(learner.locator(".message", has_text=sent)).to_be_visible()
    request = CoachingRequest.objects.get(learner=world.learner)
    assert request.status == "open" and request.diagnostic_score_before == 35

    # 2. Staff see the coaches ranked with the reasons, and propose the first.
    staff = as_user(browser, live_server, world.staff)
    staff.goto("/coaching/")
    staff.click(f"a[href='/coaching/requests/{request.pk}/ranking/']")
    first = staff.locator("article.candidate").first
    assert world.coach.display_name in first.inner_text()
    assert "Declared level in this topic: Expert." in first.inner_text()
    assert "Speaks Français (Native or bilingual), the learner's first language." in first.inner_text()
    shots(staff, screenshot_dir, "2-ranking")
    first.locator("button", has_text=f"Propose {world.coach.display_name}").click()
    expect(staff.locator(".message", has_text="has been asked")).to_be_visible()

    # 3. The coach reads the proposal (no contact details yet) and accepts.
    coach = as_user(browser, live_server, world.coach)
    coach.goto("/coaching/")
    coach.locator("a.row-title").first.click()
    assert world.learner.email not in coach.content() and world.learner.phone not in coach.content()
    shots(coach, screenshot_dir, "3-proposal")
    coach.click("text=I accept this mission")
    coach.wait_for_url("**/coaching/missions/*/")
    assert world.learner.email in coach.locator(".contact").inner_text()

    # 4. The coach writes the objectives, logs a session and asks to close the mission.
    coach.fill("textarea[name=objectives]", "1. Un budget 2027 voté.\n2. Un tableau de trésorerie tenu chaque mois.")
    coach.click("text=Save the objectives")
    coach.fill("input[name=held_on]", timezone.localdate().isoformat())
    coach.fill("input[name=duration_minutes]", "90")
    coach.fill("textarea[name=notes]", "Lecture commentée du budget 2026.")
    coach.click("button:has-text('Log the session')")
    expect(coach.locator(".message", has_text="The session has been logged")).to_be_visible()
    coach.click("button:has-text('The mission is completed')")
    shots(coach, screenshot_dir, "4-mission-coach")

    # 5. The learner agrees, confirms the end and gives feedback.
    learner.goto("/coaching/")
    learner.locator("a.row-title", has_text="Finance").click()
    assert world.coach.email in learner.locator(".contact").inner_text()
    learner.click("text=" + fr("I agree with these objectives"))
    learner.click("text=" + fr("Yes, the mission is completed"))
    learner.check("input[name=rating][value='5']")
    learner.fill("textarea[name=comment]", "Très concret, merci !")
    learner.click("text=" + fr("Send my feedback"))
    expect(learner.locator(".message", has_text=fr("Thank you for your feedback."))).to_be_visible()
    shots(learner, screenshot_dir, "5-mission-learner")

    # 6. The coach gives feedback too.
    coach.reload()
    coach.check("input[name=rating][value='4']")
    coach.click("text=Send my feedback")
    mission = Mission.objects.get(request=request)
    assert dict(Feedback.objects.filter(mission=mission).values_list("role", "rating")) == {"learner": 5, "coach": 4}
    assert mission.minutes_logged == 90 and mission.request.status == "completed"

    # 7. The learner retakes the self-diagnostic (a page of the learners app: its row is written here),
    #    and the intermediary sees the mission and the change in the cohort's results.
    diagnostic_response(world.learner, {"finance": 60, "strategy": 65}, context="mission_end")
    staff.goto("/coaching/cohorts/")
    row = staff.locator("tr", has_text=world.cohort.name)
    assert "1.5" in row.inner_text() and "5.0 / 5" in row.inner_text() and "+25" in row.inner_text()
    staff.click(f"text={world.cohort.name}")
    shots(staff, screenshot_dir, "6-cohort")
    for page in (learner, staff, coach):
        page.context.close()
