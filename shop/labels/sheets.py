"""Print-ready PDF labels: an A4 sheet of 3×8 labels (70×37 mm) or a 50×30 mm thermal roll.

Pure functions: data in, PDF written to a file-like object. Memory stays flat as the count
grows: each label's QR is drawn as vector rectangles straight from the `qrcode` matrix (no
images), each page is compressed as soon as it is finished, and what every label of a run
shares (product, dates, producer, area) is drawn once, as a PDF form, and reused.
"""

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from math import cos, pi, sin
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from shop.labels import qr

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "NotoSans", "NotoSans-Bold"
ELLIPSIS = "…"
INK = (0.1, 0.12, 0.11)  # near-black: crisp on laser and thermal printers alike
MUTED = (0.33, 0.36, 0.34)
_DARK_RUNS = re.compile(b"\x01+")
URL_LEADING = 1.15


@dataclass(frozen=True)
class LabelContent:
    """What every label of a batch says, formatted for print."""

    product_name: str
    stars: int | None  # only when the OCOP certificate is current
    lot: str
    packing_date: str
    best_before: str
    producer: str
    area_code: str


@dataclass(frozen=True)
class Captions:
    """The words printed before the values, in the language the labels are printed in."""

    lot: str = "Lot"
    packed: str = "Packed"
    best_before: str = "Best before"
    area: str = "Area code"
    ocop: str = "OCOP"


@dataclass(frozen=True)
class Layout:
    """Where labels sit on a page and how their text is set (all lengths in points)."""

    name: str
    page: tuple[float, float]
    label: tuple[float, float]
    columns: int
    rows: int
    margin_left: float
    margin_top: float
    padding: float
    gutter: float
    name_size: tuple[float, float]  # largest and smallest size tried
    text_size: tuple[float, float]
    url_size: tuple[float, float]
    producer_lines: int
    url_lines: int

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def qr_size(self) -> float:
        """The QR box, quiet zone included: the label's height less its padding."""
        return self.label[1] - 2 * self.padding


SHEET_A4 = Layout(
    name="a4",
    page=A4,
    label=(70 * mm, 37 * mm),
    columns=3,
    rows=8,
    margin_left=0,
    margin_top=(A4[1] - 8 * 37 * mm) / 2,  # 0.5 mm above and below the 8 rows
    padding=1.5 * mm,
    gutter=0.6 * mm,
    name_size=(8.5, 6.5),
    text_size=(6.5, 5.2),
    url_size=(5.0, 3.8),
    producer_lines=2,
    url_lines=2,
)
ROLL_50X30 = Layout(
    name="roll",
    page=(50 * mm, 30 * mm),
    label=(50 * mm, 30 * mm),
    columns=1,
    rows=1,
    margin_left=0,
    margin_top=0,
    padding=1.0 * mm,
    gutter=0.4 * mm,
    name_size=(7.0, 5.5),
    text_size=(5.4, 4.4),
    url_size=(4.0, 3.4),
    producer_lines=1,
    url_lines=3,
)
LAYOUTS = {layout.name: layout for layout in (SHEET_A4, ROLL_50X30)}


def register_fonts() -> None:
    """Noto Sans (shipped in shop/labels/fonts, OFL) has every Vietnamese letter."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, filename in ((REGULAR, "NotoSans-Regular.ttf"), (BOLD, "NotoSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def label_boxes(layout: Layout) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) of each label on a page, PDF coordinates, in reading order."""
    width, height = layout.label
    top = layout.page[1] - layout.margin_top
    return [
        (layout.margin_left + column * width, top - (row + 1) * height, width, height)
        for row in range(layout.rows)
        for column in range(layout.columns)
    ]


def write_labels(
    out: BinaryIO,
    content: LabelContent,
    urls: Iterable[str],
    layout: Layout = SHEET_A4,
    captions: Captions = Captions(),
    title: str = "",
) -> int:
    """Write one label per URL (pages filled in reading order) and return the page count."""
    register_fonts()
    canvas = _StreamingCanvas(out, pagesize=layout.page, pageCompression=1, invariant=1)
    canvas.setTitle(title or content.product_name)
    canvas.setAuthor(content.producer)
    canvas.setCreator("OCOP Shop")
    form = _static_form(canvas, content, captions, layout)
    boxes = label_boxes(layout)
    url_iter = iter(urls)
    pages = 0
    while page_urls := list(islice(url_iter, layout.per_page)):
        for (x, y, _w, _h), url in zip(boxes, page_urls, strict=False):
            _draw_label(canvas, form, layout, x, y, url)
        canvas.showPage()
        pages += 1
    if not pages:  # an empty run still makes a valid PDF
        canvas.showPage()
    canvas.save()
    return pages


