"""The PDF sheets on their own: geometry of the A4 and roll layouts, every label decodes to its
exact URL, Vietnamese text survives, nothing overflows its box, no images are held."""

import io
import itertools
import re

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from shop.labels import qr, sheets
from shop.labels.sheets import ROLL_50X30, SHEET_A4, Captions, LabelContent

BASE = "https://ocop.thanhhoa.vn"
CONTENT = LabelContent(
    product_name="Nước mắm Ba Làng 40 độ đạm",
    stars=4,
    lot="L2026-09A",
    packing_date="03/09/2026",
    best_before="03/09/2027",
    producer="HTX Nước mắm Ba Làng",
    area_code="VN-TH-BL-0012",
)
# Longer than any label can hold: must shrink, wrap and be cut, never spill out.
LONG = LabelContent(
    product_name="Mật ong hoa nhãn rừng nguyên chất Thường Xuân đặc biệt thượng hạng " * 3,
    stars=5,
    lot="LOT-2026-09-ABCDEFGH",
    packing_date="03/09/2026",
    best_before="03/09/2027",
    producer="Hợp tác xã Dịch vụ Nông nghiệp và Phát triển Nông thôn Xuân Minh Thọ Xuân " * 2,
    area_code="VN-THANHHOA-THOXUAN-XUANMINH-00012345",
)

ENGLISH = Captions()


def urls(count: int, lot: str = "L2026-09A") -> list[str]:
    return [f"{BASE}/01/08931234567897/10/{lot}/21/{n:010d}" for n in range(count)]


def write(content=CONTENT, links=None, layout=SHEET_A4, captions=ENGLISH) -> bytes:
    out = io.BytesIO()
    sheets.write_labels(out, content, urls(24) if links is None else links, layout, captions)
    return out.getvalue()


def test_the_a4_sheet_is_3_by_8_labels_of_70_by_37_mm_centred_on_the_page():
    boxes = sheets.label_boxes(SHEET_A4)
    assert len(boxes) == 24
    assert SHEET_A4.page == pytest.approx((210 * mm, 297 * mm))
    assert {round(w / mm, 6) for _, _, w, _ in boxes} == {70}
    assert {round(h / mm, 6) for _, _, _, h in boxes} == {37}
    assert sorted({round(x / mm, 6) for x, _, _, _ in boxes}) == [0, 70, 140]
    tops = sorted({round((A4[1] - y - h) / mm, 6) for _, y, _, h in boxes})
    assert tops == [pytest.approx(0.5 + 37 * row) for row in range(8)]
    assert min(y for _, y, _, _ in boxes) == pytest.approx(0.5 * mm)  # 0.5 mm below row 8
    # Reading order: left to right, then top to bottom.
    assert boxes[0][0] == 0 and boxes[1][0] == pytest.approx(70 * mm)
    assert boxes[3][1] == pytest.approx(boxes[0][1] - 37 * mm)


def test_the_roll_label_is_one_50_by_30_mm_page():
    assert ROLL_50X30.page == pytest.approx((50 * mm, 30 * mm))
    assert sheets.label_boxes(ROLL_50X30) == [(0, 0, ROLL_50X30.page[0], ROLL_50X30.page[1])]


def test_the_pdf_pages_have_the_layouts_sizes(pages):
    a4 = pages(write(links=urls(30)))
    assert len(a4) == 2
    assert all(size == pytest.approx(A4, abs=0.01) for _, size in a4)
    roll = pages(write(links=urls(3), layout=ROLL_50X30))
    assert len(roll) == 3
    assert all(size == pytest.approx((50 * mm, 30 * mm), abs=0.01) for _, size in roll)


def test_all_24_labels_of_an_a4_sheet_decode_to_their_own_url(decode_labels):
    links = urls(24)
    assert decode_labels(write(links=links), SHEET_A4) == [links]


def test_a_sheet_that_is_not_full_leaves_the_other_boxes_empty(decode_labels):
    links = urls(30)
    first, second = decode_labels(write(links=links), SHEET_A4)
    assert first == links[:24]
    assert second == links[24:] + [None] * 18


