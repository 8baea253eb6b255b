"""Small template helpers of the cohort pages."""
from django import template

from ..selectors.dashboard import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def percent_of(value: int, total: int) -> int:
    return round(100 * value / total) if total else 0


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
