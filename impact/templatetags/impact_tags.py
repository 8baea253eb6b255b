"""Small template helpers of the impact pages."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def cell(value, k):
    """A suppressed count (None) is shown as "< k"; an absent figure as a dash."""
    if value is None:
        return f"< {k}"
    return value