class _StreamingCanvas(Canvas):
    """A canvas that compresses each page when it is finished instead of at save().

    reportlab keeps every page's drawing operators as text until the document is saved;
    compressing them page by page keeps memory at a few hundred bytes per label.
    """

    def showPage(self):
        super().showPage()
        page = self._doc.Pages.pages[-1]
        compressed = pdfdoc.PDFStream(content=zlib.compress(page.stream.encode("utf-8")))
        compressed.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        page.Contents, page.stream = compressed, None


def _draw_label(canvas: Canvas, form: str, layout: Layout, x: float, y: float, url: str) -> None:
    """One label: the shared text (a form), the QR as rectangles, the URL in small print."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(form)
    canvas.restoreState()
    pad, size = layout.padding, layout.qr_size
    draw_qr(canvas, url, x + pad, y + pad, size)
    text_x, width = _text_column(layout)
    size_pt, lines = fit_lines(
        _url_tokens(qr.short_url(url)), "", REGULAR, *layout.url_size, width, layout.url_lines
    )
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(REGULAR, size_pt)
    leading = size_pt * URL_LEADING
    base = y + pad + 0.2 * size_pt + leading * (len(lines) - 1)
    for i, line in enumerate(lines):
        canvas.drawString(x + text_x, base - i * leading, line)


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` as vector rectangles, `size` points square (quiet zone included),
    its bottom-left corner at (x, y): the same symbol as every other output of shop.labels.qr."""
    canvas.addLiteral(_qr_operators(qr.matrix(url), x, y, size))


def _qr_operators(matrix: list[list[bool]], x: float, y: float, size: float) -> str:
    """PDF operators that fill the dark modules, merged into one rectangle per run of a row.

    The coordinate system is scaled to one unit per module with the origin at the top-left
    corner of the quiet zone, so each rectangle is a few small integers.
    """
    n = len(matrix)
    module = size / n
    ops = [f"q 0 g {module:.5f} 0 0 {-module:.5f} {x:.3f} {y + size:.3f} cm"]
    for row_index, row in enumerate(matrix):
        for run in _DARK_RUNS.finditer(bytes(row)):
            ops.append(f"{run.start()} {row_index} {run.end() - run.start()} 1 re")
    ops.append("f Q")
    return "\n".join(ops)


def _text_column(layout: Layout) -> tuple[float, float]:
    """The x offset and the width of the text beside the QR box."""
    left = layout.padding + layout.qr_size + layout.gutter
    return left, layout.label[0] - left - layout.padding


@dataclass(frozen=True)
class TextRun:
    """A piece of text set at a baseline: where, in which font, at which size and colour."""

    x: float
    y: float
    font: str
    size: float
    text: str
    muted: bool = False

    @property
    def width(self) -> float:
        return pdfmetrics.stringWidth(self.text, self.font, self.size)


@dataclass(frozen=True)
class Star:
    x: float  # centre
    y: float
    radius: float


SHRINK_STEPS = (1.0, 0.94, 0.88, 0.82, 0.76)


def compose(content: LabelContent, captions: Captions, layout: Layout):
    """Set the shared text of a label: (text runs, stars), all inside the text column and
    above the space kept for the URL. Text is shrunk step by step until it fits; lines
    that still do not fit at the smallest step are dropped from the bottom."""
    floor = layout.padding + layout.url_lines * layout.url_size[0] * URL_LEADING
    for scale in SHRINK_STEPS:
        runs, stars, bottom = _compose_at(content, captions, layout, scale)
        if bottom >= floor:
            return runs, stars
    while runs and min(r.y - 0.25 * r.size for r in runs) < floor:
        lowest = min(r.y for r in runs)
        runs = [r for r in runs if r.y != lowest]
    return runs, stars


def _compose_at(content, captions, layout, scale):
    left, width = _text_column(layout)
    name_size = tuple(s * scale for s in layout.name_size)
    text_size = tuple(s * scale for s in layout.text_size)
    runs: list[TextRun] = []
    stars: list[Star] = []
    y = layout.label[1] - layout.padding

    size, lines = fit_lines(content.product_name.split(), " ", BOLD, *name_size, width, 2)
    for line in lines:
        y -= size * 1.08
        runs.append(TextRun(left, y, BOLD, size, line))
    y -= size * 0.3 + 0.8

    if content.stars:
        size = text_size[0]
        star = size * 1.05
        y -= star * 1.0
        stars = [
            Star(left + star * (0.5 + i * 1.05), y + star * 0.42, star * 0.5)
            for i in range(content.stars)
        ]
        runs.append(TextRun(left + star * (content.stars * 1.05 + 0.25), y + star * 0.12, BOLD,
                            size, captions.ocop))  # fmt: skip
        y -= star * 0.3

    details = [
        (caption, value)
        for caption, value in (
            (captions.lot, content.lot),
            (captions.packed, content.packing_date),
            (captions.best_before, content.best_before),
        )
        if value
    ]
    # One size for the lot and the dates, so that they read as a table.
    detail_high = min((_fitting_size(c, v, text_size, width) for c, v in details), default=0)
    for caption, value in details:
        y = _caption_line(runs, caption, value, (detail_high, text_size[1]), left, width, y)
    if content.producer:
        size, lines = fit_lines(content.producer.split(), " ", REGULAR, *text_size, width,
                                layout.producer_lines)  # fmt: skip
        for line in lines:
            y -= size * 1.2
            runs.append(TextRun(left, y, REGULAR, size, line))
        y -= size * 0.25
    if content.area_code:
        y = _caption_line(runs, captions.area, content.area_code, text_size, left, width, y)
    return runs, stars, y


