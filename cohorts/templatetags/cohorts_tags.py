"""Small template helpers of the cohort pages."""
from html import escape  # the standard library's: Django's wraps it for lazy strings, at a cost per call

from django import template
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


@register.simple_tag
def matrix_rows(rows, learner_url: str) -> str:
    """The learner × module rows of the dashboard, built in Python.

    The same markup as a template loop, at a fraction of the cost: a page of 50 learners × 8 modules
    is about 2,500 template variables, and rendering them was two thirds of the page's time
    (docs/performance.md). Every value that comes from the database is escaped here.
    """
    language = get_language() or ""
    if language not in _labels:
        _labels[language] = {key: str(label) for key, label in STATUS_LABELS.items()}
    labels = _labels[language]
    reminders_off = escape(_("reminders off"))
    url = escape(learner_url)
    zone = timezone.get_current_timezone()
    shown: dict = {}
    out = []
    for row in rows:
        uid = int(row.user_id)
        name = escape(row.name)
        select = escape(_("Select %(name)s") % {"name": row.name})
        out.append(
            f'<tr data-learner="{uid}">'
            f'<td class="pick"><label class="visually-hidden" for="pick-{uid}">{select}</label>'
            f'<input type="checkbox" name="learners" value="{uid}" id="pick-{uid}"></td>'
            f'<th scope="row" class="who"><a href="{url}{uid}/">{name}</a><small>{escape(row.association or "—")}</small></th>')
        for cell in row.cells:
            status = escape(cell.status)
            percent = int(cell.percent)
            out.append(
                f'<td class="cell" data-module="{int(cell.module_id)}" data-status="{status}" data-percent="{percent}">'
                f'<span class="pct">{percent} %</span>'
                f'<span class="progress st-bar-{status}" aria-hidden="true"><span style="width: {percent}%"></span></span>'
                f'<span class="st st-{status}">{escape(labels.get(cell.status, cell.status))}</span></td>')
        out.append(f'<td><span class="pct">{int(row.percent)} %</span></td>')
        if row.last_activity_at:
            moment = row.last_activity_at.astimezone(zone)  # timezone.localtime, the zone read once
            day = moment.date()
            if day not in shown:  # many learners were last active on the same few days: each is formatted once
                shown[day] = escape(formats.date_format(moment, "SHORT_DATE_FORMAT"))
            out.append(f'<td><time datetime="{moment.isoformat()}">{shown[day]}</time></td>')
        else:
            out.append("<td>—</td>")
        status = escape(row.status)
        off = "" if row.reminders_enabled else f'<br><small class="muted">{reminders_off}</small>'
        out.append(f'<td><span class="st st-{status}">{escape(labels.get(row.status, row.status))}</span>{off}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 — every interpolated value above is escaped or an int
