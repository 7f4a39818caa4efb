"""A farmer with a batch to label, and the tools that read labels back: a PDF rasteriser
(pdfium) and a real QR decoder (ZXing), exactly as a phone camera would have to."""

import io

import pytest
from PIL import Image

from shop.auth.models import Role
from shop.labels import sheets
from tests.conftest import skip_or_fail

RENDER_DPI = 300


@pytest.fixture
def farmer(make_producer, make_user):
    return make_user(role=Role.PRODUCER, producer=make_producer(name="HTX Nước mắm Ba Làng"))


@pytest.fixture
def farm(client, login, farmer):
    """The test client, logged in as the farmer."""
    login(farmer)
    return client


@pytest.fixture
def batch(farmer, make_product, make_batch):
    """The farmer's batch of a 4-star product, with a lot that needs no escaping."""
    product = make_product(producer=farmer.producer, name="Nước mắm Ba Làng 40 độ đạm", stars=4)
    return make_batch(product=product, lot="L2026-09A")


@pytest.fixture(scope="session")
def zxing():
    try:
        import zxingcpp
    except ImportError:
        skip_or_fail("zxing-cpp is not installed (pip install -e '.[dev]')")
    return zxingcpp


@pytest.fixture(scope="session")
def pdfium():
    try:
        import pypdfium2
    except ImportError:
        skip_or_fail("pypdfium2 is not installed (pip install -e '.[dev]')")
    return pypdfium2


@pytest.fixture(scope="session")
def decode(zxing):
    """decode(image) → the texts of every QR code ZXing finds in a PIL image."""

    def _decode(image: Image.Image) -> list[str]:
        found = zxing.read_barcodes(image.convert("L"), formats=zxing.BarcodeFormat.QRCode)
        return [barcode.text for barcode in found if barcode.valid]

    return _decode


@pytest.fixture(scope="session")
def pages(pdfium):
    """pages(pdf_bytes) → each page rendered at 300 dpi, with its size in points."""

    def _pages(pdf: bytes) -> list[tuple[Image.Image, tuple[float, float]]]:
        document = pdfium.PdfDocument(io.BytesIO(pdf))
        try:
            return [
                (page.render(scale=RENDER_DPI / 72).to_pil(), tuple(page.get_size()))
                for page in document
            ]
        finally:
            document.close()

    return _pages


@pytest.fixture(scope="session")
def decode_labels(pages, decode):
    """decode_labels(pdf, layout) → per page, the URL read from each label box (None if none)."""

    def _decode_labels(pdf: bytes, layout: sheets.Layout) -> list[list[str | None]]:
        scale = RENDER_DPI / 72
        result = []
        for image, (_width, height) in pages(pdf):
            texts = []
            for x, y, w, h in sheets.label_boxes(layout):
                box = (x * scale, (height - y - h) * scale, (x + w) * scale, (height - y) * scale)
                found = decode(image.crop(tuple(round(v) for v in box)))
                assert len(found) <= 1, "one label box shows more than one code"
                texts.append(found[0] if found else None)
            result.append(texts)
        return result

    return _decode_labels


@pytest.fixture(scope="session")
def pdf_text(pdfium):
    """pdf_text(pdf_bytes) → the text of every page as pdfium extracts it, lines joined by
    single spaces (a name wrapped over two lines reads as it was typed)."""

    def _text(pdf: bytes) -> list[str]:
        document = pdfium.PdfDocument(io.BytesIO(pdf))
        try:
            return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
        finally:
            document.close()

    return _text
