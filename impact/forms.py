"""Filters of the impact pages (period, module) and the network invitation form."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .selectors.overview import MAX_PERIOD_DAYS, Period


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Start of the period"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End of the period"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    module = forms.TypedChoiceField(label=_("Module"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, modules: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("Every module")), *modules]

    def clean(self):
        data = super().clean()
        default = Period.default()
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if end < start:
            raise ValidationError(_("The end of the period must come after its start."))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise ValidationError(_("Choose a period of ten years at most."))
        data["period"] = Period(start, end)
        return data

    def period_and_module(self) -> tuple[Period, int | None]:
        """The filters asked for, or the defaults (the last twelve months, every module) when invalid."""
        if self.is_valid():
            return self.cleaned_data["period"], self.cleaned_data.get("module")
        return Period.default(), None


class NetworkInviteForm(forms.Form):
    intermediary = forms.SlugField(label=_("Short name of the intermediary"), max_length=50)
    message = forms.CharField(label=_("Message"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