def test_every_roll_label_decodes(decode_labels):
    links = urls(4)
    assert decode_labels(write(links=links, layout=ROLL_50X30), ROLL_50X30) == [
        [link] for link in links
    ]


def test_labels_with_text_too_long_for_them_still_decode(decode_labels):
    link = f"{BASE}/01/08931234567897/10/LOT-2026-09-ABCDEFGH/21/ABCDEFGHJK"
    assert decode_labels(write(LONG, [link] * 2, SHEET_A4), SHEET_A4) == [[link] * 2 + [None] * 22]
    assert decode_labels(write(LONG, [link] * 2, ROLL_50X30), ROLL_50X30) == [[link]] * 2


@pytest.mark.parametrize(
    ("layout", "smallest_mm"), [(SHEET_A4, 20), (ROLL_50X30, 21)], ids=["a4", "roll"]
)
def test_the_qr_symbol_is_large_enough_to_scan(layout, smallest_mm):
    for link in (urls(1)[0], f"{BASE}/01/08931234567897/10/LOT-2026-09-ABCDEFGH/21/ABCDEFGHJK"):
        matrix = qr.matrix(link)
        modules = len(matrix)
        symbol = layout.qr_size * (modules - 2 * qr.QUIET_ZONE) / modules
        assert symbol >= smallest_mm * mm
        # The quiet zone: 4 light modules on every side, inside the QR box.
        edge = matrix[:4] + matrix[-4:] + [row[:4] + row[-4:] for row in matrix]
        assert not any(any(row) for row in edge)
        assert any(matrix[4]) and any(row[4] for row in matrix)


def test_the_vietnamese_text_is_in_the_pdf_and_the_font_is_embedded(pdf_text):
    pdf = write(captions=Captions(lot="Lô", packed="Đóng gói", best_before="HSD", area="Mã vùng"))
    text = pdf_text(pdf)[0]
    assert "Nước mắm Ba Làng 40 độ đạm" in text.replace("\r\n", " ")
    for words in ("HTX Nước mắm Ba Làng", "Lô: L2026-09A", "Đóng gói: 03/09/2026",
                  "HSD: 03/09/2027", "Mã vùng: VN-TH-BL-0012", "OCOP"):  # fmt: skip
        assert words in text
    assert "ocop.thanhhoa.vn/01/08931234567897" in text  # the short URL, without its scheme
    assert "https://" not in text
    assert b"/FontFile2" in pdf  # a TrueType font program travels inside the PDF
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSans", pdf)


def test_no_stars_and_no_ocop_word_without_a_current_certificate(pdf_text):
    from dataclasses import replace

    text = pdf_text(write(replace(CONTENT, stars=None)))[0]
    assert "OCOP" not in text
    assert "Nước mắm" in text


def test_labels_are_vector_drawings_not_images():
    pdf = write(links=urls(48))
    assert b"/Subtype /Image" not in pdf


def test_an_empty_run_is_still_a_valid_pdf(pages):
    assert len(pages(write(links=[]))) == 1


@pytest.mark.parametrize("layout", [SHEET_A4, ROLL_50X30], ids=lambda layout: layout.name)
@pytest.mark.parametrize("content", [CONTENT, LONG], ids=["normal", "too-long"])
def test_text_stays_in_its_column_above_the_url_and_lines_never_overlap(layout, content):
    runs, stars = sheets.compose(content, Captions(), layout)
    left, width = sheets._text_column(layout)
    floor = layout.padding + layout.url_lines * layout.url_size[0] * sheets.URL_LEADING
    top = layout.label[1] - layout.padding
    assert runs, "the label says something"
    for run in runs:
        assert run.x >= left - 1e-6
        assert run.x + run.width <= left + width + 1e-6, run.text
        assert run.y - 0.25 * run.size >= floor - 1e-6, run.text
        assert run.y + run.size <= top + 1e-6, run.text
    baselines = sorted({round(run.y, 3) for run in runs}, reverse=True)
    for upper, lower in itertools.pairwise(baselines):
        sizes = [run.size for run in runs if round(run.y, 3) == lower]
        assert upper - lower >= max(sizes) * 0.95  # the next line starts below this one
    for star in stars:
        assert left <= star.x - star.radius and star.x + star.radius <= left + width


