"""WeChat log-in through social-auth's Weixin backends, configured by environment variables only.

- ``weixin``: website log-in by QR code (WeChat Open Platform "website application").
- ``weixinapp``: OAuth of an official account, inside WeChat's own browser (snsapi_userinfo).

The hosts of WeChat's endpoints come from settings (``ESSOR_WECHAT_OPEN_URL``, ``ESSOR_WECHAT_API_URL``),
so that tests point them at a local stand-in answering as the documented API does.
See docs/phone-and-wechat.md.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from social_core.backends.weixin import WeixinOAuth2, WeixinOAuth2APP
from social_core.exceptions import AuthPolicyError

__all__ = ["WeChatQRBackend", "WeChatOfficialAccountBackend", "wechat_backend_for", "in_wechat_browser"]


class _Hosts:
    @property
    def AUTHORIZATION_URL(self):  # noqa: N802 (social-core's attribute name)
        return settings.ESSOR_WECHAT_OPEN_URL.rstrip("/") + self.AUTHORIZATION_PATH

    @property
    def ACCESS_TOKEN_URL(self):  # noqa: N802
        return settings.ESSOR_WECHAT_API_URL.rstrip("/") + "/sns/oauth2/access_token"

    # WeChat documents a GET with the parameters in the query string (social-core POSTs a form body).
    ACCESS_TOKEN_METHOD = "GET"  # noqa: S105 (an HTTP method, not a secret)

    def request_access_token(self, *args, **kwargs):
        if kwargs.get("method") == "GET" and kwargs.get("data"):
            kwargs["params"] = {**(kwargs.get("params") or {}), **kwargs.pop("data")}
        return super().request_access_token(*args, **kwargs)

    def get_json(self, url, *args, **kwargs):
        # social-core reads the user information from a fixed host: follow the configured one.
        url = url.replace("https://api.weixin.qq.com", settings.ESSOR_WECHAT_API_URL.rstrip("/"))
        return super().get_json(url, *args, **kwargs)


class WeChatQRBackend(_Hosts, WeixinOAuth2):
    AUTHORIZATION_PATH = "/connect/qrconnect"


class WeChatOfficialAccountBackend(_Hosts, WeixinOAuth2APP):
    AUTHORIZATION_PATH = "/connect/oauth2/authorize"
    DEFAULT_SCOPE = ["snsapi_userinfo"]


def in_wechat_browser(request) -> bool:
    return "micromessenger" in request.META.get("HTTP_USER_AGENT", "").lower()


def wechat_backend_for(request) -> str:
    """The backend a log-in link should use here: inside WeChat the official account's, elsewhere the QR
    log-in; '' when that one is not configured (no WeChat link is shown)."""
    if in_wechat_browser(request):
        return "weixinapp" if settings.ESSOR_WECHAT_MP_APP_ID else ""
    return "weixin" if settings.ESSOR_WECHAT_WEB_APP_ID else ""


def create_user(strategy, details, backend, user=None, *args, **kwargs):
    """social-auth pipeline step: a new account for a WeChat identity nobody has linked (no email,
    no password; publishing text needs a verified phone or email later)."""
    from .services import user_create

    if user is not None:
        return {"is_new": False}
    if not settings.ESSOR_OPEN_SIGNUP:
        raise AuthPolicyError(backend, "sign-up closed")
    request = strategy.request
    language = translation.get_language_from_request(request) if request is not None else settings.LANGUAGE_CODE
    try:
        new_user = user_create(email=None, password=None, display_name=(details.get("username") or "WeChat")[:150],
                               preferred_language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
                               is_learner=True, social=True)
    except ValidationError as error:
        raise AuthPolicyError(backend, str(error)) from error
    return {"is_new": True, "user": new_user}
