"""Issue #17 in Chromium, on the demo data (seed_demo): the funder's network view and its report, the
intermediary overview and its report, at 1280 and 360 px, with real figures and no learner's name on a
network page; the report's PDF prepared from the page, downloaded and its pages rendered to PNG
(var/screenshots/impact-*), to be looked at."""
import importlib
import io
import re
import subprocess

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import IntermediaryStaff, User
from core.demo import demo_password
from impact.demo import NETWORK_STAFF_EMAIL
from impact.models import Network
from tests.conftest import BROWSER_TIMEOUT_MS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_STAFF_EMAIL = "staff@essor.demo"
NUMBER = re.compile(r"\d")


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VAR_DIR = tmp_path
    # The topics a data migration wrote are gone when an earlier transactional test flushed the tables.
    importlib.import_module("courses.migrations.0003_create_topics").create_topics(apps, None)
    call_command("seed_demo", "--force", stdout=io.StringIO())
    return Network.objects.get(slug="fondation-essor-demo")


def at_both_widths(browser, live_server, page, url: str, shot) -> str:
    """The page at 1280 px (screenshot), then at 360 px with the same session (screenshot, no sideways scroll).
    Returns the page's text at 1280 px."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    page.screenshot(path=str(shot.with_name(shot.name + "-1280.png")), full_page=True)
    text = page.inner_text("main")
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url,
                                  storage_state=page.context.storage_state())
    phone = context.new_page()
    phone.set_default_timeout(BROWSER_TIMEOUT_MS)
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    phone.screenshot(path=str(shot.with_name(shot.name + "-360.png")), full_page=True)
    context.close()
    assert width <= 360, f"{url} is {width}px wide at 360px"
    return text


def figures(page, selector: str) -> list[str]:
    return [cell.strip() for cell in page.locator(selector).all_inner_texts()]


def test_demo_funder_sees_two_intermediaries_in_aggregate_only(demo, page, browser, live_server, screenshot_dir):
    links = demo.intermediary_links.filter(status="accepted").select_related("intermediary")
    assert links.count() == 2
    names = [link.intermediary.name for link in links]
    learner_names = [n for n in User.objects.filter(is_learner=True).values_list("display_name", flat=True) if n]
    learner_emails = list(User.objects.filter(is_learner=True).values_list("email", flat=True))
    assert len(learner_names) >= 20

    browser_login(page, NETWORK_STAFF_EMAIL, demo_password())
    page.goto("/impact/")
    page.click(f"main a:has-text('{demo.name}')")
    page.wait_for_url(re.compile(rf"/impact/networks/{demo.pk}/$"))
    for url, shot in ((f"/impact/networks/{demo.pk}/", "impact-network"),
                      (f"/impact/networks/{demo.pk}/intermediaries/", "impact-network-members"),
                      (f"/impact/reports/network/{demo.pk}/", "impact-network-report")):
        text = at_both_widths(browser, live_server, page, url, screenshot_dir / shot)
        html = page.content()
        if shot != "impact-network-report":  # the network's report is one set of figures, not a line per intermediary
            for name in names:
                assert name in text, (url, name)
        for name in learner_names:
            assert name not in html, (url, name)
        for email in learner_emails:
            assert email not in html, (url, email)
        if shot == "impact-network":
            rows = page.locator("tbody tr[data-intermediary]")
            assert rows.count() == 2
            learners = figures(page, "tbody tr[data-intermediary] td[data-figure=learners]")
            assert all(NUMBER.search(value) for value in learners), learners  # "14", or "< 5" for a small line
            total = page.locator("tfoot td[data-figure=learners]").inner_text().strip()
            assert int(total) >= 20, total
            assert page.locator("main svg").count() >= 1
        if shot == "impact-network-report":
            values = figures(page, "[data-key='reach.leaders']")
            assert values and int(values[0].replace("\u202f", "").replace(",", "")) >= 20, values
            assert page.locator("main svg").count() >= 1


def test_demo_staff_overview_and_report_with_its_pdf(demo, page, browser, live_server, screenshot_dir):
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    intermediary = IntermediaryStaff.objects.filter(user=staff).first().intermediary
    browser_login(page, DEMO_STAFF_EMAIL, demo_password())
    page.goto("/impact/")
    page.click(f"main a[href='/impact/intermediaries/{intermediary.pk}/']")
    page.wait_for_url(re.compile(rf"/impact/intermediaries/{intermediary.pk}/$"))

    text = at_both_widths(browser, live_server, page, f"/impact/intermediaries/{intermediary.pk}/",
                          screenshot_dir / "impact-overview")
    cohort_names = list(intermediary.cohorts.values_list("name", flat=True))
    assert cohort_names and all(name in text for name in cohort_names)
    total = int(page.locator("tfoot td[data-figure=learners]").inner_text().strip())
    assert total >= 14
    assert any(int(v) > 0 for v in figures(page, "tfoot td[data-figure=certificates]") if v.isdigit())
    assert page.locator("main svg").count() >= 1

    url = f"/impact/reports/intermediary/{intermediary.pk}/"
    at_both_widths(browser, live_server, page, url, screenshot_dir / "impact-report")
    assert page.locator("main svg").count() >= 2
    learners = page.locator("[data-key='reach.leaders']").first.inner_text().strip()
    assert int(learners) >= 14, learners
    assert NUMBER.search(page.locator("[data-key='coaching.hours']").first.inner_text())

    # The PDF: prepared by the worker (eager here), the status page offers it, its pages rendered to PNG.
    page.click("main form.inline-form button[type=submit]")
    page.wait_for_url(re.compile(r"/impact/reports/pdf/\d+/$"))
    link = page.locator("a[href$='/download/']")
    link.wait_for()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    pdf = screenshot_dir / "impact-report.pdf"
    pdf.write_bytes(response.body())
    for old in screenshot_dir.glob("impact-report-pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(screenshot_dir / "impact-report-pdf")], check=True, timeout=120)
    pages = sorted(screenshot_dir.glob("impact-report-pdf-*.png"))
    assert len(pages) >= 2
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert intermediary.name in " ".join(text.split()) or intermediary.name.split()[0] in text
    assert str(total) in text
