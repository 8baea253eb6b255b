"""The intermediary's journey in Chromium, with a real Celery worker: create a cohort → invite one person, then a
CSV file with bad rows (checked line by line, then confirmed) → the dashboard → the stalled learners → an export
with its progress bar → the download → a reminder. Screenshots: var/journeys/intermediary-<width>/."""
import re

import pytest
from playwright.sync_api import expect

from cohorts.models import Cohort, CohortExport, CohortInvitation
from learners.services import lesson_progress_record
from tests.cohorts.factories import backdate, member
from tests.factories import IntermediaryStaffFactory
from tests.learners.factories import module_with_lessons

from .conftest import WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CSV = """email,name,association,language
lea.martin@example.org,Léa Martin,Les Jardins du Rhône,fr
not-an-email,Paul Bad,Asso,fr
wang.fang@example.cn,王芳,阳光社区助老服务社,zh-hans
tom@example.org,Tom,Harbour Club,klingon
"""


@pytest.mark.parametrize("journey", WIDTHS, indirect=True)
def test_intermediary_journey(journey, celery_worker):
    staff = IntermediaryStaffFactory(user__display_name="Claire Facilitatrice", user__preferred_language=journey.language,
                                     is_manager=True).user
    finance = module_with_lessons(lessons=3, questions=2, slug="basic-finance")
    volunteers = module_with_lessons(lessons=2, questions=1, slug="volunteers")
    page = journey.actor(staff)

    # 1. A new cohort: the creator is ticked as facilitator, modules in the order given.
    page.goto("/cohorts/new/")
    page.fill("#id_name", "Promotion 2026 — Chengdu")
    expect(page.locator(f"input[name=facilitators][value='{staff.pk}']")).to_be_checked()
    page.fill(f"input[name=module_{finance.pk}_position]", "1")
    page.fill(f"input[name=module_{volunteers.pk}_position]", "2")
    journey.step(page, "cohort-new")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(re.compile(r"/cohorts/\d+/invitations/$"))
    cohort = Cohort.objects.get(name="Promotion 2026 — Chengdu")
    expect(page.locator("#single-title")).to_be_visible()
    journey.step(page, "invitations")

    # 2. One person, by email.
    single = page.locator(f"form[action='/cohorts/{cohort.pk}/invitations/one/']")
    single.locator("input[name=email]").fill("zhang.wei@example.cn")
    single.locator("input[name=display_name]").fill("张伟")
    single.locator("select[name=language]").select_option("zh-hans")
    single.locator("button[type=submit]").click()
    expect(page.locator("td", has_text="zhang.wei@example.cn")).to_be_visible()
    journey.step(page, "invited-one")

    # 3. A CSV file: the dry run shows every line, the bad ones with their reason; nothing is sent before confirming.
    page.set_input_files("input[name=file]", files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    page.click(f"form[action='/cohorts/{cohort.pk}/invitations/csv/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/invitations/csv/\d+/$"))
    expect(page.locator("tr[data-action=error]")).to_have_count(2)
    expect(page.locator("tr[data-line='3'][data-error=invalid_email]")).to_have_count(1)
    expect(page.locator("tr[data-line='5'][data-error=unknown_language]")).to_have_count(1)
    journey.step(page, "csv-dry-run")
    page.click("[data-confirm-import]")
    page.wait_for_url(re.compile(r"/invitations/$"))
    journey.step(page, "csv-confirmed")
    celery_worker.wait_for(lambda: len(celery_worker.mails()) >= 3)
    assert CohortInvitation.objects.filter(cohort=cohort, kind=CohortInvitation.Kind.PERSONAL).count() == 3

    # Learners arrive (through the join service) and work: one active, two stalled for three weeks.
    active = member(cohort, display_name="Léa Martin")
    for lesson in list(finance.lessons.order_by("position"))[:2]:
        lesson_progress_record(user=active, lesson=lesson)
    stalled = []
    for name in ("王芳", "Paul Durand"):
        learner = member(cohort, display_name=name)
        lesson_progress_record(user=learner, lesson=finance.lessons.order_by("position").first())
        backdate(learner, days=21)
        stalled.append(learner)

    # 4. The dashboard.
    page.goto(f"/cohorts/{cohort.pk}/")
    expect(page.locator("[data-figure=learners]")).to_have_text("3")
    expect(page.locator("dd[data-figure=stalled]")).to_have_text("2")
    journey.step(page, "dashboard")

    # 5. Only the stalled learners.
    page.select_option("select[name=status]", "stalled")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"status=stalled"))
    expect(page.locator("table.matrix tbody tr")).to_have_count(2)
    expect(page.locator("table.matrix")).not_to_contain_text("Léa Martin")
    journey.step(page, "dashboard-stalled")

    # 6. A reminder to them.
    for learner in stalled:
        page.check(f"#pick-{learner.pk}")
    page.click(f"form[action='/cohorts/{cohort.pk}/reminders/'] button[type=submit]")
    expect(page.locator(".message").first).to_be_visible()
    journey.step(page, "reminded")
    celery_worker.wait_for(lambda: sum("Paul Durand" in mail or "王芳" in mail for mail in celery_worker.mails()) >= 2)

    # 7. The export for a funder, with its progress bar, then the file.
    page.goto(f"/cohorts/{cohort.pk}/exports/")
    journey.step(page, "exports")
    page.check("input[name=format][value=csv]")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(re.compile(r"/exports/\d+/$"))
    expect(page.locator("[role=progressbar]")).to_have_count(1)
    expect(page.locator("a[data-download]")).to_be_visible()
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    journey.step(page, "export-ready")
    with page.expect_download() as download_info:
        page.click("a[data-download]")
    content = open(download_info.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Léa Martin" in content and "王芳" in content and "basic-finance" in content
    assert CohortExport.objects.get().status == "done"
