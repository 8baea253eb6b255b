"""The site frame in a real browser: log in, switch language on the same page, phone width."""
import pytest

from tests.conftest import browser_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_language_switch_keep_the_page(page, screenshot_dir):
    user = UserFactory(email="amina@example.org", preferred_language="fr", is_learner=True)
    browser_login(page, user.email, PASSWORD)
    page.goto("/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == "fr"
    with page.expect_navigation():  # the select submits its form on change
        page.select_option("#lang-select", "zh-hans")
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    page.screenshot(path=str(screenshot_dir / "profile-zh-hans.png"), full_page=True)


def test_home_at_360_px_has_no_horizontal_scroll(browser, live_server, screenshot_dir):
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide at a 360px viewport"
    page.screenshot(path=str(screenshot_dir / "home-360-zh-hans.png"), full_page=True)
    context.close()


def test_an_inline_script_is_blocked_and_counted_as_a_violation(page):
    from tests.conftest import CSP_VIOLATIONS

    page.goto("/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.ran = true";
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.ran === undefined")  # the policy refused it
    assert any("script-src" in text for text in CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()  # this test's violation was the point; the fixture checks the others


def test_api_docs_and_admin_work_under_the_policy(page, admin_user):
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30000)  # Swagger UI started from its external script
    assert page.locator(".opblock").count() > 10
    page.goto("/api/redoc/")  # Redoc would load its logo from a CDN: the address leads to Swagger UI
    assert page.url.endswith("/api/docs/")
    browser_login(page, admin_user.email, PASSWORD)
    page.goto("/admin/accounts/user/")
    assert page.locator("#result_list").count() == 1
