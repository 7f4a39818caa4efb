"""The label URL and the QR images: exact GS1 Digital Link URLs, a PNG and an SVG that a real
decoder reads back, error correction M and a 4-module quiet zone."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from PIL import Image, ImageDraw

from shop.labels import qr

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def shop_at():
    """shop_at(base_url): an application context whose SHOP_BASE_URL is base_url."""
    contexts = []

    def _at(base_url: str):
        app = Flask(__name__)
        app.config["SHOP_BASE_URL"] = base_url
        context = app.app_context()
        context.push()
        contexts.append(context)

    yield _at
    for context in reversed(contexts):
        context.pop()


@pytest.mark.parametrize(
    "gtin", ["08931234567897", "8931234567897", "96385074", "036000291452"], ids=len
)
def test_the_batch_url_always_carries_the_14_digit_gtin(shop_at, gtin):
    shop_at("https://ocop.thanhhoa.vn")
    assert qr.batch_url(gtin, "L01") == f"https://ocop.thanhhoa.vn/01/{gtin.zfill(14)}/10/L01"


def test_the_serialised_url_adds_the_serial_and_a_trailing_slash_is_dropped(shop_at):
    shop_at("https://ocop.thanhhoa.vn/")
    assert (
        qr.batch_url("8931234567897", "L2026-09A", serial="7KQ2M9XW3D")
        == "https://ocop.thanhhoa.vn/01/08931234567897/10/L2026-09A/21/7KQ2M9XW3D"
    )


def test_a_lot_is_escaped_as_one_path_segment(shop_at):
    shop_at("http://127.0.0.1:5000")
    assert qr.batch_url("8931234567897", "A/B C") == (
        "http://127.0.0.1:5000/01/08931234567897/10/A%2FB%20C"
    )


@pytest.mark.parametrize("gtin", ["8931234567890", "12345", "", "89312345678971"])
def test_an_invalid_gtin_has_no_url(shop_at, gtin):
    shop_at("https://ocop.thanhhoa.vn")
    with pytest.raises(ValueError):
        qr.batch_url(gtin, "L01")


def test_the_short_url_has_no_scheme():
    assert (
        qr.short_url("https://ocop.vn/01/08931234567897/10/L1") == "ocop.vn/01/08931234567897/10/L1"
    )
    assert qr.short_url("http://127.0.0.1:5000/01/1") == "127.0.0.1:5000/01/1"


URL = "https://ocop.thanhhoa.vn/01/08931234567897/10/L2026-09A/21/7KQ2M9XW3D"


def test_the_png_decodes_to_the_exact_url_with_error_correction_m_or_better(zxing):
    image = Image.open(io.BytesIO(qr.png(URL)))
    (barcode,) = zxing.read_barcodes(image.convert("L"), formats=zxing.BarcodeFormat.QRCode)
    assert barcode.text == URL
    assert barcode.ec_level in ("M", "Q", "H")


def test_the_png_has_a_white_quiet_zone_of_4_modules():
    image = Image.open(io.BytesIO(qr.png(URL))).convert("L")
    modules = len(qr.matrix(URL))
    assert image.size == (modules * qr.PNG_MODULE_PX,) * 2
    border = 4 * qr.PNG_MODULE_PX
    width = image.size[0]
    for box in ((0, 0, width, border), (0, width - border, width, width),
                (0, 0, border, width), (width - border, 0, width, width)):  # fmt: skip
        assert image.crop(box).getextrema() == (255, 255)
    assert image.crop((border, border, width - border, width - border)).getextrema() == (0, 255)


def svg_to_image(svg: bytes, scale: int = 8) -> tuple[Image.Image, int]:
    """Rasterise the SVG QR: its viewBox, and the rectangles its path draws (M x,y H V H z)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    x0, y0, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert (x0, y0) == (0, 0) and width == height
    image = Image.new("L", (int(width * scale), int(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    (path,) = root.iter(f"{SVG}path")
    number = r"(-?\d+(?:\.\d+)?)"
    square = re.compile(rf"M{number},{number}H{number}V{number}H{number}z")
    data = path.attrib["d"]
    squares = square.findall(data)
    assert "".join(square.sub("", data).split()) == "", "the path holds only rectangles"
    for left, top, right, bottom, back in squares:
        assert float(back) == float(left)
        draw.rectangle(
            (float(left) * scale, float(top) * scale, float(right) * scale - 1,
             float(bottom) * scale - 1),
            fill=0,
        )  # fmt: skip
    return image, int(width)


def test_the_svg_is_valid_xml_with_a_viewbox_and_decodes_to_the_exact_url(zxing):
    svg = qr.svg(URL)
    image, modules = svg_to_image(svg)
    assert modules == len(qr.matrix(URL))  # one viewBox unit per module, quiet zone included
    (barcode,) = zxing.read_barcodes(image, formats=zxing.BarcodeFormat.QRCode)
    assert barcode.text == URL
    root = ET.fromstring(svg)
    rect = next(root.iter(f"{SVG}rect"))
    assert rect.attrib["fill"] == "white"  # readable on any background


def test_the_svg_draws_exactly_the_modules_of_the_matrix():
    image, modules = svg_to_image(qr.svg(URL), scale=1)
    matrix = qr.matrix(URL)
    drawn = [[image.getpixel((x, y)) == 0 for x in range(modules)] for y in range(modules)]
    assert drawn == [[bool(cell) for cell in row] for row in matrix]
