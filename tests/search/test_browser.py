"""Searching in Chromium from the header, in French and in Chinese, at 1280 px and 360 px wide, on the shipped
curriculum: results, marked words, the reader's language first, the link opens the lesson at the section
found, nothing wider than the screen. Screenshots go to var/screenshots/search-*.png."""
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import call_command

from learners.services import COMPLETED, lesson_progress_record
from tests.conftest import BROWSER_TIMEOUT_MS, browser_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def search_from_header(page, query: str) -> None:
    page.fill("#site-search-q", query)
    page.press("#site-search-q", "Enter")
    page.wait_for_load_state()


def test_searching_in_french_and_chinese_on_a_laptop_and_a_phone(browser, live_server, screenshot_dir):
    from courses.models import Lesson
    from courses.topics import topics_ensure

    topics_ensure()
    call_command("import_content", str(settings.CONTENT_DIR), "--publish", verbosity=0)
    user = UserFactory(email="wang@example.org", display_name="王芳", preferred_language="zh-hans", is_learner=True)
    lesson_progress_record(user=user, lesson=Lesson.objects.get(module__slug="basic-finance", slug="cash-flow"), event=COMPLETED)

    # A visitor at 1280 px, interface in French.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    page.goto("/learn/")
    search_from_header(page, "tresorerie")
    assert page.locator("html").get_attribute("lang") == "fr"
    results = page.locator(".search-result")
    assert results.count() >= 3
    assert page.locator(".search-result mark", has_text="trésorerie").count() >= 3  # found without the accents
    assert page.locator(".search-status").count() == 0  # a visitor has no progress
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "search-fr-1280.png"), full_page=True)
    page.locator(".search-title a", has_text="trésorerie").first.click()
    page.wait_for_load_state()
    assert "/learn/basic-finance/cash-flow/" in page.url
    context.close()

    # A Chinese learner on a phone, 360 px: the header box, Chinese words, then a French word.
    context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    browser_login(page, user.email, PASSWORD)
    page.goto("/learn/")
    # On a phone the header's search box is in its menu, one tap away.
    assert not page.locator("#site-search-q").is_visible()
    page.click(".nav-toggle")
    assert page.locator("#site-search-q").is_visible() and no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "search-header-zh-360.png"))
    search_from_header(page, "现金流")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    first = page.locator(".search-result").first
    assert "现金流" in first.locator(".search-title").inner_text()
    assert first.locator(".search-status-read").is_visible()  # read on another day
    assert page.locator(".search-extract mark", has_text="现金流").count() >= 3
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "search-zh-360.png"), full_page=True)

    page.fill("#search-q", "志愿者保险")
    page.press("#search-q", "Enter")
    page.wait_for_load_state()
    rules = page.locator(".search-result", has=page.locator("a[href*='/volunteer-management/recognition-and-rules/']"))
    assert rules.locator("mark", has_text="保险").count() >= 1
    rules.locator(".search-title a").click()
    page.wait_for_load_state()
    assert "/learn/volunteer-management/recognition-and-rules/#h-" in page.url
    section = unquote(page.url.split("#", 1)[1])
    assert page.locator(f"[id='{section}']").is_visible()  # the heading of the section found

    page.goto("/search/")
    page.fill("#search-q", "bénévoles")
    page.press("#search-q", "Enter")
    page.wait_for_load_state()
    assert page.locator("#search-group-other").is_visible()  # French lessons, under "other languages"
    assert page.locator("#search-group-reader").count() == 0
    assert page.locator(".search-result mark", has_text="bénévoles").count() >= 3
    assert page.locator(".search-title a[href*='?lang=fr']").count() >= 3
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "search-fr-query-zh-360.png"), full_page=True)
    context.close()
