"""Draws the web app's icons (static/img/icon-*.png) from the favicon's design: the brand's teal square with
a white arrow going up and to the right. Run once after changing the design: python tools/app_icons.py"""
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (15, 94, 87)
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def draw(size: int, *, maskable: bool) -> Image.Image:
    # Drawn 4x larger then reduced: smooth edges without an anti-aliasing library.
    scale = 4
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:  # full bleed: the phone cuts its own shape; the arrow stays in the 80 % safe zone
        pen.rectangle([0, 0, big, big], fill=BRAND)
        inset = big * 0.30
    else:
        pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 6 // 32, fill=BRAND)
        inset = big * 9 / 32
    low, high = inset, big - inset
    width = round(big * 3 / 32)
    pen.line([(low, high), (high, low)], fill="white", width=width)
    pen.line([(low + (high - low) * 0.3, low), (high, low), (high, low + (high - low) * 0.7)], fill="white", width=width,
             joint="curve")
    for x, y in [(low, high), (low + (high - low) * 0.3, low), (high, low + (high - low) * 0.7), (high, low)]:
        r = width / 2
        pen.ellipse([x - r, y - r, x + r, y + r], fill="white")
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    print("written to", OUT)
