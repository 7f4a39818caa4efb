"""Packing the way a cooperative works: farmers bring their goods to the collection point,
staff pack one parcel per customer.

pick_list: what each producer must bring for the paid orders of a day (or range), product by
product and lot by lot, with totals. orders_to_pack: those orders, for the pack-by-customer
sheet. The PDFs (A4, Noto Sans for Vietnamese) are pure functions of that data; a packing
slip carries a QR that opens the order's staff page, so a phone at dispatch can mark it shipped.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.checkout.models import Order, OrderStatus
from shop.extensions import db
from shop.labels.sheets import BOLD, REGULAR, draw_qr, register_fonts
from shop.localtime import local_day_start

RIGHT = -1  # a cell set against the right margin (quantities)


@dataclass
class PickProduct:
    name: str
    unit: str
    lots: dict[str, int] = field(default_factory=dict)  # lot ("" when none recorded) → units

    @property
    def total(self) -> int:
        return sum(self.lots.values())


@dataclass
class PickProducer:
    name: str
    products: dict[str, PickProduct] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(product.total for product in self.products.values())


def orders_to_pack(date_from: date | None = None, date_to: date | None = None) -> list[Order]:
    """Paid orders not yet packed, paid within [date_from, date_to] (Vietnam dates), oldest
    payment first, with their lines."""
    query = (
        select(Order)
        .where(Order.status == OrderStatus.PAID)
        .options(selectinload(Order.lines))
        .order_by(Order.paid_at, Order.id)
    )
    if date_from is not None:
        query = query.where(Order.paid_at >= local_day_start(date_from))
    if date_to is not None:
        query = query.where(Order.paid_at < local_day_start(date_to + timedelta(days=1)))
    return list(db.session.scalars(query))


def pick_list(orders: Iterable[Order]) -> list[PickProducer]:
    """What each producer must bring for `orders`: producers and products by name, lots in
    the order they were sold."""
    producers: dict[str, PickProducer] = {}
    for order in orders:
        for line in order.lines:
            producer = producers.setdefault(line.producer_name, PickProducer(line.producer_name))
            product = producer.products.setdefault(
                line.product_name, PickProduct(line.product_name, line.unit)
            )
            product.lots[line.lot or ""] = product.lots.get(line.lot or "", 0) + line.quantity
    return [
        PickProducer(p.name, dict(sorted(p.products.items())))
        for p in sorted(producers.values(), key=lambda p: p.name)
    ]


@dataclass(frozen=True)
class PackingWords:
    """The printed words, in the language the sheet is printed in (the view translates)."""

    pick_title: str
    pack_title: str
    slip_title: str
    period: str
    product: str
    lot: str
    quantity: str
    total: str
    no_lot: str
    deliver_to: str
    phone: str
    scan_hint: str
    nothing: str


class _Sheet:
    """An A4 page being written top to bottom, with a new page when the bottom is reached."""

    MARGIN = 15 * mm

    def __init__(self, out: io.BytesIO, title: str):
        register_fonts()
        self.canvas = Canvas(out, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(title)
        self.width, self.height = A4
        self.y = self.height - self.MARGIN

    def need(self, space: float) -> None:
        if self.y - space < self.MARGIN:
            self.canvas.showPage()
            self.y = self.height - self.MARGIN

    def text(self, words: str, size: float = 10, bold: bool = False, x: float = 0) -> None:
        self.need(size * 1.5)
        self.canvas.setFont(BOLD if bold else REGULAR, size)
        self.canvas.drawString(self.MARGIN + x, self.y - size, words)
        self.y -= size * 1.5

    def row(self, cells: list[tuple[float, str]], size: float = 10, bold: bool = False) -> None:
        """Cells at x offsets (points from the left margin); RIGHT: against the right margin."""
        self.need(size * 1.5)
        self.canvas.setFont(BOLD if bold else REGULAR, size)
        for x, words in cells:
            if x < 0:
                self.canvas.drawRightString(self.width - self.MARGIN, self.y - size, words)
            else:
                self.canvas.drawString(self.MARGIN + x, self.y - size, words)
        self.y -= size * 1.5

    def rule(self) -> None:
        self.canvas.setLineWidth(0.5)
        self.canvas.line(self.MARGIN, self.y, self.width - self.MARGIN, self.y)
        self.y -= 4

    def finish(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


def pick_list_pdf(producers: list[PickProducer], words: PackingWords) -> bytes:
    """The pick list: one block per producer, a row per product and lot, with totals."""
    out = io.BytesIO()
    sheet = _Sheet(out, words.pick_title)
    sheet.text(words.pick_title, 16, bold=True)
    sheet.text(words.period, 10)
    if not producers:
        sheet.text(words.nothing, 11)
    for producer in producers:
        sheet.need(60)
        sheet.y -= 8
        sheet.text(producer.name, 13, bold=True)
        sheet.row([(0, words.product), (260, words.lot), (RIGHT, words.quantity)], 9, bold=True)
        sheet.rule()
        for product in producer.products.values():
            for lot, units in product.lots.items():
                sheet.row(
                    [
                        (0, product.name[:60]),
                        (260, lot or words.no_lot),
                        (RIGHT, f"{units} {product.unit}"),
                    ]
                )
            if len(product.lots) > 1:
                sheet.row(
                    [(20, words.total), (RIGHT, f"{product.total} {product.unit}")], bold=True
                )
        sheet.rule()
    sheet.finish()
    return out.getvalue()


def pack_by_customer_pdf(orders: list[Order], words: PackingWords, order_url) -> bytes:
    """One block per order (one parcel per customer): address, lines and lots, and its QR."""
    out = io.BytesIO()
    sheet = _Sheet(out, words.pack_title)
    sheet.text(words.pack_title, 16, bold=True)
    sheet.text(words.period, 10)
    if not orders:
        sheet.text(words.nothing, 11)
    for order in orders:
        _order_block(sheet, order, words, order_url(order))
    sheet.finish()
    return out.getvalue()


def packing_slip_pdf(order: Order, words: PackingWords, url: str) -> bytes:
    """The slip that goes into one parcel: lines, lots, address, and the QR of its staff page."""
    out = io.BytesIO()
    sheet = _Sheet(out, f"{words.slip_title} {order.code}")
    sheet.text(words.slip_title, 16, bold=True)
    _order_block(sheet, order, words, url, qr_size=40 * mm)
    sheet.finish()
    return out.getvalue()


def _order_block(sheet: _Sheet, order: Order, words: PackingWords, url: str, qr_size=28 * mm):
    lines_height = 15 * (len(order.lines) + 5)
    sheet.need(max(qr_size, lines_height) + 20)
    top = sheet.y
    draw_qr(sheet.canvas, url, sheet.width - sheet.MARGIN - qr_size, top - qr_size, qr_size)
    sheet.y -= 6
    sheet.text(order.code, 14, bold=True)
    sheet.text(f"{words.deliver_to}: {order.customer_name}", 10)
    sheet.text(f"{words.phone}: {order.phone}", 10)
    sheet.text(f"{order.address}, {order.province}"[:90], 10)
    sheet.y = min(sheet.y, top - qr_size - 4)
    sheet.row([(0, words.product), (260, words.lot), (RIGHT, words.quantity)], 9, bold=True)
    sheet.rule()
    for line in order.lines:
        sheet.row(
            [
                (0, f"{line.product_name[:45]} · {line.producer_name[:25]}"),
                (260, line.lot or words.no_lot),
                (RIGHT, f"{line.quantity} {line.unit}"),
            ]
        )
    sheet.text(words.scan_hint, 8)
    sheet.rule()
    sheet.y -= 10
