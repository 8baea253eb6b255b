"""The design in Chromium, measured: a one-row header with a menu on a phone, a grid of module cards on a laptop
(in progress first), side-by-side reading aligned section by section, the footer at the bottom of a short page.
Screenshots go to var/screenshots/design-*.png."""
import pytest

from learners.services import COMPLETED, enrollment_create, lesson_progress_record
from tests.conftest import BROWSER_TIMEOUT_MS, browser_login
from tests.factories import PASSWORD, UserFactory
from tests.learners.factories import curriculum_module, module_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


def _page(browser, live_server, viewport, **kwargs):
    context = browser.new_context(viewport=viewport, base_url=live_server.url, **kwargs)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context, page


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not displayed"
    return box


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_phone_header_is_one_row_and_its_menu_reaches_every_link(browser, live_server, screenshot_dir, javascript):
    user = UserFactory(email="staff.phone@example.org", display_name="Camille Laurent-Dubois", preferred_language="fr",
                       is_learner=True, is_trainer=True, is_coach=True)
    context, page = _page(browser, live_server, PHONE, java_script_enabled=javascript)
    browser_login(page, user.email, PASSWORD)
    page.goto("/learn/")
    header = page.locator(".site-header")
    # One row: the brand and the menu button (three rows, 150 px and more, with the navigation cut before).
    assert _box(header)["height"] <= 72, f"the header is {_box(header)['height']} px tall at 360 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    toggle = page.locator(".nav-toggle")
    assert toggle.is_visible() and not page.locator(".main-nav a").first.is_visible()
    page.screenshot(path=str(screenshot_dir / f"design-header-360-{'js' if javascript else 'nojs'}.png"))
    toggle.click()
    links = page.locator(".main-nav a")
    assert links.count() >= 4  # Modules, my learning, authoring, coaching
    for i in range(links.count()):
        link = links.nth(i)
        box = _box(link)
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 360, link.inner_text()
        assert link.evaluate("el => el.scrollWidth <= el.clientWidth"), f"cut: {link.inner_text()}"
    for selector in ("#site-search-q", "#lang-select", "form[action='/accounts/logout/'] button"):
        assert page.locator(selector).is_visible(), selector
    page.screenshot(path=str(screenshot_dir / f"design-menu-360-{'js' if javascript else 'nojs'}.png"), full_page=True)
    if javascript:  # Escape closes the menu and gives the focus back to its button.
        page.locator(".main-nav a").first.focus()
        page.keyboard.press("Escape")
        assert not links.first.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
        # A tap outside the open menu (below its panel, on the page) closes it; a tap inside leaves it open.
        toggle.click()
        page.locator("#site-search-q").click()
        assert links.first.is_visible()
        page.mouse.click(180, PHONE["height"] - 20)
        assert not links.first.is_visible()
    context.close()

    # On a laptop the menu is open and its button hidden: the links are in the header row.
    context, page = _page(browser, live_server, LAPTOP, java_script_enabled=javascript)
    browser_login(page, user.email, PASSWORD)
    page.goto("/learn/")
    assert not page.locator(".nav-toggle").is_visible()
    assert page.locator(".main-nav a").first.is_visible()
    page.screenshot(path=str(screenshot_dir / f"design-header-1280-{'js' if javascript else 'nojs'}.png"))
    # One row with JavaScript; without it the language menu has its own button and the row may wrap, within the page.
    assert _box(page.locator(".site-header"))["height"] <= (80 if javascript else 130)
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    context.close()


