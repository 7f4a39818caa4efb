"""Refunds for cancelled paid orders: cards through Stripe's API once, transfers by staff."""

import pytest
from sqlalchemy import select

from shop.checkout.models import OrderStatus, PaymentMethod
from shop.extensions import db, lock_for_writing
from shop.payments import stripe_gateway
from shop.payments.fulfil import apply_payment, lock_order
from shop.payments.models import Payment, PaymentReview, Provider, ReviewReason
from shop.payments.refunds import refund_order
from shop.payments.stripe_gateway import PaymentProviderError
from tests.fakes.stripe_api import StripeFailure, deliver

pytestmark = pytest.mark.both_databases  # money refunded once


@pytest.fixture
def paid_card_order(app, client, make_order, fake_stripe):
    """A card order paid through hosted Checkout and the webhook, as in production."""
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order)
    db.session.commit()
    session = fake_stripe.pay(order.stripe_session_id)
    assert deliver(client, fake_stripe.event("checkout.session.completed", session)).status_code
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    return order


def cancel(order, by=None) -> None:
    """What the shop's cancel does around refund_order: lock, transition, refund, commit."""
    lock_for_writing()
    locked = lock_order(order.code)
    locked.transition(OrderStatus.CANCELLED)
    refund_order(locked, by=by)
    db.session.commit()


def test_cancelling_a_paid_card_order_refunds_it_through_stripe(
    app, paid_card_order, fake_stripe, make_user
):
    staff = make_user()
    cancel(paid_card_order, by=staff)

    (call,) = fake_stripe.calls("POST", "/v1/refunds")
    (payment,) = paid_card_order.payments
    intent = payment.raw["session"]["payment_intent"]
    assert call.params["payment_intent"] == intent
    assert call.params["amount"] == "330000"  # zero-decimal đồng
    assert call.params["metadata"] == {
        "order_code": paid_card_order.code,
        "payment_id": str(payment.id),
    }
    assert call.idempotency_key == f"refund-{payment.id}"
    (refund,) = fake_stripe.refunds.values()
    assert fake_stripe.intents[intent]["refunded"] == 330_000
    db.session.expire_all()
    assert payment.refunded_vnd == 330_000
    assert payment.refund_reference == refund["id"]
    assert payment.refunded_at is not None
    assert paid_card_order.status == OrderStatus.CANCELLED


def test_refunding_again_calls_stripe_no_more(app, paid_card_order, fake_stripe):
    cancel(paid_card_order)
    refund_order(paid_card_order)
    refund_order(paid_card_order)
    assert len(fake_stripe.calls("POST", "/v1/refunds")) == 1
    assert len(fake_stripe.refunds) == 1


def test_a_refund_lost_before_our_commit_is_found_again_not_repeated(
    app, paid_card_order, fake_stripe
):
    """Stripe refunded, then our transaction failed: the retry gets the same refund back."""
    order = lock_order(paid_card_order.code)
    order.transition(OrderStatus.CANCELLED)
    refund_order(order)
    first = order.payments[0].refund_reference
    db.session.rollback()
    db.session.expire_all()
    assert paid_card_order.payments[0].refunded_at is None

    cancel(paid_card_order)

    posts = fake_stripe.calls("POST", "/v1/refunds")
    assert len(posts) == 2
    assert posts[0].idempotency_key == posts[1].idempotency_key
    assert len(fake_stripe.refunds) == 1
    assert paid_card_order.payments[0].refund_reference == first
    assert paid_card_order.payments[0].refunded_vnd == 330_000


def test_the_payment_intent_is_looked_up_when_not_kept(app, paid_card_order, fake_stripe):
    (payment,) = paid_card_order.payments
    payment.raw = None
    db.session.commit()

    cancel(paid_card_order)

    (lookup,) = fake_stripe.calls("GET", "/v1/checkout/sessions/")
    assert lookup.path == f"/v1/checkout/sessions/{payment.reference}"
    assert len(fake_stripe.refunds) == 1
    db.session.expire_all()
    assert payment.refunded_vnd == 330_000


def test_stripe_refusing_a_refund_changes_nothing_here(app, paid_card_order, fake_stripe):
    fake_stripe.fail_next.append(
        StripeFailure(400, "Charge has already been refunded.", code="charge_already_refunded")
    )
    order = lock_order(paid_card_order.code)
    order.transition(OrderStatus.CANCELLED)

    with pytest.raises(PaymentProviderError, match="Stripe"):  # in the shop's language
        refund_order(order)
    db.session.rollback()  # what the view does: the order stays paid, staff see the message

    db.session.expire_all()
    assert paid_card_order.status == OrderStatus.PAID
    assert paid_card_order.payments[0].refunded_at is None


def test_a_refund_the_card_network_turns_down_is_not_recorded(app, paid_card_order, fake_stripe):
    fake_stripe.refund_status = "failed"
    with pytest.raises(PaymentProviderError, match="Stripe"):  # in the shop's language
        refund_order(paid_card_order)
    assert paid_card_order.payments[0].refunded_at is None
    assert paid_card_order.payments[0].refund_reference is None


def test_without_stripe_keys_a_card_refund_is_refused_clearly(app, paid_card_order):
    app.config["STRIPE_SECRET_KEY"] = None
    with pytest.raises(PaymentProviderError):
        refund_order(paid_card_order)


@pytest.mark.parametrize("provider", [Provider.SEPAY, Provider.CASSO, Provider.MANUAL])
def test_a_bank_paid_order_is_queued_for_staff_to_refund(app, make_order, fake_stripe, provider):
    order = make_order(payment_method=PaymentMethod.VIETQR)
    locked = lock_order(order.code)
    apply_payment(locked, provider=provider, reference="FT2632510001", amount_vnd=330_000)
    db.session.commit()

    cancel(order)
    cancel_again = lock_order(order.code)
    refund_order(cancel_again)  # a second click queues nothing more
    db.session.commit()

    assert fake_stripe.requests == []
    (payment,) = order.payments
    (review,) = db.session.scalars(select(PaymentReview)).all()
    assert review.reason == ReviewReason.REFUND_DUE
    assert review.provider == provider
    assert review.reference == f"refund-{payment.id}"
    assert review.amount_vnd == 330_000
    assert review.order_id == order.id
    assert review.raw["payment_reference"] == "FT2632510001"
    assert payment.refunded_at is None  # staff record it once the money is sent


def test_an_order_without_payments_has_nothing_to_refund(app, make_order, fake_stripe):
    order = make_order()
    cancel(order)
    assert fake_stripe.requests == []
    assert db.session.scalars(select(PaymentReview)).all() == []
    assert db.session.scalars(select(Payment)).all() == []


# Closing an unpaid session before its order expires (for the expiry job) --------------------


def test_an_open_session_is_closed_before_the_order_expires(app, make_order, fake_stripe):
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order)
    db.session.commit()

    assert stripe_gateway.expire_checkout(order) is True
    assert fake_stripe.sessions[order.stripe_session_id]["status"] == "expired"
    assert stripe_gateway.expire_checkout(order) is True  # already closed: no further call
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions/")) == 1


def test_a_session_just_paid_keeps_its_order(app, make_order, fake_stripe):
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order)
    db.session.commit()
    fake_stripe.pay(order.stripe_session_id)

    assert stripe_gateway.expire_checkout(order) is False
    assert fake_stripe.calls("POST", "/v1/checkout/sessions/") == []


def test_an_order_without_a_session_has_nothing_to_close(app, make_order, fake_stripe):
    assert stripe_gateway.expire_checkout(make_order()) is True
    assert fake_stripe.requests == []
