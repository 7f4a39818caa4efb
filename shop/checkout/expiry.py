"""Unpaid orders expire when their reservation ends, and their stock goes back on sale.

`flask --app shop expire-orders` runs expire_orders(); a scheduler calls it every minute.
"""

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.checkout.models import Order, OrderStatus, PaymentMethod
from shop.checkout.orders import release_stock
from shop.extensions import db, lock_for_writing, utcnow


def expire_orders(now: datetime | None = None) -> int:
    """Expire unpaid orders past their reservation and release their stock and lots.

    Run every minute by `flask --app shop expire-orders` (cron or a systemd timer). An order a
    payment is being recorded for right now (row locked) is left for the next run. Flushes.
    """
    now = (now or utcnow()).astimezone(UTC)
    payable = _close_card_sessions(now)
    lock_for_writing()
    orders = db.session.scalars(
        select(Order)
        .where(
            Order.status == OrderStatus.PENDING_PAYMENT,
            Order.expires_at <= now,
            Order.code.not_in(payable),
        )
        .order_by(Order.id)
        .with_for_update(skip_locked=True)
        .options(selectinload(Order.lines))
        .execution_options(populate_existing=True)
    ).all()
    for order in orders:
        order.transition(OrderStatus.EXPIRED, at=now)
        release_stock(order)
    db.session.flush()
    return len(orders)


def _close_card_sessions(now: datetime) -> list[str]:
    """Close the Stripe Checkout pages of card orders about to expire, before any lock is
    taken (it waits on the network). Returns the codes to leave for now: a page the customer
    has just paid (the payment event is on its way), or one Stripe could not be asked about."""
    due = db.session.scalars(
        select(Order).where(
            Order.status == OrderStatus.PENDING_PAYMENT,
            Order.expires_at <= now,
            Order.payment_method == PaymentMethod.STRIPE,
            Order.stripe_session_id.is_not(None),
        )
    ).all()
    if not due:
        return []
    from shop.payments.stripe_gateway import PaymentProviderError, expire_checkout

    payable = []
    for order in due:
        try:
            closed = expire_checkout(order)
        except PaymentProviderError as error:
            current_app.logger.warning("%s kept: Stripe did not answer (%s)", order.code, error)
            closed = False
        if not closed:
            payable.append(order.code)
    return payable
