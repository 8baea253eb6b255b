"""WeChat on every page: whether the page is open in WeChat's own browser, and the log-in link to offer."""
from django.urls import reverse

from .wechat import in_wechat_browser, wechat_backend_for


def wechat(request) -> dict:
    backend = wechat_backend_for(request)
    return {
        "in_wechat": in_wechat_browser(request),
        "wechat_login_url": reverse("social:begin", args=[backend]) if backend else "",
    }
