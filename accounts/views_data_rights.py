"""Data rights pages: the privacy notice, export my data (a JSON download), delete my account."""
import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from .data_rights import account_erase, user_data_export, user_data_export_filename


def export_response(user) -> HttpResponse:
    """The export as a downloaded JSON file (the page and the API answer the same bytes)."""
    body = json.dumps(user_data_export(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{user_data_export_filename(user=user)}"'
    response["Cache-Control"] = "no-store"
    return response


class PrivacyView(TemplateView):
    template_name = "accounts/privacy.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "controller": settings.ESSOR_PRIVACY_CONTROLLER,
                "contact": settings.ESSOR_PRIVACY_CONTACT, "profile_url": reverse("accounts:profile"),
                "learning_records_sent": bool(settings.XAPI_LRS_URL)}


class DataExportView(LoginRequiredMixin, View):
    """POST (a button with the CSRF token): a link cannot make a browser download someone's data."""

    def post(self, request):
        return export_response(request.user)

    def get(self, request):
        return HttpResponseRedirect(reverse("accounts:profile") + "#my-data")


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), max_length=4096, required=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    email = forms.CharField(label=gettext_lazy("Type your email address"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    confirm = forms.BooleanField(label=gettext_lazy("I understand that my account and my personal data will be deleted "
                                                    "for good, and that my certificates will be revoked."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.with_password = user.has_usable_password()
        if self.with_password:
            del self.fields["email"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["email"].required = True

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password. Your account has not been deleted."))
        return password

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not your account's email address. Your account has not been deleted."))
        return email


class AccountDeleteView(LoginRequiredMixin, FormView):
    template_name = "accounts/account_delete.html"
    form_class = AccountDeleteForm
    success_url = reverse_lazy("accounts:account-deleted")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        account_erase(user=self.request.user, actor=self.request.user)
        logout(self.request)
        messages.success(self.request, _("Your account has been deleted. Your personal data have been erased."))
        return HttpResponseRedirect(self.get_success_url())


class AccountDeletedView(TemplateView):
    template_name = "accounts/account_deleted.html"
