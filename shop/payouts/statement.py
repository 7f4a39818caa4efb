"""A producer's statement for a period as a PDF, in plain Vietnamese: what was delivered, what
the cooperative keeps, what went back to customers, and what the producer receives."""

import io
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shop.i18n import format_vnd
from shop.labels.sheets import BOLD, REGULAR, register_fonts
from shop.payouts.ledger import Figures, delivered_lines, line_refunds, percent_text
from shop.periods import local_date

# The embedded Noto Sans subset has no U+2212 minus sign: amounts taken off use "-".
BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=16, leading=20)
HEADING = ParagraphStyle("heading", parent=BODY, fontName=BOLD, fontSize=11.5, leading=16)
GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), REGULAR, 9),
        ("FONT", (0, 0), (-1, 0), BOLD, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7f1e4")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b7c4b3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (-3, 1), (-1, -1), "RIGHT"),
    ]
)


def _day(value) -> str:
    return local_date(value).strftime("%d/%m/%Y") if value else ""


def render_statement(figures: Figures) -> bytes:
    """The statement of `figures` (one producer, one period) as PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    with force_locale("vi"):
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=16 * mm,
            rightMargin=16 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=_("Statement of sales"),
            author=current_app.config["SHOP_NAME"],
        )
        document.build(_story(figures))
    return buffer.getvalue()


def _story(f: Figures) -> list:
    producer = f.producer
    period = _("from %(first)s to %(last)s", first=_day_of(f.first), last=_day_of(f.last))
    story = [
        Paragraph(_("Statement of sales"), TITLE),
        Spacer(0, 4 * mm),
        Paragraph(_("Cooperative: %(name)s", name=escape(current_app.config["SHOP_NAME"])), BODY),
        Paragraph(_("For: %(name)s", name=escape(producer.name)), BODY),
        Paragraph(_("Period: %(period)s", period=period), BODY),
        Spacer(0, 3 * mm),
        Paragraph(
            _(
                "This is the money for your goods that reached customers in this period. Only"
                " orders delivered to the customer count; orders still on the way count next time."
            ),
            BODY,
        ),
        Spacer(0, 5 * mm),
        Paragraph(_("What you receive"), HEADING),
        _summary(f),
        Spacer(0, 3 * mm),
        Paragraph(_paid_line(f), BODY),
        Spacer(0, 6 * mm),
        Paragraph(_("Goods delivered"), HEADING),
        _lines_table(f),
    ]
    refunds = line_refunds(producer.id, f.first, f.last)
    if refunds:
        story += [Spacer(0, 6 * mm), Paragraph(_("Money returned to customers"), HEADING)]
        story.append(_refunds_table(refunds))
    story += [
        Spacer(0, 6 * mm),
        Paragraph(
            _(
                "Delivery fees are paid by customers to the cooperative and are not part of this"
                " statement. Questions: call the cooperative's office."
            ),
            SMALL,
        ),
    ]
    return story


def _day_of(day) -> str:
    return day.strftime("%d/%m/%Y")


def _summary(f: Figures) -> Table:
    percent = percent_text(f.commission_percent)
    rows = [
        [_("1. Value of the goods delivered"), format_vnd(f.gross_vnd)],
        [
            _("2. Kept by the cooperative (%(percent)s%%)", percent=percent),
            "- " + format_vnd(f.commission_vnd),
        ],
        [_("3. Returned to customers"), "- " + format_vnd(f.refunds_vnd)],
        [_("You receive (1 - 2 - 3)"), format_vnd(f.net_vnd)],
    ]
    table = Table(rows, colWidths=[120 * mm, 50 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 10.5),
                ("FONT", (0, -1), (-1, -1), BOLD, 12),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _paid_line(f: Figures) -> str:
    if f.paid is None:
        return _("Not paid yet.")
    return _(
        "Paid by bank transfer on %(day)s, reference %(reference)s.",
        day=_day(f.paid.paid_at),
        reference=escape(f.paid.bank_reference),
    )


def _cell(text: str) -> Paragraph:
    """Names and reasons people typed: escaped, as Paragraph reads its text as markup."""
    return Paragraph(escape(text or ""), SMALL)


def _lines_table(f: Figures) -> Table:
    header = [
        _("Delivered"),
        _("Order"),
        _("Product"),
        _("Lot"),
        _("Quantity"),
        _("Unit price"),
        _("Amount"),
    ]
    rows = [header]
    for line in delivered_lines(f.producer.id, f.first, f.last):
        rows.append(
            [
                _day(line.delivered_at),
                line.code,
                _cell(line.product_name),
                line.lot or "",
                f"{line.quantity} {line.unit}",
                format_vnd(line.unit_price_vnd),
                format_vnd(line.unit_price_vnd * line.quantity),
            ]
        )
    if len(rows) == 1:
        rows.append([_("Nothing was delivered in this period."), "", "", "", "", "", ""])
    widths = [20 * mm, 27 * mm, 47 * mm, 18 * mm, 18 * mm, 22 * mm, 26 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    return table


def _refunds_table(refunds: list) -> Table:
    rows = [[_("Day"), _("Order"), _("Product"), _("Reason"), _("Amount")]]
    for refund in refunds:
        rows.append(
            [
                _day(refund.refunded_at),
                refund.code,
                _cell(refund.product_name),
                _cell(refund.reason),
                format_vnd(refund.amount_vnd),
            ]
        )
    table = Table(rows, colWidths=[20 * mm, 27 * mm, 47 * mm, 58 * mm, 26 * mm], repeatRows=1)
    table.setStyle(GRID)
    return table
