"""A one-page lab report PDF for the demo's lab-test events, the same bytes on every run.

reportlab's invariant mode leaves out the creation time and the random document id; the font
is the Vietnamese-capable one the demo photos use, or Helvetica without diacritics.
"""

import io
from datetime import date
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from seeds.images import _font_path, _printable

FONT_NAME = "SeedReportFont"


@lru_cache(maxsize=1)
def _font() -> str:
    path = _font_path()
    if path is None:
        return "Helvetica"
    pdfmetrics.registerFont(TTFont(FONT_NAME, path))
    return FONT_NAME


def lab_report_pdf(details: dict, product: str, lot: str, producer: str, day: date) -> bytes:
    """The lab's result sheet as a PDF: who tested what sample, with which result."""
    font = _font()
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle(_printable(f"Phiếu kết quả thử nghiệm {details['report_no']}"))
    width, height = A4
    left, y = 20 * mm, height - 25 * mm

    def line(text: str, size: float = 11, gap: float = 7 * mm) -> None:
        nonlocal y
        pdf.setFont(font, size)
        pdf.drawString(left, y, _printable(text))
        y -= gap

    line(details["lab"].upper(), 12)
    line(f"Số: {details['report_no']}", 10, 14 * mm)
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, y, _printable("PHIẾU KẾT QUẢ THỬ NGHIỆM"))
    y -= 14 * mm
    line(f"Mẫu: {product}")
    line(f"Số lô: {lot}")
    line(f"Khách hàng: {producer}")
    line(f"Ngày trả kết quả: {day:%d/%m/%Y}", gap=12 * mm)
    line(f"Chỉ tiêu thử nghiệm: {details['test']}")
    if details.get("value"):
        line(f"Kết quả: {details['value']}")
    line(f"Kết luận: {details['result']}", 12, 20 * mm)
    line("Bản sao điện tử phục vụ truy xuất nguồn gốc (dữ liệu minh họa của cửa hàng).", 9)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
