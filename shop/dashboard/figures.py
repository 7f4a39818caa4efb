"""The dashboard's figures: each a grouped query, so the number of queries stays the same
however many orders and scans there are."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from shop.catalogue.models import Product
from shop.checkout.models import Order, OrderLine, OrderStatus, OrderStatusChange
from shop.extensions import db
from shop.periods import local_day_sql, utc_bounds
from shop.scan.models import Scan
from shop.trace.models import Batch

SOLD = (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
TOP = 10


@dataclass(frozen=True)
class Window:
    """The last `days` Vietnamese days, today included."""

    days: int
    today: date

    @property
    def first(self) -> date:
        return self.today - timedelta(days=self.days - 1)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def bounds(self):
        return utc_bounds(self.first, self.today)


def data_version() -> tuple:
    """Changes whenever an order, a status or a scan is added: the charts' cache key."""
    return tuple(
        db.session.execute(
            select(
                select(func.count(Order.id)).scalar_subquery(),
                select(func.max(Order.id)).scalar_subquery(),
                select(func.max(OrderStatusChange.id)).scalar_subquery(),
                select(func.count(Scan.id)).scalar_subquery(),
                select(func.max(Scan.id)).scalar_subquery(),
            )
        ).one()
    )


def _per_day(window: Window, rows) -> list[tuple[date, int]]:
    """Every day of the window with its figure, 0 where nothing happened."""
    found = {day: int(value or 0) for day, value in rows}
    return [(day, found.get(day.isoformat(), 0)) for day in window.dates()]


def _sold_between(window: Window):
    start, end = window.bounds()
    return (Order.status.in_(SOLD), Order.paid_at >= start, Order.paid_at < end)


def sales_per_day(window: Window) -> list[tuple[date, int]]:
    """Goods sold (đồng, shipping excluded) per day of payment; cancelled orders do not count."""
    day = local_day_sql(Order.paid_at)
    rows = db.session.execute(
        select(day, func.sum(Order.subtotal_vnd)).where(*_sold_between(window)).group_by(day)
    )
    return _per_day(window, rows)


def _top_by_takings(window: Window, name) -> list[tuple[str, int]]:
    """The TOP names (a column of OrderLine) whose sold lines took most, with their takings."""
    total = func.sum(OrderLine.unit_price_vnd * OrderLine.quantity)
    return [
        (label, int(value))
        for label, value in db.session.execute(
            select(name, total)
            .join(Order, Order.id == OrderLine.order_id)
            .where(*_sold_between(window))
            .group_by(name)
            .order_by(total.desc(), name)
            .limit(TOP)
        )
    ]


def top_products(window: Window) -> list[tuple[str, int]]:
    """The ten products that sold for most, by name, with their takings."""
    return _top_by_takings(window, OrderLine.product_name)


def sales_by_producer(window: Window) -> list[tuple[str, int]]:
    """The ten producers whose goods sold for most, by name, with their takings."""
    return _top_by_takings(window, OrderLine.producer_name)


def orders_by_province(window: Window) -> list[tuple[str, int]]:
    count = func.count(Order.id)
    return list(
        db.session.execute(
            select(Order.province, count)
            .where(*_sold_between(window))
            .group_by(Order.province)
            .order_by(count.desc(), Order.province)
            .limit(TOP)
        )
    )


def _scanned_between(window: Window):
    start, end = window.bounds()
    return (Scan.scanned_at >= start, Scan.scanned_at < end)


def scans_per_day(window: Window) -> list[tuple[date, int]]:
    day = local_day_sql(Scan.scanned_at)
    rows = db.session.execute(
        select(day, func.count(Scan.id)).where(*_scanned_between(window)).group_by(day)
    )
    return _per_day(window, rows)


def scans_by_province(window: Window) -> list[tuple[str | None, int]]:
    """None: the person scanning did not say where they were."""
    count = func.count(Scan.id)
    return list(
        db.session.execute(
            select(Scan.province, count)
            .where(*_scanned_between(window))
            .group_by(Scan.province)
            .order_by(count.desc(), Scan.province)
            .limit(TOP)
        )
    )


@dataclass(frozen=True)
class ScanToPurchase:
    product: str
    scans: int
    orders: int

    @property
    def per_hundred(self) -> float:
        return 100 * self.orders / self.scans if self.scans else 0.0


def scan_to_purchase(window: Window) -> list[ScanToPurchase]:
    """For the most scanned products: label scans and orders in the same window. The shop
    cannot tell whether a scan led to an order, so this shows the two side by side."""
    scans = func.count(Scan.id)
    scanned = db.session.execute(
        select(Product.id, Product.name, scans)
        .join(Batch, Batch.id == Scan.batch_id)
        .join(Product, Product.id == Batch.product_id)
        .where(*_scanned_between(window))
        .group_by(Product.id, Product.name)
        .order_by(scans.desc(), Product.name)
        .limit(TOP)
    ).all()
    if not scanned:
        return []
    orders = dict(
        db.session.execute(
            select(OrderLine.product_id, func.count(Order.id.distinct()))
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.product_id.in_([row.id for row in scanned]), *_sold_between(window))
            .group_by(OrderLine.product_id)
        ).all()
    )
    return [ScanToPurchase(row.name, row[2], orders.get(row.id, 0)) for row in scanned]
