"""A logged-in user's preferred language wins over the browser's and the session's."""
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language in self.languages:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class WeChatErrorMiddleware:
    """A failed WeChat log-in (refused, cancelled, closed sign-up, WeChat unreachable) returns to the
    log-in page with a sentence, never a 500 (social-auth's middleware, with our message)."""

    def __new__(cls, get_response):
        from django.utils.translation import gettext as _
        from social_django.middleware import SocialAuthExceptionMiddleware

        class Middleware(SocialAuthExceptionMiddleware):
            def raise_exception(self, request, exception):
                return False

            def get_message(self, request, exception):
                return _("WeChat log-in did not work. Try again, or log in with your phone number.")

        return Middleware(get_response)


class WeChatFormActionMiddleware:
    """The Content-Security-Policy's form-action also covers where a form's answer redirects: the WeChat
    log-in form posts here, then goes on to WeChat's authorisation page. When WeChat log-in is configured,
    HTML pages allow that one origin too (django-csp's per-response update); otherwise nothing changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (settings.ESSOR_WECHAT_WEB_APP_ID or settings.ESSOR_WECHAT_MP_APP_ID) and \
                response.get("Content-Type", "").startswith("text/html"):
            parts = urlsplit(settings.ESSOR_WECHAT_OPEN_URL)
            if parts.scheme in ("http", "https") and parts.netloc:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), f"{parts.scheme}://{parts.netloc}"]
                response._csp_update = update
        return response