@pytest.mark.parametrize("layout", [SHEET_A4, ROLL_50X30], ids=lambda layout: layout.name)
def test_a_growing_area_code_is_never_cut_when_it_fits_the_column_alone(layout):
    runs, _ = sheets.compose(CONTENT, Captions(area="Mã số vùng trồng"), layout)
    assert any(run.text == "VN-TH-BL-0012" for run in runs)


@pytest.mark.parametrize("layout", [SHEET_A4, ROLL_50X30], ids=lambda layout: layout.name)
def test_printed_text_stays_inside_each_label_box(pdfium, layout):
    """Every character pdfium finds on the page lies inside one label's text column."""
    pdf = write(LONG, urls(layout.per_page), layout)
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    text_page = document[0].get_textpage()
    left, width = sheets._text_column(layout)
    columns = [(x + left, y, x + left + width, y + h) for x, y, _w, h in sheets.label_boxes(layout)]
    for index in range(text_page.count_chars()):
        x0, y0, x1, y1 = text_page.get_charbox(index)
        if x1 - x0 <= 0:
            continue  # spaces and line breaks have no box
        assert any(
            cx0 - 0.5 <= x0 and x1 <= cx1 + 0.5 and cy0 - 0.5 <= y0 and y1 <= cy1 + 0.5
            for cx0, cy0, cx1, cy1 in columns
        ), (index, (x0, y0, x1, y1))
    document.close()


def test_wrapping_and_ellipsis_helpers():
    assert sheets.ellipsise("Ngắn", sheets.REGULAR, 6, 100) == "Ngắn"
    cut = sheets.ellipsise("Một dòng chữ rất dài không thể vừa", sheets.REGULAR, 6, 40)
    assert cut.endswith("…")
    assert sheets.pdfmetrics.stringWidth(cut, sheets.REGULAR, 6) <= 40
    size, lines = sheets.fit_lines(["A" * 60], "", sheets.BOLD, 8, 6, 50, 2)
    assert size == 6 and len(lines) == 2 and lines[-1].endswith("…")
    assert sheets._url_tokens("x.vn/01/123/10/L1") == ["x.vn", "/01", "/123", "/10", "/L1"]


@pytest.mark.parametrize(
    ("layout", "smallest_mm"), [(SHEET_A4, 20), (ROLL_50X30, 21)], ids=["a4", "roll"]
)
def test_each_code_is_printed_where_its_label_box_puts_it(pages, zxing, layout, smallest_mm):
    """ZXing's corners of every decoded symbol: inside the QR box of its own label, ≥ 20 mm."""
    link = urls(1)[0]
    modules = len(qr.matrix(link))
    quiet = layout.qr_size * qr.QUIET_ZONE / modules
    ((image, (_, height)),) = pages(write(links=[link] * layout.per_page, layout=layout))
    scale = image.size[0] / layout.page[0]  # pixels per point
    tolerance = 0.5 * mm
    found = zxing.read_barcodes(image.convert("L"), formats=zxing.BarcodeFormat.QRCode)
    assert len(found) == layout.per_page
    corners = sorted(symbol_bounds(barcode, scale, height) for barcode in found)
    expected = sorted(
        (
            x + layout.padding + quiet,
            y + layout.padding + quiet,
            x + layout.padding + layout.qr_size - quiet,
            y + layout.padding + layout.qr_size - quiet,
        )
        for x, y, _w, _h in sheets.label_boxes(layout)
    )
    for got, want in zip(corners, expected, strict=True):
        assert got == pytest.approx(want, abs=tolerance)
        assert got[2] - got[0] >= smallest_mm * mm


def symbol_bounds(barcode, scale: float, height: float) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in PDF points of a symbol ZXing found on a rendered page."""
    position = barcode.position
    points = (position.top_left, position.top_right, position.bottom_left, position.bottom_right)
    xs, ys = [p.x / scale for p in points], [p.y / scale for p in points]
    return min(xs), height - max(ys), max(xs), height - min(ys)