def _caption_line(runs, caption, value, sizes, left, width, top) -> float:
    """'Lot: L-2026-09' on one line, the caption muted and the value bold, shrunk to fit.

    When even the smallest size is too wide the caption goes on its own line above the
    value, so a code is cut (with an ellipsis) only when it is wider than the column alone.
    """
    low = sizes[1]
    label = f"{caption}: "
    size = _fitting_size(caption, value, sizes, width)
    if _line_width(label, value, size) <= width:
        y = top - size * 1.2
        runs.append(TextRun(left, y, REGULAR, size, label, muted=True))
        runs.append(TextRun(left + pdfmetrics.stringWidth(label, REGULAR, size), y, BOLD, size,
                            value))  # fmt: skip
        return y - size * 0.12
    y = top - low * 1.2
    runs.append(TextRun(left, y, REGULAR, low, ellipsise(caption, REGULAR, low, width), True))
    y -= low * 1.15
    runs.append(TextRun(left, y, BOLD, low, ellipsise(value, BOLD, low, width)))
    return y - low * 0.25


def _fitting_size(caption: str, value: str, sizes: tuple[float, float], width: float) -> float:
    """The largest size from sizes[0] down to sizes[1] at which 'caption: value' fits."""
    size, low = sizes
    while size > low and _line_width(f"{caption}: ", value, size) > width:
        size = max(low, size - 0.2)
    return size


def _line_width(label: str, value: str, size: float) -> float:
    return pdfmetrics.stringWidth(label, REGULAR, size) + pdfmetrics.stringWidth(value, BOLD, size)


def _static_form(canvas: Canvas, content: LabelContent, captions: Captions, layout) -> str:
    """Draw what all labels share once, as a PDF form XObject, and return its name."""
    name = "label"
    runs, stars = compose(content, captions, layout)
    canvas.beginForm(name, 0, 0, *layout.label)
    canvas.setFillColorRGB(*INK)
    for star in stars:
        _star(canvas, star)
    for run in runs:
        canvas.setFillColorRGB(*(MUTED if run.muted else INK))
        canvas.setFont(run.font, run.size)
        canvas.drawString(run.x, run.y, run.text)
    canvas.endForm()
    return name


def _star(canvas: Canvas, star: Star) -> None:
    """A five-pointed star as a filled path (the embedded font has no ★)."""
    path = canvas.beginPath()
    for i in range(10):
        r = star.radius if i % 2 == 0 else star.radius * 0.42
        angle = pi / 2 + i * pi / 5
        point = (star.x + r * cos(angle), star.y + r * sin(angle))
        path.moveTo(*point) if i == 0 else path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _url_tokens(url: str) -> list[str]:
    """Break a URL only before a slash: 'host/01/gtin/10/lot' → ['host', '/01', '/gtin', …]."""
    return re.split(r"(?=/)", url)


def fit_lines(
    tokens: list[str], joiner: str, font: str, high: float, low: float, width: float, lines: int
) -> tuple[float, list[str]]:
    """The largest size from `high` down to `low` at which the tokens wrap into `lines`
    lines of `width`; at `low` whatever is left over is cut with an ellipsis."""
    size = high
    while True:
        wrapped = wrap(tokens, joiner, font, size, width)
        if len(wrapped) <= lines:
            return size, wrapped
        if size <= low:
            break
        size = max(low, round(size - 0.25, 2))
    kept = wrapped[:lines]
    rest = joiner.join(wrapped[lines - 1 :])
    kept[-1] = ellipsise(rest + ELLIPSIS, font, size, width, force=True)
    return size, kept


def wrap(tokens: list[str], joiner: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking; a token wider than the line is broken between characters."""
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = token
        while pdfmetrics.stringWidth(current, font, size) > width:
            cut = _longest_prefix(current, font, size, width)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def ellipsise(text: str, font: str, size: float, width: float, force: bool = False) -> str:
    """The text, or as much of it as fits followed by '…'."""
    if not force and pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    text = text.removesuffix(ELLIPSIS).rstrip()
    while text and pdfmetrics.stringWidth(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _longest_prefix(text: str, font: str, size: float, width: float) -> int:
    cut = len(text)
    while cut > 1 and pdfmetrics.stringWidth(text[:cut], font, size) > width:
        cut -= 1
    return cut
