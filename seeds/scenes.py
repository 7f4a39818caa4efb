"""Landscapes for the producers' demo photos: sea, fields, orchards, villages, planted hills.

Drawn with a Pen whose unit is the whole picture: (0, 0) is the top left, (1, 1) the bottom right.
"""

from collections.abc import Callable

from seeds.motifs import WHITE, Colour, Pen, mix


def _hills_behind(p: Pen) -> None:
    p.oval(0.77, 0.17, 0.09, 0.09, fill=(255, 214, 120, 230))  # the sun
    far = mix(p.main, (200, 224, 236), 0.5)
    p.poly((0, 0.5), (0.25, 0.3), (0.5, 0.46), (0.75, 0.28), (1, 0.44), (1, 1), (0, 1), fill=far)


def _hills_in_front(p: Pen) -> None:
    p.poly((0, 0.56), (0.3, 0.44), (0.6, 0.52), (1, 0.46), (1, 1), (0, 1), fill=p.main)


def sea(p: Pen) -> None:
    _hills_behind(p)
    p.rect(0, 0.46, 1, 1, fill=(72, 146, 196))
    for k in range(6):
        y = 0.5 + k * 0.05
        for x in range(-1, 14):
            x0 = x * 0.075 + k * 0.019
            p.d.arc(
                p.box(x0, y, x0 + 0.075, y + 0.025), 200, 340, fill=(*WHITE, 150), width=p.px(0.003)
            )
    p.poly((0.28, 0.48), (0.5, 0.48), (0.46, 0.53), (0.32, 0.53), fill=(120, 70, 40))
    p.poly((0.39, 0.47), (0.39, 0.3), (0.49, 0.46), fill=(196, 72, 48))


def fields(p: Pen) -> None:
    """Rice fields, or the terraces of Pù Luông."""
    _hills_behind(p)
    _hills_in_front(p)
    for k in range(7):
        y = 0.52 + k * 0.05
        ridge = mix(p.main, (240, 230, 150), 0.35 + 0.05 * (k % 2))
        p.d.arc(p.box(-0.3, y, 1.3, y + 0.3), 190, 350, fill=ridge, width=p.px(0.006))


def trees(p: Pen, blossom: Colour) -> None:
    _hills_behind(p)
    _hills_in_front(p)
    for k in range(6):
        x, y = 0.12 + k * 0.15, 0.56 + (k % 2) * 0.06
        p.rect(x - 0.004, y, x + 0.004, y + 0.08, fill=(110, 76, 44))
        p.oval(x, y - 0.05, 0.07, 0.07, fill=mix(p.main, p.ink, 0.3))
        for j in range(3):
            p.oval(x - 0.03 + j * 0.03, y - 0.05, 0.009, 0.009, fill=blossom)


def village(p: Pen) -> None:
    _hills_behind(p)
    _hills_in_front(p)
    for x in (0.2, 0.45, 0.72):
        p.rect(x - 0.08, 0.55, x + 0.08, 0.65, fill=(246, 236, 214))
        p.poly((x - 0.1, 0.55), (x, 0.48), (x + 0.1, 0.55), fill=(170, 76, 52))
        p.rect(x - 0.02, 0.59, x + 0.02, 0.65, fill=(120, 80, 50))


def forest(p: Pen) -> None:
    """Hills planted in rows: tea, cinnamon, acacia."""
    _hills_behind(p)
    _hills_in_front(p)
    for k in range(5):
        y = 0.565 + k * 0.05
        for x in range(16):
            p.oval(0.03 + x * 0.044, y, 0.0175, 0.0095, fill=mix(p.main, p.ink, 0.25))


SCENES: dict[str, Callable[[Pen], None]] = {
    "sea": sea,
    "field": fields,
    "terraces": fields,
    "orchard": lambda p: trees(p, (240, 170, 60)),
    "garden": lambda p: trees(p, (236, 120, 170)),
    "village": village,
    "hills": forest,
}
