"""Small filters for the learner templates."""
from django import template

from learners.selectors import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """"zh-hans" -> "简体中文" (each language in its own name)."""
    return _language_name(code)


@register.filter
def get_item(mapping, key):
    """mapping[key], trying the key as given and as a string (form errors are keyed by question id)."""
    if not mapping:
        return None
    if key in mapping:
        return mapping[key]
    return mapping.get(str(key))


@register.filter
def signed(value) -> str:
    """+5, −3 or ±0 (a true minus sign, read correctly by screen readers)."""
    if value is None:
        return ""
    value = int(value)
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{abs(value)}"
    return "±0"


@register.filter
def first_other(codes, language: str) -> str:
    """The first language of `codes` that is not `language` ("" if none): the side-by-side offer."""
    return next((code for code in codes or [] if code != language), "")
