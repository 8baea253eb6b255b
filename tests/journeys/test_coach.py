"""The coach's journey in Chromium: sign up as a coach (confirmed by the emailed link) → the coach profile →
vetted by an intermediary's staff → a request that fits in the marketplace → proposed, accepted → a session logged
(a date in the future refused first, beside its field, with what was typed kept) → the mission closed by both →
feedback. Screenshots: var/journeys/coach-<width>/."""
import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from coaching.models import CoachingRequest, Feedback, Mission
from tests.coaching.factories import (
    CertificateFactory,
    CohortFactory,
    CohortMembershipFactory,
    ModuleFactory,
    all_topics,
    coaching_request,
    topic,
)
from tests.factories import AssociationFactory, IntermediaryStaffFactory, UserFactory

from .conftest import WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("journey", WIDTHS, indirect=True)
def test_coach_journey(journey):
    all_topics()
    staff_member = IntermediaryStaffFactory(user__display_name="Claire Facilitatrice", user__preferred_language=journey.language,
                                            is_manager=True)
    staff = staff_member.user
    learner = UserFactory(is_learner=True, display_name="王芳", preferred_language=journey.language,
                          association=AssociationFactory(name="阳光社区助老服务社", city="Chengdu", country="CN"))
    cohort = CohortFactory(intermediary=staff_member.intermediary, name="Promotion Chengdu 2026")
    CohortMembershipFactory(cohort=cohort, user=learner)
    module = ModuleFactory(slug="basic-finance", topic=topic("finance"), titles={"fr": "Gestion financière de base",
                                                                                  "zh-hans": "基础财务管理"})
    CertificateFactory(user=learner, module=module)
    request = coaching_request(learner, cohort=cohort, languages=["fr", "zh-hans"], city="Chengdu", country="CN", time_zone="Asia/Shanghai",
                               need="我们每年冬天现金紧张，没有人跟进预算。", expected_result="一份理事会能维护的现金流计划。")

    # 1. Sign up as a coach; the account opens from the emailed link.
    coach_page = journey.actor()
    coach_page.goto("/accounts/signup/")
    coach_page.check("input[name=role][value=coach]")
    coach_page.fill("input[name=display_name]", "Julien Moreau")
    email = f"julien.{journey.width}@example.org"
    coach_page.fill("input[name=email]", email)
    coach_page.fill("input[name=password]", "a-Long-passw0rd-ok")
    coach_page.select_option("select[name=preferred_language]", journey.language)
    journey.step(coach_page, "signup")
    coach_page.click("main form[method=post] button[type=submit]")
    coach_page.wait_for_url("**/accounts/signup/sent/")
    journey.step(coach_page, "signup-sent")
    link = next(line for message in mail.outbox for line in message.body.splitlines() if "/accounts/signup/confirm/" in line)
    coach_page.goto("/accounts/signup/confirm/" + link.split("/accounts/signup/confirm/", 1)[1].strip())
    journey.step(coach_page, "signup-confirm")
    coach_page.click("main form[method=post] button[type=submit]")
    coach_page.wait_for_load_state()
    coach = User.objects.get(email=email)
    assert coach.is_coach and coach.is_active

    # 2. The coach profile: skills, languages, where and how much.
    coach_page.goto("/coaching/profile/")
    coach_page.select_option("select[name=country]", "CN")
    coach_page.fill("input[name=city]", "Chengdu")
    coach_page.check("input[name=works_remotely]")
    coach_page.select_option("select[name=time_zone]", "Asia/Shanghai")
    coach_page.fill("input[name=monthly_capacity_hours]", "8")
    coach_page.select_option("select[name=skill_finance]", "3")
    coach_page.select_option("select[name=language_fr]", "3")
    coach_page.select_option("select[name='language_zh-hans']", "2")
    coach_page.fill("textarea[name=bio]", "Contrôleur de gestion, quinze ans dans l'économie sociale et solidaire.")
    journey.step(coach_page, "profile-form")
    coach_page.click("main form[method=post] button[type=submit]")
    coach_page.wait_for_load_state()
    expect(coach_page.locator(".message").first).to_be_visible()
    journey.step(coach_page, "profile-saved")

    # 3. Staff vet the new coach.
    staff_page = journey.actor(staff)
    staff_page.goto("/coaching/coaches/")
    journey.step(staff_page, "staff-coaches")
    staff_page.click(f"form[action='/coaching/coaches/{coach.coach_profile.pk}/vet/'] button[type=submit]")
    expect(staff_page.locator(".message").first).to_contain_text("Julien Moreau")
    coach.coach_profile.refresh_from_db()
    assert coach.coach_profile.is_vetted
    journey.step(staff_page, "staff-vetted")

    # 4. The coach sees the request that fits.
    coach_page.goto("/coaching/marketplace/")
    expect(coach_page.locator(f"a[href='/coaching/requests/{request.pk}/']")).to_be_visible()
    journey.step(coach_page, "marketplace")

    # 5. Staff propose the coach; the coach accepts.
    staff_page.goto(f"/coaching/requests/{request.pk}/ranking/")
    candidate = staff_page.locator("article.candidate", has_text="Julien Moreau")
    expect(candidate).to_be_visible()
    journey.step(staff_page, "staff-ranking")
    candidate.locator(f"form[action='/coaching/requests/{request.pk}/propose/'] button[type=submit]").click()
    staff_page.wait_for_load_state()
    coach_page.goto("/coaching/")
    journey.step(coach_page, "coach-home-proposal")
    coach_page.locator("a[href^='/coaching/proposals/']").first.click()
    coach_page.wait_for_url(re.compile(r"/coaching/proposals/\d+/$"))
    journey.step(coach_page, "proposal")
    coach_page.click("form[action$='/accept/'] button[type=submit]")
    coach_page.wait_for_url(re.compile(r"/coaching/missions/\d+/$"))
    mission = Mission.objects.get(request=request)
    expect(coach_page.locator(".contact")).to_contain_text(learner.email)
    journey.step(coach_page, "mission-accepted")

    # 6. A session dated tomorrow is refused beside its field; the duration and notes stay as typed.
    coach_page.fill("textarea[name=objectives]", "1. 通过2027年预算。\n2. 每月更新现金流表。")
    coach_page.click(f"form[action='/coaching/missions/{mission.pk}/objectives/'] button[type=submit]")
    coach_page.wait_for_load_state()
    session_form = f"form[action='/coaching/missions/{mission.pk}/sessions/']"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    coach_page.fill(f"{session_form} input[name=held_on]", tomorrow.isoformat())
    coach_page.fill(f"{session_form} input[name=duration_minutes]", "90")
    coach_page.fill(f"{session_form} textarea[name=notes]", "Lecture commentée du budget 2026.")
    coach_page.click(f"{session_form} button[type=submit]")
    expect(coach_page.locator("#id_held_on_error")).to_be_visible()
    expect(coach_page.locator("input[name=held_on]")).to_have_attribute("aria-invalid", "true")
    expect(coach_page.locator("input[name=duration_minutes]")).to_have_value("90")
    expect(coach_page.locator("textarea[name=notes]")).to_have_value("Lecture commentée du budget 2026.")
    journey.step(coach_page, "session-error")
    coach_page.fill("input[name=held_on]", timezone.localdate().isoformat())
    coach_page.click(f"{session_form} button[type=submit]")
    expect(coach_page.locator(".message", has_text=journey.t("The session has been logged."))).to_be_visible()
    journey.step(coach_page, "session-logged")

    # 7. The coach closes the mission, the learner agrees; both give feedback.
    coach_page.click(f"form[action='/coaching/missions/{mission.pk}/complete/'] button[type=submit]")
    coach_page.wait_for_load_state()
    learner_page = journey.actor(learner)
    learner_page.goto(f"/coaching/missions/{mission.pk}/")
    learner_page.click(f"form[action='/coaching/missions/{mission.pk}/complete/'] button[type=submit]")
    learner_page.wait_for_load_state()
    learner_page.check("input[name=rating][value='5']")
    learner_page.fill("textarea[name=comment]", "非常具体，谢谢！")
    learner_page.click(f"form[action='/coaching/missions/{mission.pk}/feedback/'] button[type=submit]")
    expect(learner_page.locator(".message", has_text=journey.t("Thank you for your feedback."))).to_be_visible()
    journey.step(learner_page, "learner-feedback")
    coach_page.reload()
    coach_page.check("input[name=rating][value='4']")
    coach_page.fill("textarea[name=comment]", "Une équipe motivée, un budget enfin suivi.")
    journey.step(coach_page, "coach-feedback-form")
    coach_page.click(f"form[action='/coaching/missions/{mission.pk}/feedback/'] button[type=submit]")
    expect(coach_page.locator(".message", has_text=journey.t("Thank you for your feedback."))).to_be_visible()
    journey.step(coach_page, "coach-feedback-sent")
    assert dict(Feedback.objects.filter(mission=mission).values_list("role", "rating")) == {"learner": 5, "coach": 4}
    assert CoachingRequest.objects.get(pk=request.pk).status == "completed"
