"""The whole loop in Chromium, with a real Celery worker: staff create a cohort, invite by CSV (dry
run with bad rows, then confirm), an invitee joins by the emailed link, makes progress, staff see it
on the dashboard, export with the progress bar and download the file."""
import re

import pytest

from accounts.models import User
from cohorts.models import Cohort, CohortExport
from learners.services import lesson_progress_record
from tests.conftest import browser_login
from tests.factories import PASSWORD, IntermediaryStaffFactory
from tests.learners.factories import module_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CSV = """email,name,association,language
lea.martin@example.org,Léa Martin,Les Jardins du Rhône,fr
not-an-email,Paul Bad,Asso,fr
wang.fang@example.cn,王芳,阳光社区助老服务社,zh-hans
tom@example.org,Tom,Harbour Club,klingon
lea.martin@example.org,Léa twice,,fr
"""


def no_horizontal_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def phone_screenshot(browser, live_server, page, url: str, path) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url,
                                  storage_state=page.context.storage_state())
    phone = context.new_page()
    phone.goto(url)
    width = no_horizontal_scroll(phone)
    phone.screenshot(path=str(path), full_page=True)
    context.close()
    assert width <= 360, f"{url} is {width}px wide at a 360px viewport"


def test_create_invite_join_progress_dashboard_export(page, browser, live_server, celery_worker, screenshot_dir):
    # The worker is another process: it writes the export under the default var/exports, where the site reads it.
    staff = IntermediaryStaffFactory(user__display_name="Claire Facilitatrice", user__email="claire@example.org").user
    module_a = module_with_lessons(lessons=3, questions=2, slug="basic-finance")
    module_b = module_with_lessons(lessons=2, questions=0, slug="volunteers")
    browser_login(page, staff.email, PASSWORD)

    # 1. Create the cohort.
    page.goto("/cohorts/new/")
    page.fill("#id_name", "Promotion test — Lyon")
    page.check(f"input[name=facilitators][value='{staff.pk}']")
    page.fill(f"input[name=module_{module_a.pk}_position]", "1")
    page.fill(f"input[name=module_{module_b.pk}_position]", "2")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/cohorts/\d+/invitations/$"))
    cohort = Cohort.objects.get(name="Promotion test — Lyon")

    # 2. CSV bulk invite: the dry run lists every row; bad ones with their line and reason.
    page.set_input_files("input[name=file]", files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    page.click("text=Check the file (nothing is sent yet)")
    page.wait_for_url(re.compile(r"/invitations/csv/\d+/$"))
    assert page.locator("tr[data-action=error]").count() == 3
    assert page.locator("tr[data-line='3'][data-error=invalid_email]").count() == 1
    assert page.locator("tr[data-line='5'][data-error=unknown_language]").count() == 1
    assert "already on line 2" in page.locator("tr[data-line='6']").inner_text()
    page.screenshot(path=str(screenshot_dir / "cohorts-csv-dry-run.png"), full_page=True)
    phone_screenshot(browser, live_server, page, page.url, screenshot_dir / "cohorts-csv-dry-run-360.png")
    assert celery_worker.mails() == []  # nothing sent by the dry run
    page.click("[data-confirm-import]")
    page.wait_for_url(re.compile(r"/invitations/$"))
    mails = celery_worker.wait_for(lambda: len(celery_worker.mails()) == 2 and celery_worker.mails())
    lea_mail = next(m for m in mails if "lea.martin@example.org" in m)
    join_path = re.search(r"/cohorts/join/[\w-]+/", lea_mail).group(0)

    # 3. The invitee joins by the link, creating her account; she is told who sees her progress.
    invitee_context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    invitee = invitee_context.new_page()
    invitee.goto(join_path)
    assert "Claire Facilitatrice" in invitee.locator("[data-consent]").first.inner_text()
    assert invitee.input_value("#id_email") == "lea.martin@example.org"
    invitee.fill("#id_password", "a-Long-passw0rd-ok")
    invitee.click("text=Create my account and join")
    invitee.wait_for_load_state()
    assert "facilitators now see your progress" in invitee.content()
    invitee_context.close()
    lea = User.objects.get(email="lea.martin@example.org")
    assert lea.association.name == "Les Jardins du Rhône"

    # 4. Progress (through the learner services: the lesson pages are another engineer's).
    for lesson in list(module_a.lessons.all())[:2]:
        lesson_progress_record(user=lea, lesson=lesson)

    # 5. Staff see it on the dashboard.
    page.goto(f"/cohorts/{cohort.pk}/")
    cell = page.locator(f"tr[data-learner='{lea.pk}'] td[data-module='{module_a.pk}']")
    assert cell.get_attribute("data-percent") == "50" and cell.get_attribute("data-status") == "in_progress"
    assert page.locator("[data-figure=learners]").inner_text() == "1"
    assert page.locator("[data-figure=started]").inner_text() == "1"
    page.screenshot(path=str(screenshot_dir / "cohorts-dashboard.png"), full_page=True)
    phone_screenshot(browser, live_server, page, page.url, screenshot_dir / "cohorts-dashboard-360.png")

    # 6. Export with the progress bar, then download.
    page.goto(f"/cohorts/{cohort.pk}/exports/")
    page.check("input[name=format][value=csv]")
    page.click("text=Prepare the export")
    page.wait_for_url(re.compile(r"/exports/\d+/$"))
    assert page.locator("[role=progressbar]").count() == 1
    page.wait_for_selector("a[data-download]", timeout=60000)
    assert page.locator("[role=progressbar]").get_attribute("aria-valuenow") == "100"
    page.screenshot(path=str(screenshot_dir / "cohorts-export.png"), full_page=True)
    with page.expect_download() as download_info:
        page.click("a[data-download]")
    content = open(download_info.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Léa Martin" in content and "basic-finance" in content and ",50," in content
    assert CohortExport.objects.get().status == "done"
