"""Small template helpers of the cohort pages."""
from django import template
from django.utils.translation import get_language

from learners.progress import progress_percent

from ..selectors.dashboard import STATUS_LABELS

register = template.Library()
_labels: dict[str, dict[str, str]] = {}


@register.filter
def status_label(status: str) -> str:
    """The status in words; translated once per language (the matrix asks 250 times a page)."""
    language = get_language() or ""
    if language not in _labels:
        _labels[language] = {key: str(label) for key, label in STATUS_LABELS.items()}
    return _labels[language].get(status, status)


@register.filter
def percent_of(value: int, total: int) -> int:
    return progress_percent(value, total)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
