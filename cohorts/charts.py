"""Charts as inline SVG, rendered on the server (no chart library, nothing from another host).

Every series is told apart by a pattern and a written label as well as by its colour (an
Okabe–Ito palette, safe for colour-blind readers), so charts survive black-and-white printing.
Each chart has a <title> and a <desc>, and the page shows the same numbers in a table.

The SVGs have no viewBox: bars are laid out in percentages of the width and text stays at its
real size, so a chart is as legible on a 360 px phone as on a desktop. Legends are HTML lists
(they wrap) whose swatches reuse the chart's own patterns.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors.dashboard import COMPLETED, IN_PROGRESS, NOT_STARTED, STALLED, STATUS_LABELS

INK = "#1d2327"
FRAME = "#aab4bc"
STATUS_ORDER = (COMPLETED, IN_PROGRESS, STALLED, NOT_STARTED)


def _defs(prefix: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{prefix}-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#56b4e9"/><rect width="3" height="8" fill="#ffffff" opacity=".55"/></pattern>'
        f'<pattern id="{prefix}-dots" width="7" height="7" patternUnits="userSpaceOnUse">'
        '<rect width="7" height="7" fill="#e69f00"/><circle cx="3.5" cy="3.5" r="1.6" fill="#1d2327"/></pattern>'
        f'<pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
        '<rect width="6" height="6" fill="#cc79a7"/><rect width="2" height="6" fill="#ffffff" opacity=".6"/></pattern>'
        "</defs>"
    )


def _status_fill(prefix: str, status: str) -> str:
    return {COMPLETED: "#0b5d53", IN_PROGRESS: f"url(#{prefix}-stripes)", STALLED: f"url(#{prefix}-dots)",
            NOT_STARTED: "#ffffff"}[status]


def _short(text: str, limit: int = 44) -> str:
    # CJK characters are about twice as wide as Latin ones.
    width, out = 0, []
    for char in text:
        width += 2 if ord(char) > 0x2E80 else 1
        if width > limit:
            return "".join(out).rstrip() + "…"
        out.append(char)
    return text


def _svg(height: int, title: str, desc: str, body: str, chart_id: str) -> str:
    return format_html(
        '<svg class="chart" width="100%" height="{h}" role="img" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg" font-size="13"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>'
        "{defs}{body}</svg>",
        h=height, id=chart_id, title=title, desc=desc, defs=mark_safe(_defs(chart_id)), body=mark_safe(body),  # noqa: S308
    )


def _legend(items: list[tuple[str, str]]) -> str:
    """An HTML legend: (label, SVG fill) pairs, each with a small swatch."""
    entries = []
    for index, (label, fill) in enumerate(items):
        defs = ""
        if fill.startswith("url(#"):
            # The swatch carries its own pattern: one in the chart's <svg> is not drawn from another <svg> by
            # every renderer (WeasyPrint left the PDF's swatch blank).
            prefix, _dash, pattern = fill[5:-1].rpartition("-")
            defs, fill = _defs(f"{prefix}-key{index}"), f"url(#{prefix}-key{index}-{pattern})"
        entries.append(format_html(
            '<li><svg width="16" height="16" aria-hidden="true">{}<rect x=".5" y=".5" width="15" height="15" fill="{}" '
            'stroke="{}"/></svg> {}</li>', mark_safe(defs), fill, INK, label))  # noqa: S308 - our own markup
    return f'<ul class="chart-legend">{"".join(entries)}</ul>'


def _plate(x_percent: float, y: int, text: str) -> str:
    # A number on a white plate stays legible on any fill, in colour or in grey.
    return (f'<svg x="{x_percent:.2f}%" y="{y}" overflow="visible"><rect x="-12" y="4" width="24" height="15" rx="3" fill="#ffffff" '
            f'opacity=".92"/><text x="0" y="16" text-anchor="middle" fill="{INK}" font-weight="600">{escape(text)}</text></svg>')


@dataclass
class StatusBar:
    label: str
    counts: dict[str, int]


def status_bars(bars: list[StatusBar], *, chart_id: str, title: str) -> SafeString:
    """One stacked bar per module: completed, in progress, stalled, not started (counts written in)."""
    parts, descs, y = [], [], 0
    for bar in bars:
        total = sum(bar.counts.values()) or 1
        parts.append(f'<text x="0" y="{y + 14}" fill="{INK}">{escape(_short(bar.label))}</text>')
        top, x = y + 20, 0.0
        for status in STATUS_ORDER:
            count = bar.counts.get(status, 0)
            if not count:
                continue
            width = 100 * count / total
            label = str(STATUS_LABELS[status])
            parts.append(f'<rect x="{x:.2f}%" y="{top}" width="{width:.2f}%" height="24" fill="{_status_fill(chart_id, status)}" '
                         f'stroke="{INK}" stroke-width="1"><title>{escape(bar.label)} — {escape(label)}: {count}</title></rect>')
            if width >= 9:
                parts.append(_plate(x + width / 2, top, str(count)))
            x += width
        descs.append(f"{bar.label}: " + ", ".join(f"{STATUS_LABELS[s]} {bar.counts.get(s, 0)}" for s in STATUS_ORDER))
        y = top + 24 + 14
    svg = _svg(y, title, "; ".join(descs), "".join(parts), chart_id)
    legend = _legend([(str(STATUS_LABELS[s]), _status_fill(chart_id, s)) for s in STATUS_ORDER])
    return mark_safe(f'<figure class="chart-figure">{svg}{legend}</figure>')  # noqa: S308


@dataclass
class Bar:
    label: str
    value: int
    caption: str  # written at the end of the label line, e.g. "12 (60 %)"


def horizontal_bars(bars: list[Bar], *, maximum: int, chart_id: str, title: str) -> SafeString:
    """Simple horizontal bars with their numbers written out (drop-off per lesson)."""
    parts, y = [], 0
    for bar in bars:
        width = 100 * bar.value / maximum if maximum else 0
        parts.append(f'<text x="0" y="{y + 14}" fill="{INK}">{escape(_short(bar.label, 34))}</text>')
        parts.append(f'<text x="100%" y="{y + 14}" text-anchor="end" fill="{INK}" font-weight="600">{escape(bar.caption)}</text>')
        parts.append(f'<rect x="0" y="{y + 19}" width="100%" height="16" fill="#ffffff" stroke="{FRAME}" stroke-width="1"/>')
        if width:
            parts.append(f'<rect x="0" y="{y + 19}" width="{width:.2f}%" height="16" fill="#0b5d53" stroke="{INK}" stroke-width="1">'
                         f'<title>{escape(bar.label)}: {escape(bar.caption)}</title></rect>')
        y += 44
    desc = "; ".join(f"{bar.label}: {bar.caption}" for bar in bars)
    return mark_safe(f'<figure class="chart-figure">{_svg(y, title, desc, "".join(parts), chart_id)}</figure>')  # noqa: S308


@dataclass
class PairedBar:
    label: str
    first: int | None  # percent
    second: int | None  # percent


def paired_bars(bars: list[PairedBar], *, first_label: str, second_label: str, chart_id: str, title: str,
                unit: str = " %") -> SafeString:
    """Two bars per item on a 0–100 scale, told apart by fill pattern, by the legend and by position. `unit` follows
    each value: " %" for a share, "/100" for a score (a score out of 100 is not a percentage)."""
    fills = ("#0b5d53", f"url(#{chart_id}-hatch)")
    parts, y = [], 0
    for bar in bars:
        parts.append(f'<text x="0" y="{y + 14}" fill="{INK}">{escape(_short(bar.label))}</text>')
        for offset, (value, fill, name) in enumerate(((bar.first, fills[0], first_label), (bar.second, fills[1], second_label))):
            top = y + 19 + offset * 17
            parts.append(f'<rect x="0" y="{top}" width="82%" height="14" fill="#ffffff" stroke="{FRAME}" stroke-width="1"/>')
            if value:
                parts.append(f'<rect x="0" y="{top}" width="{82 * value / 100:.2f}%" height="14" fill="{fill}" stroke="{INK}" '
                             f'stroke-width="1"><title>{escape(bar.label)} — {escape(name)}: {value}{unit}</title></rect>')
            text = "—" if value is None else f"{value}{unit}"
            parts.append(f'<text x="84%" y="{top + 12}" fill="{INK}" font-size="12">{text}</text>')
        y += 60
    desc = "; ".join(f"{b.label}: {first_label} {b.first if b.first is not None else '—'}{unit}, "
                     f"{second_label} {b.second if b.second is not None else '—'}{unit}" for b in bars)
    svg = _svg(y, title, desc, "".join(parts), chart_id)
    legend = _legend([(first_label, fills[0]), (second_label, fills[1])])
    return mark_safe(f'<figure class="chart-figure">{svg}{legend}</figure>')  # noqa: S308


def diagnostic_chart(*, at_joining: int, now: int, chart_id: str = "diag") -> SafeString:
    return paired_bars([PairedBar(label=_("Average score (out of 100)"), first=at_joining, second=now)],
                       first_label=_("At joining"), second_label=_("Now"), chart_id=chart_id,
                       title=_("Average self-diagnostic score, at joining and now"), unit="/100")
