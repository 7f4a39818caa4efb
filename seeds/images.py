"""Placeholder photos for the demo data, drawn with Pillow: no network, the same bytes every run.

Each picture is a soft gradient in the colour of the product's OCOP group, a simple motif
(bottle, jar, basket, flower…, see motifs.py) and the name in Vietnamese. Drawing happens at
twice the size and is shrunk at the end, which smooths the edges Pillow does not antialias.
"""

import io
import re
import unicodedata
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from seeds.motifs import GROUP_MOTIFS, MOTIFS, WHITE, Colour, Pen, mix
from seeds.scenes import SCENES

SIZE = 800
SCALE = 2
CANVAS = SIZE * SCALE

# top of the gradient, bottom of the gradient, the motif's main colour, a darker ink
PALETTES: dict[str, tuple[Colour, Colour, Colour, Colour]] = {
    "food": ((255, 241, 219), (246, 186, 132), (214, 104, 52), (112, 48, 22)),
    "beverage": ((228, 243, 255), (140, 190, 230), (48, 112, 176), (22, 52, 96)),
    "herbal": ((234, 247, 226), (150, 204, 138), (58, 132, 70), (24, 74, 36)),
    "handicraft": ((251, 243, 222), (219, 186, 128), (166, 112, 52), (92, 58, 22)),
    "ornamental": ((253, 234, 243), (230, 160, 198), (176, 62, 128), (96, 24, 70)),
    "tourism": ((226, 246, 242), (128, 200, 186), (34, 128, 114), (14, 72, 64)),
}
LANDSCAPE_PALETTE = ((218, 238, 252), (255, 226, 196), (86, 150, 92), (40, 70, 44))

# Fonts that carry Vietnamese (ư, ơ, ặ, ự…); Pillow also looks them up in the system font dirs.
FONT_CANDIDATES = (
    "DejaVuSans-Bold.ttf",
    "NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "arialbd.ttf",
    "segoeuib.ttf",
)
VIETNAMESE_PROBE = "ựặỗĐơ"
_NUMBER_SPACE = re.compile(r"(\d) (?=\S)")


def _glyph(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, char: str) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


def _has_vietnamese(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> bool:
    """True when the font draws Vietnamese letters instead of its 'missing glyph' box."""
    missing = _glyph(font, "\ue000")  # a private-use code point: missing from text fonts
    return all(_glyph(font, char) != missing for char in VIETNAMESE_PROBE)


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        try:
            font = ImageFont.truetype(candidate, 40)
        except OSError:
            continue
        if _has_vietnamese(font):
            return font.path
    return None


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont:
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _printable(text: str) -> str:
    """The text itself, or without diacritics when no installed font can draw them."""
    if _font_path():
        return text
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaking at plain spaces (a no-break space keeps '250 g' together)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit(text: str, width: float, size: int, max_lines: int):
    """The largest font (down from `size`) that sets the text in at most max_lines lines."""
    while True:
        font = _font(size)
        lines = _wrap(text, font, width)
        fits = len(lines) <= max_lines and all(font.getlength(x) <= width for x in lines)
        if fits or size <= 24:
            return font, lines
        size -= 4


def _caption(img: Image.Image, text: str, ink: Colour, top: float, subtitle: str = "") -> None:
    """The name, centred in a white card whose top edge is at `top` (a fraction of the height)."""
    d = ImageDraw.Draw(img, "RGBA")
    margin = CANVAS * 0.07
    text = _NUMBER_SPACE.sub("\\1\u00a0", _printable(text))
    font, lines = _fit(text, CANVAS - 4 * margin, 50 * SCALE, 3)
    line_height = font.size * 1.25
    small = _font(32 * SCALE)
    height = line_height * len(lines) + margin * 0.9 + (small.size * 1.3 if subtitle else 0)
    box_top = min(CANVAS * top, CANVAS * 0.96 - height)  # long names grow upwards
    card = (margin, box_top, CANVAS - margin, box_top + height)
    d.rounded_rectangle(card, radius=CANVAS * 0.03, fill=(*WHITE, 215))
    y = box_top + margin * 0.45
    for line in lines:
        d.text((CANVAS / 2, y), line, font=font, fill=ink, anchor="ma")
        y += line_height
    if subtitle:
        grey = mix(ink, WHITE, 0.3)
        d.text((CANVAS / 2, y), _printable(subtitle), font=small, fill=grey, anchor="ma")


def _gradient(top: Colour, bottom: Colour, radial: bool = False) -> Image.Image:
    """Top to bottom (or centre to corners); coloured at 256² and blown up, which is fast."""
    ramp = Image.radial_gradient("L") if radial else Image.linear_gradient("L")
    channels = [
        ramp.point([round(a + (b - a) * v / 255) for v in range(256)])
        for a, b in zip(top, bottom, strict=True)
    ]
    return Image.merge("RGB", channels).resize((CANVAS, CANVAS), Image.Resampling.NEAREST)


def _dots(img: Image.Image, colour: Colour, seed: int) -> None:
    """A faint grid of dots, offset per picture, so photos of one group are not all alike."""
    d = ImageDraw.Draw(img, "RGBA")
    step, r = CANVAS // 10, CANVAS // 200
    offset = (seed * 37) % step
    for x in range(offset, CANVAS, step):
        for y in range(offset // 2, CANVAS, step):
            d.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, 45))


