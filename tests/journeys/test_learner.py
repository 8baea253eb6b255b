"""The learner's journey in Chromium: join by an invitation link → self-diagnostic → a module in Chinese →
French from the middle of the module → side by side → quiz failed, then passed → certificate → the public
verification page → a request for a pro bono coach. Screenshots: var/journeys/learner-<width>/."""
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from coaching.models import CoachingRequest
from courses.models import Choice, Module
from learners.models import Certificate, Enrollment
from tests.coaching.factories import all_topics
from tests.cohorts.factories import cohort_for, link
from tests.conftest import ROOT
from tests.factories import IntermediaryStaffFactory

from .conftest import WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "basic-finance"


def prose_language(page) -> str:
    return page.locator("article.lesson .prose").first.get_attribute("lang")


def mark_done(page) -> None:
    page.click(".lesson-done button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("journey", WIDTHS, indirect=True)
def test_learner_journey(journey):
    all_topics()  # the topics of a fresh database (a transactional test empties the migration's rows)
    call_command("import_content", str(ROOT / "content"), publish=True, verbosity=0)
    module = Module.objects.get(slug=SLUG)
    staff = IntermediaryStaffFactory(user__display_name="Claire Facilitatrice").user
    cohort = cohort_for(staff, module_list=[module], name="Promotion Chengdu–Lyon")
    invitation = link(cohort)
    email = f"learner-{journey.width}@example.org"

    # 1. The invitation link: what the cohort is and who will see the progress; an account is created.
    page = journey.actor()
    page.goto(f"/cohorts/join/{invitation.token}/")
    expect(page.locator("[data-consent]").first).to_contain_text("Claire Facilitatrice")
    page.fill("#id_display_name", "王芳 Wang Fang")
    page.fill("#id_email", email)
    page.fill("#id_password", "a-Long-passw0rd-ok")
    page.select_option("#id_preferred_language", journey.language)
    page.fill("#id_association_name", "阳光社区助老服务社")
    page.fill("#id_association_city", "Chengdu")
    journey.step(page, "join-link")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/learn/dashboard/")
    expect(page.locator(".message").first).to_contain_text(cohort.name)
    journey.step(page, "joined-dashboard")
    user = User.objects.get(email=email)
    assert Enrollment.objects.filter(user=user, module=module).exists()

    # 2. The self-diagnostic: finance rated lowest, the finance module is recommended.
    page.goto("/learn/diagnostic/")
    expect(page.locator("h1")).to_have_text(journey.t("Capacity self-diagnostic"))
    journey.step(page, "diagnostic-form")
    for fieldset in page.locator("fieldset.statement").all():
        radios = fieldset.locator("input[type=radio]")
        name = radios.first.get_attribute("name")
        radios.nth(0 if name.startswith("finance") else radios.count() - 1).check()
    page.click("form.diagnostic-form button[type=submit]")
    page.wait_for_url("**/learn/diagnostic/#results")
    expect(page.locator("#results")).to_be_visible()
    recommended = page.locator(f"#results a[href='/learn/{SLUG}/']").first
    expect(recommended).to_be_visible()
    journey.step(page, "diagnostic-results")

    # 3. The module, read in Chinese.
    recommended.click()
    page.wait_for_url(f"**/learn/{SLUG}/")
    journey.step(page, "module")
    page.locator(f"main a[href^='/learn/{SLUG}/']").filter(has_not_text="quiz").first.click()
    page.wait_for_url(re.compile(rf"/learn/{SLUG}/[\w-]+/$"))
    if prose_language(page) != "zh-hans":
        page.click("form.lang-buttons button[value=zh-hans]")
        page.wait_for_load_state()
    assert prose_language(page) == "zh-hans"
    journey.step(page, "lesson-1-zh-hans")
    mark_done(page)
    mark_done(page)
    assert prose_language(page) == "zh-hans"
    journey.step(page, "lesson-3-zh-hans")

    # 4. French from the middle of the module: same place, the choice saved on the enrolment.
    place = page.url
    page.click("form.lang-buttons button[value=fr]")
    page.wait_for_load_state()
    assert page.url == place and prose_language(page) == "fr"
    assert Enrollment.objects.get(user=user, module=module).content_language == "fr"
    journey.step(page, "lesson-3-fr")

    # 5. Side by side.
    page.click("a[href*='view=side-by-side']")
    page.wait_for_load_state()
    expect(page.locator(".side-by-side > .sbs-row").first.locator(".column")).to_have_count(2)
    journey.step(page, "lesson-3-side-by-side")
    while page.locator(".lesson-done button[type=submit]").count():
        mark_done(page)
    assert page.url.endswith(f"/learn/{SLUG}/quiz/")
    journey.step(page, "quiz")

    # 6. The quiz, failed: which questions were wrong, no correct answers revealed.
    choices = Choice.objects.filter(question__quiz__module=module)
    correct = set(choices.filter(is_correct=True).values_list("pk", flat=True))
    for question in page.locator("form.quiz fieldset.question").all():
        inputs = question.locator("input[name^='q-']")
        for i in range(inputs.count()):
            box = inputs.nth(i)
            if int(box.get_attribute("value")) not in correct:
                box.check()
                break
    page.click("form.quiz button[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/$"))
    expect(page.locator(".score")).to_be_visible()
    assert page.locator(".completion").count() == 0
    journey.step(page, "quiz-failed")

    # 7. The quiz again, passed.
    page.goto(f"/learn/{SLUG}/quiz/")
    for box in page.locator("form.quiz input[name^='q-']").all():
        if int(box.get_attribute("value")) in correct:
            box.check()
        elif box.get_attribute("type") == "checkbox":
            box.uncheck()
    page.click("form.quiz button[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/$"))
    expect(page.locator(".completion")).to_be_visible()
    expect(page.locator(".score")).to_contain_text("100")
    journey.step(page, "quiz-passed")
    passed_url = page.url

    # 8. The certificate, then its public verification page.
    page.click(".completion a[href*='/certificates/']")
    page.wait_for_url("**/certificates/*/")
    certificate = Certificate.objects.get(user=user, module=module)
    expect(page.locator(".cred-facts")).to_contain_text("王芳")
    journey.step(page, "certificate")
    # The link is absolute, on the site's public address (ESSOR_SITE_URL, not the test's live server): open its path.
    verify = page.locator(f".cred-facts a[href$='/verify/{certificate.code}']").first.get_attribute("href")
    page.goto(urlsplit(verify).path)
    expect(page.locator("main")).to_contain_text("王芳")
    assert email not in page.locator("main").inner_text()
    journey.step(page, "verify")

    # 9. A request for a pro bono coach on the topic, pre-filled from what the site knows.
    page.goto(passed_url)
    page.click(f".completion a[href*='module={SLUG}']")
    page.wait_for_url("**/coaching/requests/new/**")
    page.fill("textarea[name=need]", "我们每年冬天现金紧张，没有人跟进预算。")
    page.fill("textarea[name=expected_result]", "一份理事会能维护的十二个月现金流计划。")
    journey.step(page, "coaching-request-form")
    page.click("button[name=send]")
    page.wait_for_url(re.compile(r"/coaching/requests/\d+/$"))
    sent = journey.t("Your request has been sent. The intermediary will propose a coach who fits.")
    expect(page.locator(".message", has_text=sent)).to_be_visible()
    journey.step(page, "coaching-requested")
    assert CoachingRequest.objects.get(learner=user).status == "open"
