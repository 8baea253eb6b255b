"""The Essor seal, drawn for the project as SVG: a double ring, the project's words around it in its three
languages, a rising wing (essor: the taking of flight) in the middle. Letters are placed one by one
(no textPath) so that every renderer — Chromium, WeasyPrint, the badge PNG — draws the same seal."""
from __future__ import annotations

import math
from functools import lru_cache
from html import escape

# The Chinese words sit upright at the top (text along the bottom of a ring reads upside down).
RING_TEXT = "能力建设 ✦ CAPACITY BUILDING ✦ ESSOR ✦ RENFORCEMENT DES CAPACITÉS ✦ "


def _ring(text: str, radius: float, size: float) -> str:
    # Wide (CJK) characters take about twice the arc of Latin capitals.
    widths = [2.0 if ord(char) > 0x2E80 else 0.62 if char == " " else 1.2 for char in text]
    total = sum(widths)
    first = text.index(" ")  # the first word is centred on the top of the ring
    angle, parts = -90.0 - 180.0 * sum(widths[:first]) / total, []
    for char, width in zip(text, widths, strict=True):
        step = 360.0 * width / total
        middle = angle + step / 2
        if char != " ":
            x = 100 + radius * math.cos(math.radians(middle))
            y = 100 + radius * math.sin(math.radians(middle))
            parts.append(f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="middle" dominant-baseline="central" '
                         f'transform="rotate({middle + 90:.2f} {x:.2f} {y:.2f})">{escape(char)}</text>')
        angle += step
    return "".join(parts)


@lru_cache(maxsize=8)
def seal_svg(color: str = "#0f5e57", label: str = "Essor seal") -> str:
    """The seal as an inline SVG element (viewBox 0 0 200 200), in one colour."""
    wing = ("M58 128 C78 124 96 112 108 92 C114 82 120 70 134 58 C128 74 126 86 118 100 "
            "C136 90 148 78 156 64 C154 86 138 108 112 122 C96 130 78 132 58 128 Z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="{escape(label)}" '
        f'class="seal" fill="{color}" stroke="{color}">'
        f'<title>{escape(label)}</title>'
        '<circle cx="100" cy="100" r="97" fill="none" stroke-width="3"/>'
        '<circle cx="100" cy="100" r="91" fill="none" stroke-width="1"/>'
        '<circle cx="100" cy="100" r="65" fill="none" stroke-width="1.6"/>'
        '<circle cx="100" cy="100" r="61" fill="none" stroke-width="0.6"/>'
        f'<g stroke="none" font-family="Noto Serif CJK SC, WenQuanYi Micro Hei, serif" font-weight="700">'
        f'{_ring(RING_TEXT, 78, 10.5)}</g>'
        f'<path d="{wing}" stroke="none"/>'
        '<path d="M64 140 L136 140" stroke-width="1.2"/>'
        '<g stroke="none" font-family="Noto Serif CJK SC, WenQuanYi Micro Hei, serif" font-weight="700" text-anchor="middle">'
        '<text x="100" y="153" font-size="13" letter-spacing="2">ESSOR</text></g>'
        '<g stroke="none"><circle cx="72" cy="70" r="2.2"/><circle cx="84" cy="60" r="1.6"/><circle cx="66" cy="84" r="1.4"/></g>'
        '</svg>'
    )
