"""Template tags of the site's frame (templates/base.html)."""
from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple[str, str], str] = {}


@register.simple_tag
def include_per_language(template_name: str) -> str:
    """A template that depends on the language alone (translated sentences, fixed addresses: the offline
    banner's twenty sentences), rendered once per language and process instead of on every page
    (docs/performance.md). Rendered anew every time with DEBUG on, so that an edited template shows."""
    key = (template_name, get_language() or "")
    html = None if settings.DEBUG else _rendered.get(key)
    if html is None:
        html = _rendered[key] = render_to_string(template_name)
    return mark_safe(html)  # noqa: S308 — a template of ours, rendered with Django's autoescape
