"""Forms of the cohort pages (they only read input; the services decide)."""
from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Country, User
from courses.models import Module
from courses.selectors import translation_pick

from .models import Cohort, CohortExport
from .selectors.dashboard import COMPLETED, IN_PROGRESS, NOT_STARTED, SORTS, STALLED
from .services import ModuleAssignment


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CohortForm(forms.Form):
    intermediary = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name of the cohort"), max_length=200,
                           help_text=_("For example “Spring 2026 cohort — Lyon”."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.ChoiceField(label=_("Language of the cohort"), choices=settings.LANGUAGES,
                                 help_text=_("Used for invitations when a person's own language is not known."))
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    stalled_after_days = forms.IntegerField(
        label=_("A learner is stalled after this many days without activity"), min_value=1, max_value=365, initial=14,
        help_text=_("Stalled learners are highlighted on the dashboard and receive at most one reminder per period."))
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Learners are told, when they join, that the facilitators see their progress."))

    def __init__(self, *args, user: User, modules, cohort: Cohort | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from .permissions import intermediaries_for

        intermediaries = intermediaries_for(user).order_by("name")
        self.fields["intermediary"].queryset = intermediaries
        if cohort is not None:
            del self.fields["intermediary"]
            staff_of = [cohort.intermediary_id]
        else:
            staff_of = list(intermediaries.values_list("pk", flat=True))
            if len(staff_of) == 1:
                self.fields["intermediary"].initial = staff_of[0]
        self.fields["facilitators"].queryset = User.objects.filter(staff_memberships__intermediary_id__in=staff_of).distinct()
        self.fields["facilitators"].label_from_instance = lambda u: u.display_name
        self.modules = list(modules)
        current = {cm.module_id: cm for cm in cohort.cohort_modules.all()} if cohort else {}
        for module in self.modules:
            chosen = current.get(module.pk)
            self.fields[f"module_{module.pk}_position"] = forms.IntegerField(
                label=_("Order"), required=False, min_value=1, max_value=99, initial=chosen.position if chosen else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-narrow"}))
            self.fields[f"module_{module.pk}_target"] = forms.DateField(
                label=_("Target date"), required=False, widget=DateInput(), initial=chosen.target_date if chosen else None)

    def module_rows(self):
        """(module, title in the interface language, order field, target date field)."""
        language = get_language()
        for module in self.modules:
            row, _fallback = translation_pick(module.translations.all(), language, module.source_language)
            yield module, row.title if row else module.slug, self[f"module_{module.pk}_position"], self[f"module_{module.pk}_target"]

    def assignments(self) -> list[ModuleAssignment]:
        chosen = []
        for module in self.modules:
            position = self.cleaned_data.get(f"module_{module.pk}_position")
            if position:
                chosen.append((position, module.pk, ModuleAssignment(module=module,
                                                                     target_date=self.cleaned_data.get(f"module_{module.pk}_target"))))
        return [assignment for _p, _id, assignment in sorted(chosen, key=lambda item: item[:2])]

    def cohort_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "description", "language", "starts_on", "ends_on",
                                                           "stalled_after_days")}


def published_modules():
    return Module.objects.filter(status=Module.Status.PUBLISHED).prefetch_related("translations").order_by(
        "topic__position", "level", "slug")


class MatrixFilterForm(forms.Form):
    """GET parameters of the learner × module matrix."""

    STATUS_CHOICES = [
        ("", _("All learners")),
        (NOT_STARTED, _("Not started")),
        (IN_PROGRESS, _("In progress")),
        (STALLED, _("Stalled")),
        (COMPLETED, _("Completed every module")),
    ]
    status = forms.ChoiceField(label=_("Show"), choices=STATUS_CHOICES, required=False)
    days = forms.IntegerField(label=_("Stalled for more than (days)"), required=False, min_value=0, max_value=3650,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-narrow"}))
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, email or association")}))
    sort = forms.CharField(required=False, max_length=20)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "name"
        if sort not in SORTS and not sort.startswith("module-"):
            sort = "name"
        return {"status": data.get("status") or "", "inactive_days": data.get("days"), "query": data.get("q") or "",
                "sort": sort, "descending": data.get("dir") == "desc"}


class InvitationForm(forms.Form):
    label = forms.CharField(label=_("Label (for you)"), max_length=120, required=False,
                            help_text=_("For example “Information evening, 12 March”."))
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DateInput(),
                                 help_text=_("Leave empty for no expiry date."))
    max_uses = forms.IntegerField(label=_("Maximum number of people"), required=False, min_value=1, max_value=100000,
                                  help_text=_("Leave empty for no limit."))

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if not day:
            return None
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class SingleInvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    display_name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES,
                                 help_text=_("The email is written in this language."))


class InviteCsvForm(forms.Form):
    ENCODINGS = [
        ("utf-8", _("UTF-8 (recommended: “CSV UTF-8” in Excel)")),
        ("gb18030", _("GB18030 / GBK (Excel in Chinese)")),
        ("cp1252", _("Windows-1252 (older Excel in French)")),
    ]
    file = forms.FileField(label=_("CSV file"), help_text=_("One person per line: email, name, association, language."))
    encoding = forms.ChoiceField(label=_("Encoding of the file"), choices=ENCODINGS, initial="utf-8")


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=CohortExport.Format.choices, initial="xlsx",
                               widget=forms.RadioSelect)


class JoinCodeForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "placeholder": "ABCD-2345", "class": "input-code"}))


class JoinSignupForm(forms.Form):
    """A new learner's account, created when they accept an invitation."""

    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    password = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 8 characters, not only digits, not a common password."))
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    association_name = forms.CharField(label=_("Name of your association"), max_length=200, required=False)
    association_country = forms.ChoiceField(label=_("Country"), choices=Country.choices, required=False)
    association_city = forms.CharField(label=_("City"), max_length=120, required=False)

    def __init__(self, *args, fixed_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_email:
            self.fields["email"].initial = fixed_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("This invitation was sent to this address.")


class ReminderForm(forms.Form):
    learners = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True,
                                              error_messages={"required": _("Select at least one learner to remind.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service checks membership; here any number is accepted.
        self.fields["learners"].valid_value = lambda value: str(value).isdigit()
