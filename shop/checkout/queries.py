"""Finding orders: a customer's, the one to change (locked), every buyer of a lot (a recall).

An order by its code and token for its page is shop.checkout.orders.find_order.
"""

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from shop.checkout.models import Order, OrderLine, OrderStatus
from shop.extensions import db, lock_for_writing
from shop.trace.models import Batch


def lock_order_for_change(code: str) -> Order | None:
    """The order by code, with the write lock (SQLite) or its row lock (PostgreSQL) held, and
    its columns read again under the lock (what this session saw before may be stale)."""
    lock_for_writing()
    return db.session.scalar(
        select(Order)
        .where(Order.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def customer_orders(user) -> list[Order]:
    """A customer's orders, newest first."""
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.user_id == user.id)
            .options(selectinload(Order.lines))
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
    )


def last_order(user) -> Order | None:
    """The customer's latest order: where they had it delivered last time."""
    return db.session.scalar(
        select(Order)
        .where(Order.user_id == user.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(1)
    )


def buyers_of_batch(batch: Batch) -> list[OrderLine]:
    """Every line that sold units of this lot, with its order (customer, phone, address), for a
    recall. Expired and cancelled orders sold nothing and are left out."""
    return list(
        db.session.scalars(
            select(OrderLine)
            .join(OrderLine.order)
            .where(
                OrderLine.batch_id == batch.id,
                Order.status.not_in([OrderStatus.CANCELLED, OrderStatus.EXPIRED]),
            )
            .options(contains_eager(OrderLine.order))
            .order_by(Order.created_at, OrderLine.id)
        )
    )
