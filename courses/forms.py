"""Authoring forms. They only collect and clean input: the services do the work and the checks."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Module, Question, Topic
from .selectors import language_name

SLUG_HELP = _("Lowercase letters without accents, digits and hyphens, for example “annual-budget”. It appears in web "
              "addresses and cannot be changed later.")


def content_language_field_choices():
    return [(code, language_name(code)) for code in settings.CONTENT_LANGUAGES]


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.name_in(get_language() or settings.LANGUAGE_CODE)


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's error on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item.messages)
    else:
        form.add_error(None, error.messages)


class ModuleCreateForm(forms.Form):
    slug = forms.SlugField(label=_("Short name"), max_length=80, help_text=SLUG_HELP)
    topic = TopicChoiceField(label=_("Topic"), queryset=Topic.objects.all(), empty_label=None)
    level = forms.TypedChoiceField(label=_("Level"), choices=Module.Level.choices, coerce=int)
    estimated_minutes = forms.IntegerField(label=_("Estimated time (minutes)"), min_value=5, max_value=10000, initial=60)
    source_language = forms.ChoiceField(label=_("Language you write in"), choices=content_language_field_choices,
                                        help_text=_("The other languages are translated from this one."))
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("One or two sentences: who the module is for and what it brings."))


class ModuleSettingsForm(forms.Form):
    topic = TopicChoiceField(label=_("Topic"), queryset=Topic.objects.all(), empty_label=None)
    level = forms.TypedChoiceField(label=_("Level"), choices=Module.Level.choices, coerce=int)
    estimated_minutes = forms.IntegerField(label=_("Estimated time (minutes)"), min_value=5, max_value=10000)
    source_language = forms.ChoiceField(label=_("Source language"), choices=content_language_field_choices,
                                        help_text=_("Changing it marks every translation as matching the new source text."))
    prerequisites = forms.ModelMultipleChoiceField(label=_("Prerequisites"), queryset=Module.objects.none(), required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, module: Module, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prerequisites"].queryset = Module.objects.exclude(pk=module.pk).exclude(status=Module.Status.ARCHIVED)


class ModuleTranslationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    outcomes = forms.CharField(label=_("What learners will be able to do"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("One sentence per line, three to five lines."))
    matches_source = forms.BooleanField(label=_("This translation matches the current source text"), required=False)

    def clean_outcomes(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["outcomes"].splitlines() if line.strip()]


class LessonTextForm(forms.Form):
    """One language of a lesson."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body_md = forms.CharField(label=_("Text (Markdown)"), required=False, strip=False,
                              widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true", "class": "md-source"}))
    matches_source = forms.BooleanField(label=_("This translation matches the current source text"), required=False)

    def __init__(self, *args, language: str, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.optional = optional
        for field in self.fields.values():
            field.widget.attrs.setdefault("lang", language)
        if optional:
            self.fields["title"].required = False

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any((data.get(name) or "").strip() for name in ("title", "summary", "body_md"))


class LessonCreateForm(forms.Form):
    slug = forms.SlugField(label=_("Short name"), max_length=80, help_text=SLUG_HELP)
    language = forms.ChoiceField(label=_("Language"), choices=content_language_field_choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body_md = forms.CharField(label=_("Text (Markdown)"), required=False, strip=False,
                              widget=forms.Textarea(attrs={"rows": 22, "class": "md-source"}))


class QuizForm(forms.Form):
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100)


class QuestionForm(forms.Form):
    """A question in every content language, with its choices (fixed rows; empty rows are ignored)."""

    key = forms.SlugField(label=_("Key"), max_length=80,
                          help_text=_("A short name for the question, unique in the quiz, for example “budget-purpose”."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, choice_rows: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(settings.CONTENT_LANGUAGES)
        self.choice_rows = choice_rows
        for code in self.languages:
            name = language_name(code)
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name}, required=False,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}))
            self.fields[f"explanation_{code}"] = forms.CharField(
                label=_("Explanation shown after answering (%(language)s)") % {"language": name}, required=False,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}))
        for index in range(choice_rows):
            self.fields[f"choice{index}_correct"] = forms.BooleanField(label=_("Correct"), required=False)
            for code in self.languages:
                name = language_name(code)
                self.fields[f"choice{index}_text_{code}"] = forms.CharField(
                    label=_("Answer (%(language)s)") % {"language": name}, required=False,
                    widget=forms.TextInput(attrs={"lang": code}))
                self.fields[f"choice{index}_feedback_{code}"] = forms.CharField(
                    label=_("Feedback for this answer (%(language)s, optional)") % {"language": name}, required=False,
                    widget=forms.TextInput(attrs={"lang": code}))

    @staticmethod
    def initial_from(question: Question) -> dict:
        initial = {"key": question.key, "kind": question.kind}
        for row in question.translations.all():
            initial[f"text_{row.language}"] = row.text_md
            initial[f"explanation_{row.language}"] = row.explanation_md
        for index, choice in enumerate(question.choices.all()):
            initial[f"choice{index}_correct"] = choice.is_correct
            for row in choice.translations.all():
                initial[f"choice{index}_text_{row.language}"] = row.text_md
                initial[f"choice{index}_feedback_{row.language}"] = row.feedback_md
        return initial

    def language_blocks(self):
        return [{"code": code, "name": language_name(code), "text": self[f"text_{code}"],
                 "explanation": self[f"explanation_{code}"]} for code in self.languages]

    def choice_blocks(self):
        blocks = []
        for index in range(self.choice_rows):
            blocks.append({
                "number": index + 1,
                "correct": self[f"choice{index}_correct"],
                "languages": [{"code": code, "name": language_name(code), "text": self[f"choice{index}_text_{code}"],
                               "feedback": self[f"choice{index}_feedback_{code}"]} for code in self.languages],
            })
        return blocks

    def payload(self) -> dict:
        data = self.cleaned_data
        texts = {code: {"text": data.get(f"text_{code}", ""), "explanation": data.get(f"explanation_{code}", "")}
                 for code in self.languages if data.get(f"text_{code}") or data.get(f"explanation_{code}")}
        choices = []
        for index in range(self.choice_rows):
            choice_texts = {code: {"text": data.get(f"choice{index}_text_{code}", ""),
                                   "feedback": data.get(f"choice{index}_feedback_{code}", "")}
                            for code in self.languages
                            if data.get(f"choice{index}_text_{code}") or data.get(f"choice{index}_feedback_{code}")}
            choices.append({"correct": data.get(f"choice{index}_correct", False), "texts": choice_texts})
        return {"key": data["key"], "kind": data["kind"], "texts": texts, "choices": choices}


class ImageUploadForm(forms.Form):
    image = forms.FileField(label=_("Image"), help_text=_("PNG, JPEG, GIF or WebP, at most 5 MB. Large images are made "
                                                          "smaller automatically."))


class AuthorAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the trainer to add"))
