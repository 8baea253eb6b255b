"""In Chromium: sign up, then log in, with a phone number and the code read from the SMS files the
file backend writes (VAR_DIR/sms of this test), at 360 px wide. Screenshots: var/screenshots/phone-*.png."""
import re
import time

import pytest

from accounts.models import User
from config.env import sms_settings
from tests.conftest import BROWSER_TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def read_code(sms_dir, phone: str, seen: set) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for path in sorted(sms_dir.glob("*.txt")):
            if path.name not in seen and phone.lstrip("+") in path.name:
                seen.add(path.name)
                return re.search(r"\b(\d{6})\b", path.read_text(encoding="utf-8").split("\n\n", 1)[1]).group(1)
        time.sleep(0.2)
    raise AssertionError(f"No SMS for {phone} in {sms_dir}")


def test_sign_up_and_log_in_with_a_phone_number_and_the_sms_code(browser, live_server, settings, tmp_path, screenshot_dir):
    var_dir = tmp_path / "var"
    for name, value in sms_settings("file://var/sms", var_dir).items():
        setattr(settings, name, value)
    settings.ESSOR_PHONE_CODE_INTERVAL_SECONDS = 0
    sms_dir, seen = var_dir / "sms", set()

    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    page.goto("/accounts/login/")
    page.click("a[href^='/accounts/phone/']")
    page.fill("input[name=phone]", "138 0013 8000")
    page.screenshot(path=str(screenshot_dir / "phone-login-360.png"), full_page=True)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/phone/code/")
    assert "+8613800138000" in page.content()
    page.fill("input[name=code]", read_code(sms_dir, "+8613800138000", seen))
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/phone/signup/")
    page.fill("input[name=display_name]", "王芳")
    page.fill("input[name=association_name]", "成都社区互助会")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "王芳" in page.content()
    user = User.objects.get(phone="+8613800138000")
    assert user.email is None and user.phone_verified_at is not None and user.preferred_language == "zh-hans"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()

    # Another day, another browser: log in with the number alone.
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    page.goto("/accounts/phone/")
    page.fill("input[name=phone]", "+86 138 0013 8000")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/phone/code/")
    page.fill("input[name=code]", read_code(sms_dir, "+8613800138000", seen))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto("/accounts/profile/")
    assert "+8613800138000" in page.content()
    page.screenshot(path=str(screenshot_dir / "phone-profile.png"), full_page=True)
    context.close()


def test_wechat_qr_log_in_against_the_local_stand_in(browser, live_server, settings):
    """The log-in page's WeChat button goes to the stand-in (the person "scans" and agrees), comes back
    to the site, which fetches the token and the profile from the stand-in, and the person is logged in."""
    from tests.accounts.test_wechat import BACKENDS
    from tests.accounts.wechat_standin import WeChatStandIn

    stand_in = WeChatStandIn(apps={"wx_web_app": "web-secret"}, nickname="李娜")
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.ESSOR_WECHAT_WEB_APP_ID = settings.SOCIAL_AUTH_WEIXIN_KEY = "wx_web_app"
    settings.SOCIAL_AUTH_WEIXIN_SECRET = "web-secret"
    settings.ESSOR_WECHAT_OPEN_URL = settings.ESSOR_WECHAT_API_URL = stand_in.url
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=live_server.url, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        page.goto("/accounts/login/")
        page.click("form.wechat-login button")
        # Logged in: the home page sends a learner on to their dashboard.
        page.wait_for_url(re.compile(re.escape(live_server.url) + r"/(learn/dashboard/)?$"))
        assert "李娜" in page.content()
        assert stand_in.calls == ["/connect/qrconnect", "/sns/oauth2/access_token", "/sns/userinfo"]
        user = User.objects.get(social_auth__provider="weixin")
        assert user.display_name == "李娜"
        page.goto("/accounts/profile/")
        assert page.locator("#wechat form button").count() == 1        # unlink (refused: the only way in)
        context.close()
    finally:
        stand_in.close()
