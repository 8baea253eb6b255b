"""Coaching forms: they collect and validate input; the services apply the rules."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.models import Topic

from .models import CoachingRequest, CoachProfile, LanguageLevel, Level

COMMON_TIME_ZONES = [
    "Europe/Paris", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Europe/London", "Europe/Brussels",
    "Europe/Berlin", "Europe/Madrid", "Africa/Dakar", "Africa/Abidjan", "Indian/Reunion", "America/Montreal",
    "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney", "UTC",
]


def time_zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    zones = list(COMMON_TIME_ZONES)
    if current and current not in zones:
        zones.insert(0, current)
    return [(zone, zone.replace("_", " ")) for zone in zones]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CoachProfileForm(forms.ModelForm):
    """The profile itself, plus one level per curriculum topic and per language, plus free skills."""

    EXTRA_TAG_ROWS = 3

    class Meta:
        model = CoachProfile
        fields = ["country", "city", "works_remotely", "works_in_person", "time_zone", "monthly_capacity_hours",
                  "available_from", "available_until", "employer", "bio"]
        widgets = {"available_from": DateInput(), "available_until": DateInput(), "bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, topics: list[Topic], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics
        self.fields["time_zone"] = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices(self.instance.time_zone))
        skills = {s.topic.key: s.level for s in self.instance.skills.all() if s.topic_id} if self.instance.pk else {}
        tags = [(s.tag, s.level) for s in self.instance.skills.all() if s.tag] if self.instance.pk else []
        spoken = {lang.language: lang.level for lang in self.instance.languages.all()} if self.instance.pk else {}
        level_choices = [("", _("Not a skill of mine"))] + [(str(v), label) for v, label in Level.choices]
        for topic in topics:
            self.fields[f"skill_{topic.key}"] = forms.TypedChoiceField(
                label=topic.name_in(language), choices=level_choices, coerce=int, empty_value=None, required=False,
                initial=skills.get(topic.key, ""),
            )
        self.tag_rows = len(tags) + self.EXTRA_TAG_ROWS
        for index in range(self.tag_rows):
            tag, level = tags[index] if index < len(tags) else ("", Level.EXPERIENCED)
            self.fields[f"tag_{index}"] = forms.CharField(label=_("Other skill"), max_length=60, required=False, initial=tag,
                                                          widget=forms.TextInput(attrs={"placeholder": _("e.g. Excel bookkeeping")}))
            self.fields[f"tag_{index}_level"] = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int,
                                                                       initial=level, required=False,
                                                                       empty_value=Level.EXPERIENCED)
        language_choices = [("", _("Not in this language"))] + [(str(v), label) for v, label in LanguageLevel.choices]
        for code, name in settings.LANGUAGES:
            self.fields[f"language_{code}"] = forms.TypedChoiceField(
                label=name, choices=language_choices, coerce=int, empty_value=None, required=False, initial=spoken.get(code, ""),
            )

    def skill_fields(self):
        return [self[f"skill_{topic.key}"] for topic in self.topics]

    def tag_fields(self):
        return [(self[f"tag_{i}"], self[f"tag_{i}_level"]) for i in range(self.tag_rows)]

    def language_fields(self):
        return [self[f"language_{code}"] for code, _name in settings.LANGUAGES]

    def profile_fields(self):
        return [self[name] for name in self.Meta.fields]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "data": {name: data[name] for name in self.Meta.fields},
            "topic_levels": {t.key: data[f"skill_{t.key}"] for t in self.topics if data.get(f"skill_{t.key}")},
            "tags": {data[f"tag_{i}"]: data[f"tag_{i}_level"] for i in range(self.tag_rows) if data.get(f"tag_{i}", "").strip()},
            "languages": {code: data[f"language_{code}"] for code, _name in settings.LANGUAGES if data.get(f"language_{code}")},
        }


class RequestForm(forms.ModelForm):
    """What the learner adds in their own words; the rest is pre-filled from their record."""

    languages = forms.MultipleChoiceField(label=_("Languages in which you can be coached"), choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    request_kind = forms.ChoiceField(label=_("What you ask for"), choices=CoachingRequest.Kind.choices, required=False,
                                     initial=CoachingRequest.Kind.MISSION, widget=forms.RadioSelect)

    class Meta:
        model = CoachingRequest
        fields = ["need", "expected_result", "format", "country", "city", "time_zone", "hours_wanted", "starts_on", "ends_on",
                  "languages"]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 5}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "format": forms.RadioSelect,
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        help_texts = {
            "need": _("What is hard today in your association, in a few sentences."),
            "expected_result": _("What should be different at the end of the mission?"),
            "hours_wanted": _("Most missions take 4 to 12 hours, spread over a few weeks."),
            "city": _("Where you would meet a coach in person."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("time_zone") or getattr(self.instance, "time_zone", None)
        self.fields["time_zone"] = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices(current))
        self.fields["city"].required = False

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}

    def _post_clean(self):
        # The model's rules need the learner's record (prefill); the service applies them all.
        if self.instance.pk:
            super()._post_clean()


class StaffRequestForm(RequestForm):
    """Staff open a request for a learner of their cohorts."""

    learner = forms.ModelChoiceField(label=_("Learner"), queryset=None)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all())

    field_order = ["learner", "topic"]

    def __init__(self, *args, learners=None, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners
        self.fields["topic"].label_from_instance = lambda topic: topic.name_in(language)
        self.fields["need"].label = _("The learner's need")
        self.fields["expected_result"].label = _("The result they expect")
        self.fields["need"].help_text = ""
        # Place, time zone and languages come from the learner's record (they can edit the request later).
        for name in ("country", "city", "time_zone", "languages"):
            self.fields.pop(name)


class ProposeForm(forms.Form):
    coach = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message to the coach (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class OfferForm(forms.Form):
    message = forms.CharField(label=_("Why you can help (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why you decline"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: not available in these weeks, outside my skills."))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class ObjectivesForm(forms.Form):
    objectives = forms.CharField(label=_("Objectives of the mission"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                                 error_messages={"required": _("Write the objectives you agreed on, for example three results to reach.")},
                                 help_text=_("Two or three results you agree to reach together."))


class SessionForm(forms.Form):
    held_on = forms.DateField(label=pgettext_lazy("session", "Date"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Visible to the learner, the coach and the intermediary."))


class FeedbackForm(forms.Form):
    RATINGS = [(5, _("5 — Excellent")), (4, _("4 — Good")), (3, _("3 — Fair")), (2, _("2 — Poor")), (1, _("1 — Very poor"))]
    rating = forms.TypedChoiceField(label=_("Your rating"), choices=RATINGS, coerce=int, widget=forms.RadioSelect,
                                    error_messages={"required": _("Choose a rating from 1 to 5."),
                                                    "invalid_choice": _("Choose a rating from 1 to 5.")})
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    share_consent = forms.BooleanField(
        label=_("My comment may be quoted, without my name, in reports to the funders"), required=False)
