"""Small display helpers for coaching pages and emails (rendered in the active language)."""
from django import template
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

STATUS_CLASSES = {
    "draft": "tag-warn", "open": "", "proposed": "", "matched": "tag-ok", "in_progress": "tag-ok", "completed": "tag-ok",
    "cancelled": "tag-danger", "expired": "tag-danger",
    "pending": "tag-warn", "accepted": "tag-ok", "declined": "tag-danger", "withdrawn": "", "vetted": "tag-ok",
}


@register.filter
def topic_name(topic) -> str:
    if topic is None:
        return ""
    return topic.name_in(get_language() or settings.LANGUAGE_CODE)


@register.filter
def person(user) -> str:
    """A person's name as others see it: "Deleted account" once the account is erased (docs/privacy.md)."""
    if user is None:
        return ""
    if user.erased_at is not None:
        return str(_("Deleted account"))
    return user.display_name


@register.filter
def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


@register.filter
def language_names(codes) -> str:
    names = dict(settings.LANGUAGES)
    return ", ".join(names.get(code, code) for code in codes or [])


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "")


@register.filter
def signed(value) -> str:
    """+12 / −5 / 0 for a change in score."""
    if value is None:
        return ""
    value = round(value, 1)
    if value > 0:
        return f"+{value:g}"
    if value < 0:
        return f"−{abs(value):g}"
    return "0"