def _encode(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.reduce(SCALE).save(out, "JPEG", quality=86)
    return out.getvalue()


@lru_cache(maxsize=512)
def product_photo(name: str, group: str, motif: str | None = None, variant: int = 0) -> bytes:
    """An 800×800 JPEG for a product; variants 0, 1, 2 differ in colours and composition."""
    top, bottom, main, ink = PALETTES.get(group, PALETTES["food"])
    draw = MOTIFS.get(motif or "", MOTIFS[GROUP_MOTIFS.get(group, "jar")])
    light = mix(top, WHITE, 0.6)
    # No caption: the name is printed beside every photo, and cards crop photos to 4:3.
    if variant % 3 == 0:  # the motif alone
        img = _gradient(top, bottom)
        _dots(img, main, len(name))
        draw(
            Pen(
                ImageDraw.Draw(img, "RGBA"),
                CANVAS * 0.5,
                CANVAS * 0.48,
                CANVAS * 0.26,
                main,
                ink,
                light,
            )
        )
    elif variant % 3 == 1:  # the motif in a spotlight
        img = _gradient(mix(bottom, WHITE, 0.55), mix(bottom, main, 0.35), radial=True)
        d = ImageDraw.Draw(img, "RGBA")
        d.ellipse((CANVAS * 0.14, CANVAS * 0.14, CANVAS * 0.86, CANVAS * 0.86), fill=(*WHITE, 90))
        draw(Pen(d, CANVAS * 0.5, CANVAS * 0.5, CANVAS * 0.26, main, ink, light))
    else:  # two of them, on a darker ground
        img = _gradient(mix(top, main, 0.25), mix(bottom, ink, 0.25))
        _dots(img, WHITE, len(name) + 5)
        d = ImageDraw.Draw(img, "RGBA")
        draw(Pen(d, CANVAS * 0.3, CANVAS * 0.5, CANVAS * 0.19, main, ink, light))
        draw(Pen(d, CANVAS * 0.7, CANVAS * 0.5, CANVAS * 0.17, main, ink, light))
    return _encode(img)


@lru_cache(maxsize=64)
def producer_photo(name: str, commune: str, scene: str = "hills") -> bytes:
    """An 800×800 JPEG landscape (sea, fields, orchard, village…) with the producer's name."""
    sky_top, sky_bottom, green, ink = LANDSCAPE_PALETTE
    img = _gradient(sky_top, sky_bottom)
    SCENES.get(scene, SCENES["hills"])(
        Pen(ImageDraw.Draw(img, "RGBA"), 0, 0, CANVAS, green, ink, WHITE)
    )
    _caption(img, name, ink, 0.74, subtitle=f"{commune}, Thanh Hóa")
    return _encode(img)
