"""Server-rendered SVG charts of the impact pages and report (no chart library), in the style of
cohorts/charts.py: patterns as well as colours, a <title> and <desc>, the numbers also in a table."""
from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cohorts.charts import FRAME, INK, PairedBar, _legend, _short, _svg, paired_bars


def month_columns(months: list[tuple[str, int | None, int | None]], *, first_label: str, second_label: str,
                  chart_id: str, title: str) -> SafeString:
    """Two columns per month (e.g. completions and certificates); None (a suppressed cell) draws nothing."""
    fills = ("#0b5d53", f"url(#{chart_id}-hatch)")
    values = [v for _label, a, b in months for v in (a, b) if v]
    top = max(values, default=1) or 1
    height, base = 150, 170
    parts = [f'<line x1="0" y1="{base}" x2="100%" y2="{base}" stroke="{FRAME}"/>']
    n = max(len(months), 1)
    slot = 100 / n
    # Every month up to six, else about four labels: twelve "01/2026" overlap on a phone (every bar keeps its
    # <title>, and the table below has every month).
    step = 1 if n <= 6 else -(-n // 4)
    for i, (label, first, second) in enumerate(months):
        x = i * slot
        for offset, (value, fill, name) in enumerate(((first, fills[0], first_label), (second, fills[1], second_label))):
            if not value:
                continue
            h = max(1, round(height * value / top))
            parts.append(f'<rect x="{x + slot * (0.12 + 0.38 * offset):.2f}%" y="{base - h}" width="{slot * 0.36:.2f}%" '
                         f'height="{h}" fill="{fill}" stroke="{INK}" stroke-width="1"><title>{escape(label)} — '
                         f'{escape(name)}: {value}</title></rect>')
        if (n - 1 - i) % step == 0:  # counted from the latest month, which is always labelled
            # The first and last labels are anchored inside the chart (centred, they would be cut on a phone).
            anchor, at = (("end", x + slot) if i == n - 1 and n > 1 else ("start", x) if i == 0 and n > 1
                          else ("middle", x + slot / 2))
            parts.append(f'<text x="{at:.2f}%" y="{base + 16}" text-anchor="{anchor}" fill="{INK}" font-size="11">'
                         f'{escape(_short(label, 8))}</text>')
    desc = "; ".join(f"{label}: {first_label} {'—' if a is None else a}, {second_label} {'—' if b is None else b}"
                     for label, a, b in months)
    svg = _svg(base + 24, title, desc, "".join(parts), chart_id)
    return mark_safe(f'<figure class="chart-figure">{svg}{_legend([(first_label, fills[0]), (second_label, fills[1])])}</figure>')  # noqa: S308


def report_charts(report) -> dict:
    """The report's charts: completions and certificates by month, the self-diagnostic by area before and after."""
    months = month_columns([(date_format(m["month"], "m/Y"), m["completed"], m["certificates"]) for m in report.months],
                           first_label=_("Modules completed"), second_label=_("Certificates"), chart_id="r-months",
                           title=_("Modules completed and certificates issued, by month"))
    capacity = report.section("capacity")
    by_key = {f.key: f for f in capacity.figures}
    bars = []
    for f in capacity.figures:
        if f.key.endswith(".before"):
            stem = f.key[: -len(".before")]
            after = by_key.get(f"{stem}.after")
            bars.append(PairedBar(label=f.label.rsplit(":", 1)[0].rsplit("：", 1)[0], first=f.value,
                                  second=after.value if after else None))
    chart = paired_bars(bars, first_label=_("Before"), second_label=_("After"), chart_id="r-capacity",
                        title=_("Self-diagnostic by area, before and after (out of 100)"), unit="/100") if bars else ""
    return {"months": months, "capacity": chart}
