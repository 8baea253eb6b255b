"""WeChat log-in against a local stand-in of WeChat's OAuth endpoints (tests/accounts/wechat_standin.py),
the backends pointed at it by settings: sign-up, log-in, linking to an account, unlinking; off by default."""
from urllib.request import HTTPRedirectHandler, build_opener

import pytest

from accounts.models import User
from tests.accounts.wechat_standin import WeChatStandIn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.UserBackend",
            "accounts.wechat.WeChatQRBackend", "accounts.wechat.WeChatOfficialAccountBackend"]
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; V2148A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0 "
             "Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64")


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def stand_in(settings):
    # Through pytest-django's `settings` (not a nested override_settings): a test that also changes a setting
    # through `settings` would otherwise restore, at its teardown, the WeChat settings this fixture had undone,
    # and WeChat would stay on for the next tests of the worker (the route table expects it off: 404).
    server = WeChatStandIn(apps={"wx_web_app": "web-secret", "wx_mp_app": "mp-secret"})
    for name, value in {"AUTHENTICATION_BACKENDS": BACKENDS, "ESSOR_WECHAT_WEB_APP_ID": "wx_web_app",
                        "ESSOR_WECHAT_MP_APP_ID": "wx_mp_app", "SOCIAL_AUTH_WEIXIN_KEY": "wx_web_app",
                        "SOCIAL_AUTH_WEIXIN_SECRET": "web-secret", "SOCIAL_AUTH_WEIXINAPP_KEY": "wx_mp_app",
                        "SOCIAL_AUTH_WEIXINAPP_SECRET": "mp-secret", "ESSOR_WECHAT_OPEN_URL": server.url,
                        "ESSOR_WECHAT_API_URL": server.url}.items():
        setattr(settings, name, value)
    yield server
    server.close()


def wechat_round_trip(client, backend: str = "weixin", **headers):
    """The browser's part: begin on the site, go to WeChat (the stand-in), come back with the code."""
    response = client.post(f"/accounts/social/login/{backend}/", **headers)
    assert response.status_code == 302, response
    location = response["Location"]
    import urllib.error

    try:
        build_opener(NoRedirect).open(location)
    except urllib.error.HTTPError as redirect:
        callback = redirect.headers["Location"]
    path = callback[callback.index("/accounts/social/complete/"):]
    return location, client.get(path, **headers)


def test_off_by_default_no_wechat_link(client):
    assert b"/accounts/social/login/" not in client.get("/accounts/login/").content
    assert client.post("/accounts/social/login/weixin/").status_code == 404


def test_qr_log_in_opens_an_account_then_logs_it_in_again(client, stand_in):
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/social/login/weixin/" in page and "weixinapp" not in page
    location, response = wechat_round_trip(client)
    assert location.startswith(stand_in.url + "/connect/qrconnect?") and "scope=snsapi_login" in location
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(social_auth__provider="weixin", social_auth__uid=stand_in.openid)
    assert user.display_name == "王芳" and user.email is None and not user.has_verified_identity
    assert stand_in.calls[-2:] == ["/sns/oauth2/access_token", "/sns/userinfo"]
    client.post("/accounts/logout/")
    _location, response = wechat_round_trip(client)
    assert int(client.session["_auth_user_id"]) == user.pk and User.objects.count() == 1


def test_inside_wechat_the_official_account_oauth_is_used(client, stand_in):
    page = client.get("/accounts/login/", HTTP_USER_AGENT=WECHAT_UA).content.decode()
    assert "/accounts/social/login/weixinapp/" in page
    location, response = wechat_round_trip(client, "weixinapp", HTTP_USER_AGENT=WECHAT_UA)
    assert location.startswith(stand_in.url + "/connect/oauth2/authorize?") and location.endswith("#wechat_redirect")
    assert "scope=snsapi_userinfo" in location and response["Location"] == "/"


def test_link_wechat_to_an_existing_account_then_unlink(client, stand_in, learner):
    client.force_login(learner)
    assert "/accounts/social/login/weixin/" in client.get("/accounts/profile/").content.decode()
    _location, response = wechat_round_trip(client)
    assert response["Location"] == "/accounts/profile/#wechat"
    identity = learner.social_auth.get()
    assert identity.uid == stand_in.openid and User.objects.count() == 1
    client.post("/accounts/logout/")
    wechat_round_trip(client)
    assert int(client.session["_auth_user_id"]) == learner.pk     # WeChat now logs this account in
    assert client.post(f"/accounts/wechat/{identity.pk}/unlink/").status_code == 302
    assert not learner.social_auth.exists()


def test_the_only_way_to_log_in_cannot_be_unlinked(client, stand_in):
    wechat_round_trip(client)
    user = User.objects.get()
    identity = user.social_auth.get()
    client.post(f"/accounts/wechat/{identity.pk}/unlink/")
    assert user.social_auth.exists()
    other = UserFactory()
    client.force_login(other)
    client.post(f"/accounts/wechat/{identity.pk}/unlink/")           # not theirs
    assert user.social_auth.exists()


def test_a_refused_or_forged_callback_returns_to_the_log_in_page(client, stand_in):
    client.post("/accounts/social/login/weixin/")
    response = client.get("/accounts/social/complete/weixin/?code=forged&state=forged")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not User.objects.exists()


def test_closed_sign_up_opens_no_account(client, stand_in, settings):
    settings.ESSOR_OPEN_SIGNUP = False
    _location, response = wechat_round_trip(client)
    assert response["Location"].startswith("/accounts/login/") and not User.objects.exists()
