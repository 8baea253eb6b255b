"""Charts as inline SVG, rendered on the server (no chart library, nothing from another host).

Every series is told apart by a pattern and a written label as well as by its colour (an
Okabe–Ito palette, safe for colour-blind readers), so charts survive black-and-white printing.
Each chart has a <title> and a <desc>, and the page shows the same numbers in a table.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors.dashboard import COMPLETED, IN_PROGRESS, NOT_STARTED, STALLED, STATUS_LABELS

INK = "#1d2327"
WIDTH = 640
LABEL_WIDTH = 200
ROW = 34

# status -> (fill, pattern id or None, text colour on it)
STATUS_STYLE = {
    COMPLETED: ("#0b5d53", None, "#ffffff"),
    IN_PROGRESS: ("#56b4e9", "pat-stripes", INK),
    STALLED: ("#e69f00", "pat-dots", INK),
    NOT_STARTED: ("#ffffff", None, INK),
}
STATUS_ORDER = (COMPLETED, IN_PROGRESS, STALLED, NOT_STARTED)

DEFS = (
    '<defs>'
    '<pattern id="pat-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="8" height="8" fill="#56b4e9"/><rect width="3" height="8" fill="#ffffff" opacity=".55"/></pattern>'
    '<pattern id="pat-dots" width="7" height="7" patternUnits="userSpaceOnUse">'
    '<rect width="7" height="7" fill="#e69f00"/><circle cx="3.5" cy="3.5" r="1.6" fill="#1d2327"/></pattern>'
    '<pattern id="pat-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
    '<rect width="6" height="6" fill="#cc79a7"/><rect width="2" height="6" fill="#ffffff" opacity=".6"/></pattern>'
    '</defs>'
)


def _short(text: str, limit: int = 30) -> str:
    # CJK characters are about twice as wide as Latin ones.
    width, out = 0, []
    for char in text:
        width += 2 if ord(char) > 0x2E80 else 1
        if width > limit:
            return "".join(out).rstrip() + "…"
        out.append(char)
    return text


def _fill(style: tuple[str, str | None, str]) -> str:
    colour, pattern, _text = style
    return f"url(#{pattern})" if pattern else colour


def _svg(height: int, title: str, desc: str, body: str, chart_id: str) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg" font-size="13" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{defs}{body}</svg>',
        w=WIDTH, h=height, id=chart_id, title=title, desc=desc, defs=mark_safe(DEFS), body=mark_safe(body),  # noqa: S308
    )


def _legend(items: list[tuple[str, tuple[str, str | None, str]]], y: int) -> tuple[str, int]:
    parts, x = [], 0
    for label, style in items:
        box = 14
        parts.append(f'<rect x="{x}" y="{y}" width="{box}" height="{box}" fill="{_fill(style)}" stroke="{INK}" stroke-width="1"/>')
        parts.append(f'<text x="{x + box + 5}" y="{y + 11}" fill="{INK}">{escape(label)}</text>')
        x += box + 14 + int(len(label) * 7.2)
        if x > WIDTH - 120:
            x, y = 0, y + 22
    return "".join(parts), y + 22


@dataclass
class StatusBar:
    label: str
    counts: dict[str, int]


def status_bars(bars: list[StatusBar], *, chart_id: str, title: str) -> SafeString:
    """One stacked bar per module: completed, in progress, stalled, not started (counts written in)."""
    plot = WIDTH - LABEL_WIDTH - 10
    parts = []
    y = 4
    descs = []
    for bar in bars:
        total = sum(bar.counts.values()) or 1
        parts.append(f'<text x="0" y="{y + 18}" fill="{INK}">{escape(_short(bar.label))}</text>')
        x = LABEL_WIDTH
        for status in STATUS_ORDER:
            count = bar.counts.get(status, 0)
            if not count:
                continue
            width = max(1.0, plot * count / total)
            style = STATUS_STYLE[status]
            label = str(STATUS_LABELS[status])
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="24" fill="{_fill(style)}" stroke="{INK}" stroke-width="1">'
                f'<title>{escape(bar.label)} — {escape(label)}: {count}</title></rect>')
            if width >= 22:
                # The number on a white plate stays legible on any fill, in colour or grey.
                text_x = x + width / 2
                parts.append(f'<rect x="{text_x - 11:.1f}" y="{y + 5}" width="22" height="14" rx="3" fill="#ffffff" opacity=".9"/>')
                parts.append(f'<text x="{text_x:.1f}" y="{y + 16}" text-anchor="middle" fill="{INK}" font-weight="600">{count}</text>')
            x += width
        descs.append(f"{bar.label}: " + ", ".join(f"{STATUS_LABELS[s]} {bar.counts.get(s, 0)}" for s in STATUS_ORDER))
        y += ROW
    legend, y = _legend([(str(STATUS_LABELS[s]), STATUS_STYLE[s]) for s in STATUS_ORDER], y + 4)
    return _svg(y, title, "; ".join(descs), "".join(parts) + legend, chart_id)


@dataclass
class Bar:
    label: str
    value: int
    caption: str  # written at the end of the bar, e.g. "12 (60 %)"


def horizontal_bars(bars: list[Bar], *, maximum: int, chart_id: str, title: str) -> SafeString:
    """Simple horizontal bars with their numbers written out (drop-off per lesson)."""
    plot = WIDTH - LABEL_WIDTH - 90
    parts, y = [], 4
    for bar in bars:
        width = plot * bar.value / maximum if maximum else 0
        parts.append(f'<text x="0" y="{y + 15}" fill="{INK}">{escape(_short(bar.label))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{plot}" height="20" fill="#ffffff" stroke="#aab4bc" stroke-width="1"/>')
        if width:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="20" fill="#0b5d53" stroke="{INK}" stroke-width="1">'
                         f'<title>{escape(bar.label)}: {escape(bar.caption)}</title></rect>')
        parts.append(f'<text x="{LABEL_WIDTH + plot + 6}" y="{y + 15}" fill="{INK}">{escape(bar.caption)}</text>')
        y += 28
    desc = "; ".join(f"{bar.label}: {bar.caption}" for bar in bars)
    return _svg(y + 4, title, desc, "".join(parts), chart_id)


@dataclass
class PairedBar:
    label: str
    first: int | None  # percent
    second: int | None  # percent


def paired_bars(bars: list[PairedBar], *, first_label: str, second_label: str, chart_id: str, title: str) -> SafeString:
    """Two bars per item on a 0–100 % scale, told apart by fill pattern and by the legend."""
    plot = WIDTH - LABEL_WIDTH - 60
    styles = (("#0b5d53", None, "#fff"), ("#cc79a7", "pat-hatch", INK))
    parts, y = [], 4
    for bar in bars:
        parts.append(f'<text x="0" y="{y + 20}" fill="{INK}">{escape(_short(bar.label))}</text>')
        for offset, (value, style, name) in enumerate(((bar.first, styles[0], first_label), (bar.second, styles[1], second_label))):
            top = y + offset * 16
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{top}" width="{plot}" height="14" fill="#ffffff" stroke="#aab4bc" stroke-width="1"/>')
            if value:
                parts.append(f'<rect x="{LABEL_WIDTH}" y="{top}" width="{plot * value / 100:.1f}" height="14" fill="{_fill(style)}" '
                             f'stroke="{INK}" stroke-width="1"><title>{escape(bar.label)} — {escape(name)}: {value} %</title></rect>')
            text = "—" if value is None else f"{value} %"
            parts.append(f'<text x="{LABEL_WIDTH + plot + 6}" y="{top + 12}" fill="{INK}" font-size="12">{text}</text>')
        y += 42
    legend, y = _legend([(first_label, styles[0]), (second_label, styles[1])], y + 2)
    desc = "; ".join(f"{b.label}: {first_label} {b.first if b.first is not None else '—'} %, "
                     f"{second_label} {b.second if b.second is not None else '—'} %" for b in bars)
    return _svg(y, title, desc, "".join(parts) + legend, chart_id)


def diagnostic_chart(*, at_joining: int, now: int, chart_id: str = "diag") -> SafeString:
    return paired_bars([PairedBar(label=_("Average score"), first=at_joining, second=now)],
                       first_label=_("At joining"), second_label=_("Now"), chart_id=chart_id,
                       title=_("Average self-diagnostic score, at joining and now"))
