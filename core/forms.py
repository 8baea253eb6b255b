"""How every form of the site is drawn and how a service's error reaches it.

One renderer (settings.FORM_RENDERER) draws every form and field with the templates in
templates/forms/: a summary of the errors at the top whose links lead to the fields, each error
beside its field (referenced by the field's aria-describedby, with aria-invalid), help texts with
the ids the fields point at. Views that re-display a failed form render it bound, so nothing typed
is lost.
"""
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer through the project's TEMPLATES, with our form and field templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def apply_validation_error(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the fields it names (or to the whole form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item.messages)
    else:
        form.add_error(None, error.messages)
