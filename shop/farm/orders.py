"""What a farmer must prepare: their lines in paid orders not yet packed, by collection day.

Only what the farmer needs: the product, quantity, lot and order code. Never another
producer's lines, never the customer's name, phone or address (the cooperative delivers).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from shop.checkout.models import Order, OrderLine, OrderStatus
from shop.extensions import db
from shop.localtime import local_date


@dataclass(frozen=True)
class LineToPrepare:
    order_code: str
    product_name: str
    quantity: int
    unit: str
    lot: str | None


def lines_to_prepare(producer_id: int) -> list[tuple[date, list[LineToPrepare]]]:
    """(collection day, lines) pairs, oldest day first; the day is the Vietnam date on which
    the order was paid."""
    rows = db.session.execute(
        select(
            Order.code,
            Order.paid_at,
            OrderLine.product_name,
            OrderLine.quantity,
            OrderLine.unit,
            OrderLine.lot,
        )
        .join(OrderLine.order)
        .where(OrderLine.producer_id == producer_id, Order.status == OrderStatus.PAID)
        .order_by(Order.paid_at, Order.id, OrderLine.id)
    ).all()
    days: dict[date, list[LineToPrepare]] = {}
    for row in rows:
        days.setdefault(local_date(row.paid_at), []).append(
            LineToPrepare(row.code, row.product_name, row.quantity, row.unit, row.lot)
        )
    return list(days.items())
