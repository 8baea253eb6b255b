"""The catalogue's filters (a GET form that works without JavaScript)."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.models import Module, Topic

from .selectors import language_choices


class CatalogueFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    level = forms.TypedChoiceField(label=_("Level"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("Any level")), *Module.Level.choices])
    language = forms.ChoiceField(label=_("Available in"), required=False)
    length = forms.ChoiceField(label=_("Length"), required=False, choices=[
        ("", _("Any length")), ("short", _("Up to one hour")), ("medium", _("One to two hours")), ("long", _("More than two hours")),
    ])

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (topic.key, topic.name_in(language)) for topic in Topic.objects.filter(modules__status=Module.Status.PUBLISHED).distinct()
        ]
        self.fields["language"].choices = [("", _("Any language")), *language_choices(settings.CONTENT_LANGUAGES)]

    def filters(self) -> dict:
        """Keyword arguments for catalogue_list (invalid values are ignored, not an error page)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"topic": data.get("topic") or "", "level": data.get("level"), "available_language": data.get("language") or "",
                "length": data.get("length") or ""}
