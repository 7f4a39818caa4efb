"""The orders export: one row per order line, streamed from a server-side cursor."""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from shop.checkout.models import Order, OrderLine
from shop.extensions import db
from shop.periods import local_datetime

HEADER = (
    "order_code",
    "status",
    "placed_at",
    "paid_at",
    "delivered_at",
    "payment_method",
    "producer",
    "product",
    "gtin",
    "lot",
    "unit",
    "quantity",
    "unit_price_vnd",
    "line_total_vnd",
    "customer_name",
    "province",
)
BATCH = 1000


def local_time(value: datetime | None) -> str:
    """'2026-11-30 14:05' in Vietnam time."""
    return local_datetime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def order_rows(start: datetime | None, end: datetime | None) -> Iterator[tuple]:
    """Lines of orders placed in [start, end), oldest first, as CSV rows (HEADER's order)."""
    query = (
        select(
            Order.code,
            Order.status,
            Order.created_at,
            Order.paid_at,
            Order.delivered_at,
            Order.payment_method,
            OrderLine.producer_name,
            OrderLine.product_name,
            OrderLine.gtin,
            OrderLine.lot,
            OrderLine.unit,
            OrderLine.quantity,
            OrderLine.unit_price_vnd,
            Order.customer_name,
            Order.province,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .order_by(Order.created_at, Order.id, OrderLine.id)
        .execution_options(yield_per=BATCH)  # PostgreSQL: a server-side cursor
    )
    if start is not None:
        query = query.where(Order.created_at >= start)
    if end is not None:
        query = query.where(Order.created_at < end)
    result = db.session.execute(query)
    try:
        for row in result:
            yield (
                row.code,
                row.status.value,
                local_time(row.created_at),
                local_time(row.paid_at),
                local_time(row.delivered_at),
                row.payment_method.value,
                row.producer_name,
                row.product_name,
                row.gtin,
                row.lot,
                row.unit,
                row.quantity,
                row.unit_price_vnd,
                row.unit_price_vnd * row.quantity,
                row.customer_name,
                row.province,
            )
    finally:
        result.close()
