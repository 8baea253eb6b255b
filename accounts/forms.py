"""Account forms: sign-up, profile, password reset (queued to the worker)."""
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.functional import lazy
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Association, Country, User
from .services import password_reset_request


def _password_help() -> str:
    minimum = next((v.get("OPTIONS", {}).get("min_length", 8) for v in settings.AUTH_PASSWORD_VALIDATORS
                    if v["NAME"].endswith("MinimumLengthValidator")), 8)
    return ngettext("At least %(count)d character, not only digits, not a common password.",
                    "At least %(count)d characters, not only digits, not a common password.", minimum) % {"count": minimum}


class SignupForm(forms.Form):
    ROLE_CHOICES = [
        ("learner", _("I lead an association and want to learn")),
        ("coach", _("I am a professional and want to coach associations pro bono")),
    ]
    role = forms.ChoiceField(label=_("I join as"), choices=ROLE_CHOICES, widget=forms.RadioSelect, initial="learner")
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=lazy(lambda: _password_help(), str)())
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    association_name = forms.CharField(label=_("Name of your association"), max_length=200, required=False)
    association_country = forms.ChoiceField(label=_("Country"), choices=Country.choices, required=False)
    association_city = forms.CharField(label=_("City"), max_length=120, required=False)


class ProfileForm(forms.ModelForm):
    association_name = forms.CharField(label=_("Name of your association"), max_length=200, required=False)
    association_country = forms.ChoiceField(label=_("Country"), choices=Country.choices, required=False)
    association_city = forms.CharField(label=_("City"), max_length=120, required=False)
    association_sector = forms.CharField(label=_("Field of action"), max_length=120, required=False)
    association_size = forms.ChoiceField(label=_("Size"), choices=Association.Size.choices, required=False)

    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "reminders_enabled", "notification_channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notification_channel"].required = False  # left out: unchanged
        association = self.instance.association
        if association:
            self.fields["association_name"].initial = association.name
            self.fields["association_country"].initial = association.country
            self.fields["association_city"].initial = association.city
            self.fields["association_sector"].initial = association.sector
            self.fields["association_size"].initial = association.size

    def clean_notification_channel(self) -> str:
        return self.cleaned_data.get("notification_channel") or self.instance.notification_channel

    def service_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        if self.cleaned_data.get("association_name"):
            data["association"] = {
                "name": self.cleaned_data["association_name"],
                "country": self.cleaned_data["association_country"] or "FR",
                "city": self.cleaned_data["association_city"],
                "sector": self.cleaned_data["association_sector"],
                "size": self.cleaned_data["association_size"] or Association.Size.VOLUNTEERS_ONLY,
            }
        return data


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Same form as Django's, but the email is written by the Celery worker, not in the request."""

    def save(self, *args, **kwargs) -> None:
        password_reset_request(email=self.cleaned_data["email"], language=get_language())


class LoginForm(auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class PhoneForm(forms.Form):
    """Step 1 of a phone log-in (or sign-up, or adding a number): the number, parsed in the page's language."""

    phone = forms.CharField(
        label=_("Mobile phone number"), max_length=32,
        help_text=_("A mainland China number can be typed without +86. Other countries: start with + and the country code."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "autofocus": True}),
    )

    def __init__(self, *args, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language

    def clean_phone(self) -> str:
        from .phone import phone_parse

        return phone_parse(self.cleaned_data["phone"], language=self.language)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by text message"), min_length=6, max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}",
                                      "autofocus": True}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit() or not code.isascii():
            raise forms.ValidationError(_("The code has 6 digits."))
        return code


class PhoneSignupForm(SignupForm):
    """Sign-up after a phone code: the same questions as the email sign-up, without email and password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["email"]
        del self.fields["password"]
