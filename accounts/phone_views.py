"""Log in or sign up with a phone number and a code sent by SMS; add a verified number to an account.

One flow for log-in and sign-up, so that nothing tells whether a number has an account before its
code is typed: step 1 always answers "a code was sent" (or, for any number, "too many codes"); only
who typed the right code learns whether the number has an account (they hold the number).
"""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from .forms import CodeForm, PhoneForm, PhoneSignupForm
from .models import PhoneCode
from .phone import phone_code_check, phone_code_request
from .services import (
    email_verification_request,
    email_verify,
    user_by_verified_phone,
    user_phone_remove,
    user_phone_set,
    user_phone_signup,
    user_wechat_unlink,
)
from .views import apply_validation_error

PENDING = "essor_phone_pending"      # {"phone", "purpose"} between step 1 and the code
SIGNUP = "essor_phone_signup"        # {"phone", "at"}: a number proven a moment ago, no account yet
NEXT = "essor_phone_next"
SIGNUP_WINDOW_SECONDS = 15 * 60


def client_address(request) -> str:
    # Behind a proxy, set it to pass the client's address in REMOTE_ADDR (docs/deploy.md).
    return request.META.get("REMOTE_ADDR", "")[:45]


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def _login(request, user) -> HttpResponseRedirect:
    login(request, user, backend="accounts.backends.UserBackend")
    target = _safe_next(request, request.session.pop(NEXT, "")) or reverse(settings.LOGIN_REDIRECT_URL)
    return HttpResponseRedirect(target)


class _PhoneStep(FormView):
    """Step 1: ask for the number, send a code (rate-limited), go to the code page."""

    template_name = "accounts/phone_login.html"
    form_class = PhoneForm
    purpose = PhoneCode.Purpose.LOGIN
    code_url = "accounts:phone-code"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "language": self.request.LANGUAGE_CODE}

    def form_valid(self, form):
        phone = form.cleaned_data["phone"]
        user = self.request.user if self.purpose == PhoneCode.Purpose.VERIFY else None
        result = phone_code_request(phone=phone, purpose=self.purpose, address=client_address(self.request),
                                    language=self.request.LANGUAGE_CODE, user=user)
        if not result.sent:
            form.add_error(None, _("Too many codes were asked for this number or from your network. "
                                   "Wait a few minutes, then try again."))
            return self.form_invalid(form)
        self.request.session[PENDING] = {"phone": phone, "purpose": self.purpose}
        messages.info(self.request, _("If %(phone)s can receive text messages, a 6-digit code is on its way. "
                                      "It may take a minute.") % {"phone": phone})
        return redirect(self.code_url)


class PhoneLoginView(_PhoneStep):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("core:home")
        next_url = _safe_next(request, request.GET.get("next", ""))
        if next_url:
            request.session[NEXT] = next_url
        return super().dispatch(request, *args, **kwargs)


class _CodeStep(FormView):
    template_name = "accounts/phone_code.html"
    form_class = CodeForm
    purpose = PhoneCode.Purpose.LOGIN
    start_url = "accounts:phone-login"

    def dispatch(self, request, *args, **kwargs):
        pending = request.session.get(PENDING) or {}
        if pending.get("purpose") != self.purpose or not pending.get("phone"):
            return redirect(self.start_url)
        self.phone = pending["phone"]
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "phone": self.phone, "start_url": reverse(self.start_url)}

    def wrong_code(self, form):
        form.add_error("code", _("This code is wrong or has expired. Check the last text message, or ask for a new code."))
        return self.form_invalid(form)


class PhoneCodeView(_CodeStep):
    def form_valid(self, form):
        if not phone_code_check(phone=self.phone, purpose=self.purpose, code=form.cleaned_data["code"]):
            return self.wrong_code(form)
        self.request.session.pop(PENDING, None)
        user = user_by_verified_phone(phone=self.phone)
        if user is not None:
            return _login(self.request, user)
        if not settings.ESSOR_OPEN_SIGNUP:
            messages.info(self.request, _("No account uses this phone number, and sign-up is closed on this site. "
                                          "Ask your support organisation for an invitation."))
            return redirect("accounts:login")
        self.request.session[SIGNUP] = {"phone": self.phone, "at": time.time()}
        return redirect("accounts:phone-signup")


class PhoneSignupView(FormView):
    template_name = "accounts/phone_signup.html"
    form_class = PhoneSignupForm

    def dispatch(self, request, *args, **kwargs):
        proof = request.session.get(SIGNUP) or {}
        if request.user.is_authenticated:
            return redirect("core:home")
        if not proof.get("phone") or time.time() - proof.get("at", 0) > SIGNUP_WINDOW_SECONDS:
            request.session.pop(SIGNUP, None)
            return redirect("accounts:phone-login")
        self.phone = proof["phone"]
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"preferred_language": self.request.LANGUAGE_CODE,
                "association_country": "CN" if self.phone.startswith("+86") else "FR"}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "phone": self.phone}

    def form_valid(self, form):
        try:
            user = user_phone_signup(phone=self.phone, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        self.request.session.pop(SIGNUP, None)
        messages.success(self.request, _("Welcome to Essor, %(name)s.") % {"name": user.display_name})
        return _login(self.request, user)


class PhoneAddView(LoginRequiredMixin, _PhoneStep):
    template_name = "accounts/phone_add.html"
    purpose = PhoneCode.Purpose.VERIFY
    code_url = "accounts:phone-add-code"


class PhoneAddCodeView(LoginRequiredMixin, _CodeStep):
    purpose = PhoneCode.Purpose.VERIFY
    start_url = "accounts:phone-add"

    def form_valid(self, form):
        if not phone_code_check(phone=self.phone, purpose=self.purpose, code=form.cleaned_data["code"], user=self.request.user):
            return self.wrong_code(form)
        self.request.session.pop(PENDING, None)
        try:
            user_phone_set(user=self.request.user, phone=self.phone)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("accounts:profile")
        messages.success(self.request, _("Your phone number %(phone)s is verified.") % {"phone": self.phone})
        return redirect("accounts:profile")


class PhoneRemoveView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            user_phone_remove(user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your phone number was removed from your account."))
        return redirect("accounts:profile")


class EmailVerifyView(View):
    """The link of the verification email: the address is proven."""

    def get(self, request, token: str):
        try:
            email_verify(token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your email address is verified."))
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


class EmailVerifySendView(LoginRequiredMixin, View):
    def post(self, request):
        email_verification_request(user=request.user, language=request.LANGUAGE_CODE)
        messages.info(request, _("We sent a verification link to your email address."))
        return redirect("accounts:profile")


class WeChatUnlinkView(LoginRequiredMixin, View):
    def post(self, request, identity_id: int):
        try:
            user_wechat_unlink(user=request.user, identity_id=identity_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("WeChat is no longer linked to your account."))
        return redirect("accounts:profile")
