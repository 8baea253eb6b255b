"""Account pages: sign up, log in/out, password change and reset, profile, language switch."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django.views.i18n import set_language

from .forms import LoginForm, PasswordResetForm, ProfileForm, SignupForm
from .models import User
from .services import user_language_set, user_profile_update, user_signup, user_signup_confirm
from .tasks import signup_token_generator


def apply_validation_error(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (or to the whole form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SignupView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("accounts:signup-sent")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("core:home")
        if not settings.ESSOR_OPEN_SIGNUP:
            messages.info(request, _("Sign-up is closed on this site. Ask your support organisation for an invitation."))
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"preferred_language": self.request.LANGUAGE_CODE}

    def form_valid(self, form):
        # The same answer whether the address is new or taken (user_signup emails the address either way).
        try:
            user_signup(**form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class SignupSentView(TemplateView):
    template_name = "accounts/signup_sent.html"


class SignupConfirmView(TemplateView):
    """The link emailed at sign-up: a page with one button (a mail scanner opening the link confirms nothing);
    the button opens the account and logs its owner in. The link works once."""

    template_name = "accounts/signup_confirm.html"

    def user_from_link(self) -> User | None:
        try:
            user_id = int(force_str(urlsafe_base64_decode(self.kwargs["uidb64"])))
        except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
            return None
        if not 0 < user_id < 2**63:
            return None
        user = User.objects.filter(pk=user_id, is_active=False, last_login__isnull=True).first()
        if user is None or not signup_token_generator.check_token(user, self.kwargs["token"]):
            return None
        return user

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid": self.user_from_link() is not None}

    def post(self, request, *args, **kwargs):
        user = self.user_from_link()
        if user is None:
            return self.render_to_response(self.get_context_data(valid=False))
        user_signup_confirm(user=user)
        login(request, user, backend="accounts.backends.UserBackend")
        messages.success(request, _("Welcome to Essor, %(name)s.") % {"name": user.display_name})
        return redirect("core:home")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def form_valid(self, form):
        try:
            user_profile_update(user=self.request.user, data=form.service_data())
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your profile has been saved."))
        response = HttpResponseRedirect(self.get_success_url())
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, self.request.user.preferred_language, samesite="Lax")
        return response


class LanguageSwitchView(View):
    """Django's set_language, plus: a logged-in user's choice is saved to their profile."""

    def post(self, request):
        language = request.POST.get("language", "")
        if request.user.is_authenticated and language in dict(settings.LANGUAGES):
            user_language_set(user=request.user, language=language)
        return set_language(request)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)
