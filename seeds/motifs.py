"""The simple shapes on the demo photos: a bottle, a jar, a basket, a flower… one per product kind.

Every motif draws with a Pen whose unit is half the motif's size and whose origin is its centre,
so (0, 0) is the middle, y = 1 the bottom, and a motif can be drawn at any place and size.
"""

import math
from collections.abc import Callable

from PIL import ImageDraw

Colour = tuple[int, int, int]
WHITE: Colour = (255, 255, 255)


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """The colour a fraction t of the way from a to b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def turned(cx: float, cy: float, points, angle: float) -> list[tuple[float, float]]:
    """Points relative to (cx, cy) turned by `angle` degrees and moved there."""
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    return [(cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in points]


def ellipse(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0, n: int = 48):
    """Points of an ellipse turned by `angle` degrees: Pillow cannot draw a rotated one."""
    steps = (2 * math.pi * i / n for i in range(n))
    return turned(cx, cy, [(rx * math.cos(t), ry * math.sin(t)) for t in steps], angle)


def leaf(cx: float, cy: float, length: float, width: float, angle: float, n: int = 40):
    """A pointed leaf (or petal, or drop) growing from (cx, cy) in direction `angle`."""
    half = [(length * i / n, math.sin(math.pi * i / n) * width / 2) for i in range(n + 1)]
    return turned(cx, cy, half + [(x, -y) for x, y in reversed(half[1:-1])], angle)


class Pen:
    """Draws in motif units: (x, y) means (cx + x·s, cy + y·s)."""

    def __init__(self, draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, main, ink, light):
        self.d, self.cx, self.cy, self.s = draw, cx, cy, s
        self.main, self.ink, self.light = main, ink, light

    def at(self, x: float, y: float) -> tuple[float, float]:
        return (self.cx + x * self.s, self.cy + y * self.s)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, ...]:
        return (*self.at(x0, y0), *self.at(x1, y1))

    def px(self, k: float) -> int:
        """A length in pixels, for line widths and corner radii."""
        return max(1, round(k * self.s))

    def poly(self, *points: tuple[float, float], **style) -> None:
        self.d.polygon([self.at(x, y) for x, y in points], **style)

    def oval(self, x: float, y: float, rx: float, ry: float, angle: float = 0.0, **style) -> None:
        self.d.polygon(ellipse(*self.at(x, y), rx * self.s, ry * self.s, angle), **style)

    def leaf(self, x: float, y: float, length: float, width: float, angle: float, **style) -> None:
        self.d.polygon(leaf(*self.at(x, y), length * self.s, width * self.s, angle), **style)

    def rect(self, x0, y0, x1, y1, radius: float = 0.0, **style) -> None:
        self.d.rounded_rectangle(self.box(x0, y0, x1, y1), radius=self.px(radius), **style)

    def line(self, x0, y0, x1, y1, width: float, **style) -> None:
        self.d.line(self.box(x0, y0, x1, y1), width=self.px(width), **style)

    def shadow(self, y: float, rx: float) -> None:
        """A soft oval under the motif, as if it stood on a table."""
        self.oval(0, y, rx, rx * 0.16, fill=(0, 0, 0, 40))


def bottle(p: Pen) -> None:
    body = (*p.main, 235)
    p.shadow(1, 0.6)
    p.rect(-0.42, -0.25, 0.42, 1, radius=0.16, fill=body)
    p.poly((-0.42, -0.15), (-0.16, -0.62), (0.16, -0.62), (0.42, -0.15), fill=body)
    p.rect(-0.16, -0.9, 0.16, -0.6, fill=body)
    p.rect(-0.2, -1.02, 0.2, -0.84, radius=0.04, fill=p.ink)
    p.rect(-0.34, 0.1, 0.34, 0.62, radius=0.06, fill=p.light)
    p.line(-0.22, 0.3, 0.22, 0.3, width=0.05, fill=p.ink)
    p.line(-0.16, 0.44, 0.16, 0.44, width=0.03, fill=p.ink)
    p.rect(-0.32, -0.12, -0.22, 0.9, radius=0.05, fill=(*WHITE, 70))


def jar(p: Pen) -> None:
    p.shadow(0.95, 0.75)
    p.rect(-0.62, -0.45, 0.62, 0.95, radius=0.3, fill=(*p.main, 230))
    p.rect(-0.5, -0.72, 0.5, -0.4, radius=0.08, fill=p.ink)
    p.rect(-0.45, -0.05, 0.45, 0.5, radius=0.08, fill=p.light)
    p.oval(0, 0.22, 0.14, 0.14, fill=p.main)
    p.oval(-0.4, 0.25, 0.06, 0.32, fill=(*WHITE, 70))
    p.leaf(0.32, -0.42, 0.35, 0.16, 90, fill=p.main)  # a drop running down from the lid


def parcel(p: Pen) -> None:
    """Something wrapped in banana leaves and tied with string: nem, bánh gai, giò."""
    string = (232, 210, 160)
    p.shadow(0.8, 0.85)
    p.oval(0, 0.1, 0.88, 0.62, -8, fill=(52, 104, 44))
    p.oval(0, 0, 0.82, 0.58, -8, fill=(98, 158, 74))
    for k in range(-3, 4):
        p.line(k * 0.2 - 0.2, -0.5, k * 0.2 + 0.2, 0.5, width=0.03, fill=(140, 196, 104, 160))
    p.line(-0.85, 0.12, 0.85, -0.12, width=0.07, fill=string)
    p.line(-0.08, -0.6, 0.08, 0.6, width=0.07, fill=string)
    p.oval(0, 0, 0.12, 0.12, fill=p.main)


def box(p: Pen) -> None:
    """A gift box with a ribbon."""
    p.shadow(0.85, 0.9)
    p.rect(-0.8, -0.35, 0.8, 0.85, radius=0.06, fill=(*p.main, 240))
    p.rect(-0.88, -0.6, 0.88, -0.3, radius=0.06, fill=p.ink)
    p.rect(-0.1, -0.6, 0.1, 0.85, fill=p.light)
    p.leaf(0, -0.62, 0.5, 0.3, -150, fill=p.light)
    p.leaf(0, -0.62, 0.5, 0.3, -30, fill=p.light)
    p.oval(0, -0.62, 0.1, 0.1, fill=p.ink)


def fruit(p: Pen) -> None:
    p.shadow(0.82, 0.8)
    p.oval(0, 0.035, 0.85, 0.815, fill=mix(p.main, (232, 190, 60), 0.55))
    p.oval(-0.35, -0.3, 0.22, 0.12, -40, fill=(*WHITE, 90))
    for angle in range(0, 360, 60):
        a = math.radians(angle)
        p.oval(0.45 * math.cos(a), 0.45 * math.sin(a), 0.015, 0.015, fill=(*WHITE, 50))
    p.line(0, -0.78, 0.05, -1.0, width=0.06, fill=(96, 70, 40))
    p.leaf(0.04, -0.92, 0.6, 0.3, -20, fill=(70, 140, 64))


def grain(p: Pen) -> None:
    """A rice sack with an ear of rice."""
    sack = (226, 204, 160)
    p.shadow(0.9, 0.8)
    p.rect(-0.7, -0.4, 0.7, 0.9, radius=0.25, fill=sack)
    p.poly((-0.45, -0.4), (-0.6, -0.8), (0.6, -0.8), (0.45, -0.4), fill=mix(sack, WHITE, 0.2))
    p.rect(-0.5, -0.46, 0.5, -0.36, fill=p.ink)
    p.rect(-0.45, 0.05, 0.45, 0.55, radius=0.06, fill=p.main)
    p.line(0.1, -0.6, 0.6, -1.75, width=0.03, fill=(150, 120, 50))
    for k in range(7):
        x, y = 0.2 + k * 0.06, -0.95 - k * 0.11
        p.oval(x - 0.07, y, 0.07, 0.035, -35, fill=(214, 170, 60))
        p.oval(x + 0.07, y, 0.07, 0.035, 35, fill=(214, 170, 60))


def mat(p: Pen) -> None:
    """A sedge mat laid out in perspective, rolled up at the back."""
    straw = (222, 196, 130)
    p.shadow(0.75, 0.95)
    p.poly((-0.95, 0.75), (-0.55, -0.45), (0.6, -0.45), (0.95, 0.75), fill=straw)
    for k in range(1, 12):
        t = k / 12
        y = 0.75 - t * 1.2
        p.line(-0.95 + t * 0.4, y, 0.95 - t * 0.35, y, width=0.008, fill=mix(straw, p.ink, 0.25))
    p.poly((-0.45, 0.45), (0, 0.05), (0.45, 0.45), (0, 0.6), fill=(*p.main, 210))
    p.oval(0.65, -0.45, 0.3, 0.3, fill=mix(straw, p.ink, 0.15))
    p.oval(0.65, -0.45, 0.15, 0.15, fill=mix(straw, p.ink, 0.45))


def basket(p: Pen) -> None:
    rattan = (196, 150, 86)
    p.shadow(0.85, 0.8)
    p.d.arc(p.box(-0.55, -1.0, 0.55, 0.1), 180, 360, fill=mix(rattan, p.ink, 0.3), width=p.px(0.09))
    p.poly((-0.85, -0.3), (0.85, -0.3), (0.6, 0.85), (-0.6, 0.85), fill=rattan)
    for k in range(1, 7):
        y = -0.3 + k * 1.15 / 7
        p.line(-0.85 + k * 0.035, y, 0.85 - k * 0.035, y, width=0.01, fill=mix(rattan, p.ink, 0.35))
    for k in range(-5, 6):
        p.line(k * 0.15, -0.3, k * 0.11, 0.85, width=0.008, fill=mix(rattan, (255, 240, 200), 0.3))
    p.rect(-0.88, -0.38, 0.88, -0.26, fill=mix(rattan, p.ink, 0.4))
    p.oval(-0.3, 0.25, 0.14, 0.14, fill=(*p.main, 220))


def leaves(p: Pen) -> None:
    """A sprig of leaves: cinnamon, herbs, tea."""
    p.shadow(0.9, 0.7)
    p.line(0, 0.9, 0, -0.2, width=0.05, fill=mix(p.main, p.ink, 0.5))
    for angle, length in ((-150, 0.95), (-30, 0.95), (-90, 1.05), (-125, 0.7), (-55, 0.7)):
        p.leaf(0, 0.1, length, 0.42, angle, fill=(*p.main, 225))
        a = math.radians(angle)
        tip = (math.cos(a) * length * 0.85, 0.1 + math.sin(a) * length * 0.85)
        p.line(0, 0.1, *tip, width=0.01, fill=(*WHITE, 110))


def flower(p: Pen) -> None:
    """Orchids in a pot."""
    p.shadow(0.95, 0.55)
    p.poly((-0.45, 0.45), (0.45, 0.45), (0.33, 0.95), (-0.33, 0.95), fill=(236, 232, 226))
    p.line(0, 0.45, -0.1, -0.35, width=0.04, fill=(70, 120, 60))
    p.leaf(0, 0.42, 0.6, 0.25, -165, fill=(70, 140, 64))
    p.leaf(0, 0.42, 0.6, 0.25, -15, fill=(70, 140, 64))
    petal = (*mix(p.main, WHITE, 0.35), 240)
    for x, y, r in ((-0.1, -0.45, 0.34), (0.32, -0.2, 0.26), (-0.45, -0.05, 0.24)):
        for k in range(5):
            a = math.radians(72 * k - 90)
            px, py = x + math.cos(a) * r * 0.55, y + math.sin(a) * r * 0.55
            p.oval(px, py, r * 0.55, r * 0.36, 72 * k - 90, fill=petal)
        p.oval(x, y, r * 0.2, r * 0.2, fill=(246, 206, 72))


def house(p: Pen) -> None:
    """A Thái stilt house in front of the hills."""
    wood = (150, 96, 52)
    p.poly((-1.1, 0.95), (-0.4, -0.35), (0.1, 0.4), (0.6, -0.1), (1.2, 0.95), fill=(*p.main, 120))
    for x in (-0.5, -0.15, 0.2, 0.5):
        p.rect(x - 0.02, 0.3, x + 0.02, 0.95, fill=mix(wood, p.ink, 0.3))
    p.rect(-0.6, -0.15, 0.6, 0.3, fill=wood)
    p.poly((-0.8, -0.1), (-0.35, -0.75), (0.35, -0.75), (0.8, -0.1), fill=(120, 84, 50))
    for x in (-0.38, 0.12):
        p.rect(x, -0.05, x + 0.22, 0.18, fill=(250, 220, 140))
    p.line(0.6, 0.3, 0.95, 0.95, width=0.04, fill=mix(wood, p.ink, 0.3))


def fish(p: Pen) -> None:
    body = (*p.main, 235)
    p.shadow(0.8, 0.9)
    p.oval(-0.1, 0, 0.72, 0.38, fill=body)
    p.poly((0.5, 0), (0.95, -0.38), (0.95, 0.38), fill=body)
    p.oval(-0.15, 0.12, 0.5, 0.14, fill=(*WHITE, 80))
    p.oval(-0.55, -0.05, 0.07, 0.07, fill=WHITE)
    p.oval(-0.55, -0.05, 0.03, 0.03, fill=p.ink)
    for k in range(3):
        x = -0.1 + k * 0.18
        p.d.arc(
            p.box(x - 0.2, -0.3, x + 0.05, 0.3),
            300,
            60,
            fill=mix(p.main, p.ink, 0.4),
            width=p.px(0.012),
        )
    for k in range(3):  # bubbles
        r = 0.05 + 0.02 * k
        x, y = -0.85 - k * 0.08, -0.45 - k * 0.25
        p.d.ellipse(p.box(x - r, y - r, x + r, y + r), outline=(*WHITE, 180), width=p.px(0.01))


def cup(p: Pen) -> None:
    """A cup of tea with a golden camellia."""
    porcelain = (250, 248, 240)
    p.shadow(0.75, 0.9)
    p.d.ellipse(p.box(-0.9, 0.45, 0.9, 0.8), fill=porcelain)
    p.d.pieslice(p.box(-0.65, -0.45, 0.65, 0.75), 0, 180, fill=porcelain)
    p.d.arc(p.box(0.45, -0.05, 0.9, 0.4), 270, 90, fill=porcelain, width=p.px(0.08))
    p.d.ellipse(p.box(-0.65, 0, 0.65, 0.3), fill=mix((228, 180, 60), p.main, 0.2))
    p.line(-0.5, 0.35, 0.5, 0.35, width=0.015, fill=(*p.main, 150))
    for x in (-0.25, 0, 0.25):  # steam
        p.d.arc(
            p.box(x - 0.1, -0.75, x + 0.1, -0.45), 90, 270, fill=(*WHITE, 200), width=p.px(0.015)
        )
        p.d.arc(
            p.box(x - 0.1, -0.45, x + 0.1, -0.15), 270, 90, fill=(*WHITE, 200), width=p.px(0.015)
        )
    for k in range(5):
        a = math.radians(72 * k)
        p.oval(
            0.75 + math.cos(a) * 0.12,
            -0.6 + math.sin(a) * 0.12,
            0.13,
            0.08,
            72 * k,
            fill=(238, 196, 50),
        )


def eggs(p: Pen) -> None:
    """Eggs in a nest: free-range chicken and its eggs."""
    nest = (176, 128, 72)
    p.shadow(0.85, 0.95)
    p.d.pieslice(p.box(-0.95, -0.2, 0.95, 0.9), 0, 180, fill=nest)
    for x, y, tint in ((-0.42, -0.05, 0.0), (0.42, -0.05, 0.15), (0.0, -0.2, 0.08)):
        shell = mix((252, 246, 236), (226, 170, 118), tint)
        p.oval(x, y, 0.3, 0.4, fill=shell, outline=mix(shell, p.ink, 0.35), width=p.px(0.01))
        p.oval(x - 0.1, y - 0.12, 0.06, 0.1, fill=(*WHITE, 110))
    p.d.chord(p.box(-0.95, 0.1, 0.95, 0.9), 0, 180, fill=mix(nest, p.ink, 0.15))
    for k in range(-4, 5):
        p.line(
            k * 0.2, 0.35, k * 0.17 + 0.1, 0.8, width=0.01, fill=mix(nest, (255, 230, 170), 0.35)
        )


MOTIFS: dict[str, Callable[[Pen], None]] = {
    "bottle": bottle,
    "jar": jar,
    "parcel": parcel,
    "box": box,
    "fruit": fruit,
    "grain": grain,
    "mat": mat,
    "basket": basket,
    "leaf": leaves,
    "flower": flower,
    "house": house,
    "fish": fish,
    "cup": cup,
    "egg": eggs,
}
GROUP_MOTIFS = {
    "food": "jar",
    "beverage": "bottle",
    "herbal": "leaf",
    "handicraft": "basket",
    "ornamental": "flower",
    "tourism": "house",
}
