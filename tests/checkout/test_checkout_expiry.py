"""Unpaid orders expire and give their stock back; cancelling does too, and refunds a paid one."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.checkout.expiry import expire_orders
from shop.checkout.models import EmailOutbox, InvalidTransition, Order, OrderStatus
from shop.checkout.orders import cancel_order
from shop.checkout.queries import lock_order_for_change
from shop.extensions import db, utcnow
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider
from tests.checkout.conftest import stock_of, units_left

pytestmark = pytest.mark.both_databases  # times, row locks that skip locked orders, stock


@pytest.fixture
def lot_product(make_product, make_batch):
    product = make_product(stock=10)
    lot = make_batch(product, units_left=10)
    return product, lot


def test_unpaid_orders_past_their_reservation_expire_and_release_stock(place, lot_product):
    product, lot = lot_product
    late, _ = place([(product.id, 3)])
    fresh, _ = place([(product.id, 2)])
    late.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert expire_orders() == 1
    db.session.commit()

    db.session.expire_all()
    assert late.status == OrderStatus.EXPIRED and late.expired_at is not None
    assert fresh.status == OrderStatus.PENDING_PAYMENT
    assert stock_of(product.id) == 8 and units_left(lot.id) == 8
    assert expire_orders() == 0  # a second run changes nothing


def test_expiry_takes_the_time_it_is_given(place, lot_product):
    product, _ = lot_product
    place([(product.id, 1)])

    assert expire_orders(now=utcnow() + timedelta(minutes=29)) == 0
    assert expire_orders(now=utcnow() + timedelta(minutes=31)) == 1
    db.session.commit()
    assert stock_of(product.id) == 10


def test_paid_orders_never_expire(place, lot_product):
    product, _ = lot_product
    order, _ = place([(product.id, 2)])
    apply_payment(order, provider=Provider.MANUAL, reference="FT1", amount_vnd=order.total_vnd)
    db.session.commit()

    assert expire_orders(now=utcnow() + timedelta(hours=2)) == 0
    db.session.commit()
    assert order.status == OrderStatus.PAID and stock_of(product.id) == 8


def test_the_cli_command_expires_orders(place, runner, lot_product):
    product, _ = lot_product
    order, _ = place([(product.id, 4)])
    order.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    result = runner.invoke(args=["expire-orders"])

    assert result.exit_code == 0, result.output
    assert "expired 1 order" in result.output
    assert stock_of(product.id) == 10


def test_the_cli_sends_queued_emails(app, place, runner, make_product):
    place([(make_product().id, 1)])

    result = runner.invoke(args=["send-emails"])

    assert result.exit_code == 0 and "sent 1 e-mail" in result.output
    assert db.session.scalar(select(EmailOutbox.sent_at)) is not None
    assert "sent 0 e-mails" in runner.invoke(args=["send-emails"]).output


def test_cancelling_an_unpaid_order_releases_stock_and_tells_the_customer(place, lot_product):
    product, lot = lot_product
    order, _ = place([(product.id, 5)])

    locked = lock_order_for_change(order.code)
    cancel_order(locked)
    db.session.commit()

    assert order.status == OrderStatus.CANCELLED and order.cancelled_at is not None
    assert stock_of(product.id) == 10 and units_left(lot.id) == 10
    subjects = db.session.scalars(select(EmailOutbox.subject).order_by(EmailOutbox.id)).all()
    assert len(subjects) == 2 and order.code in subjects[1]


def test_cancelling_a_paid_order_refunds_it(place, lot_product, make_user):
    product, _ = lot_product
    order, _ = place([(product.id, 2)])
    apply_payment(order, provider=Provider.SEPAY, reference="FT2", amount_vnd=order.total_vnd)
    db.session.commit()
    staff = make_user()

    locked = lock_order_for_change(order.code)
    cancel_order(locked, by=staff)
    db.session.commit()

    from shop.payments.models import PaymentReview, ReviewReason

    [review] = db.session.scalars(
        select(PaymentReview).where(PaymentReview.reason == ReviewReason.REFUND_DUE)
    ).all()
    assert review.order_id == order.id and review.amount_vnd == order.total_vnd
    assert stock_of(product.id) == 10


@pytest.mark.parametrize("status", [OrderStatus.SHIPPED, OrderStatus.DELIVERED])
def test_shipped_orders_cannot_be_cancelled(place, lot_product, status):
    product, _ = lot_product
    order, _ = place([(product.id, 2)])
    order.status = status
    db.session.commit()

    with pytest.raises(InvalidTransition):
        cancel_order(lock_order_for_change(order.code))
    db.session.rollback()
    assert stock_of(product.id) == 8


def test_expired_orders_cannot_be_cancelled_twice_over(place, lot_product):
    """Releasing stock twice would create units out of nothing."""
    product, _ = lot_product
    order, _ = place([(product.id, 2)])
    expire_orders(now=utcnow() + timedelta(hours=1))
    db.session.commit()

    with pytest.raises(InvalidTransition):
        cancel_order(lock_order_for_change(order.code))
    db.session.rollback()
    assert stock_of(product.id) == 10
    assert db.session.scalar(select(Order.status)) == OrderStatus.EXPIRED