def test_the_catalogue_is_a_grid_of_cards_with_covers_and_what_is_in_progress_first(browser, live_server, screenshot_dir):
    modules = [module_with_lessons(slug=slug, topic_key=topic) for slug, topic in
               (("aa-budget", "finance"), ("bb-volunteers", "volunteers"), ("cc-strategy", "strategy"),
                ("dd-elsewhere", "no-cover-drawn"))]
    user = UserFactory(email="grid@example.org", preferred_language="fr", is_learner=True)
    started = modules[2]
    enrollment_create(user=user, module=started, language="fr")
    lesson_progress_record(user=user, lesson=started.lessons.order_by("position").first(), event=COMPLETED)
    context, page = _page(browser, live_server, LAPTOP)
    browser_login(page, user.email, PASSWORD)
    page.goto("/learn/")
    cards = page.locator(".catalogue-grid .module-card")
    assert cards.count() == 4
    # In progress first, with its progress.
    assert "is-in-progress" in cards.first.get_attribute("class")
    assert cards.first.locator("a", has_text="cc-strategy").count()
    tops = [round(_box(cards.nth(i))["y"]) for i in range(cards.count())]
    assert tops.count(tops[0]) >= 3, f"fewer than 3 cards a row at 1280 px: {tops}"
    # A cover per topic, a fallback for a topic without one; level and length on the card.
    covers = [cards.nth(i).locator("img.module-cover").get_attribute("src") for i in range(4)]
    assert any(src.endswith("/strategy.svg") for src in covers) and any(src.endswith("/default.svg") for src in covers)
    assert all(page.evaluate("src => fetch(src).then(r => r.ok)", src) for src in covers)
    assert "minutes" in cards.first.locator(".module-facts").inner_text()
    page.screenshot(path=str(screenshot_dir / "design-catalogue-1280.png"), full_page=True)
    context.close()

    context, page = _page(browser, live_server, PHONE)
    browser_login(page, user.email, PASSWORD)
    page.goto("/learn/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "design-catalogue-360.png"), full_page=True)
    context.close()


def test_side_by_side_pairs_the_sections_and_a_phone_alternates_them(browser, live_server, screenshot_dir):
    module = curriculum_module("basic-finance")
    user = UserFactory(email="sbs@example.org", preferred_language="fr", is_learner=True)
    enrollment_create(user=user, module=module, language="fr")
    url = "/learn/basic-finance/cash-flow/?view=side-by-side&with=zh-hans"

    context, page = _page(browser, live_server, LAPTOP)
    browser_login(page, user.email, PASSWORD)
    page.goto(url)
    rows = page.locator(".side-by-side .sbs-row:not(.sbs-titles)")
    assert rows.count() >= 5  # the cash-flow lesson has 7 sections in both languages
    for i in range(rows.count()):
        first, second = rows.nth(i).locator(".column").nth(0), rows.nth(i).locator(".column").nth(1)
        assert (first.get_attribute("lang"), second.get_attribute("lang")) == ("fr", "zh-hans")
        assert abs(_box(first)["y"] - _box(second)["y"]) < 2 and _box(second)["x"] > _box(first)["x"]
    # Each row's headings are the same section in both languages (the French and Chinese headings line up).
    assert rows.nth(1).locator("h2").count() == 2
    assert abs(_box(rows.nth(1).locator("h2").nth(0))["y"] - _box(rows.nth(1).locator("h2").nth(1))["y"]) < 2
    page.screenshot(path=str(screenshot_dir / "design-side-by-side-1280.png"), full_page=True)
    context.close()

    context, page = _page(browser, live_server, PHONE)
    browser_login(page, user.email, PASSWORD)
    page.goto(url)
    rows = page.locator(".side-by-side .sbs-row:not(.sbs-titles)")
    first_fr, first_zh = rows.nth(0).locator(".column").nth(0), rows.nth(0).locator(".column").nth(1)
    second_fr = rows.nth(1).locator(".column").nth(0)
    # The first section in Chinese comes right after it in French, before the second section in French.
    assert _box(first_fr)["y"] < _box(first_zh)["y"] < _box(second_fr)["y"]
    # A learner scrolls one section, not the whole French lesson (over 4,000 px before), to reach its translation.
    distance = _box(first_zh)["y"] - _box(first_fr)["y"]
    assert distance < 1200, f"{distance} px from the first section to its translation"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "design-side-by-side-360.png"), full_page=True)
    context.close()


def test_the_footer_sits_at_the_bottom_of_a_short_page(browser, live_server):
    context, page = _page(browser, live_server, LAPTOP)
    page.goto("/accounts/login/")
    footer = _box(page.locator(".site-footer"))
    assert abs(footer["y"] + footer["height"] - LAPTOP["height"]) <= 1, footer
    context.close()
