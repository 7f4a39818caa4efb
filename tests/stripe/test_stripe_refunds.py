"""Refunds for cancelled paid orders: cards through Stripe's API once, transfers by staff."""

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.checkout.models import OrderStatus, PaymentMethod
from shop.extensions import db, lock_for_writing
from shop.payments import stripe_gateway
from shop.payments.fulfil import apply_payment, lock_order
from shop.payments.models import Payment, PaymentReview, Provider, RefundStatus, ReviewReason
from shop.payments.refunds import due_card_refunds, refund_order, send_card_refunds
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


def cancel(order, by=None) -> list[str]:
    """What the shop's cancel does: lock, transition, record the refund as due, commit; then
    send it to Stripe outside the transaction. Returns what Stripe refused."""
    lock_for_writing()
    locked = lock_order(order.code)
    locked.transition(OrderStatus.CANCELLED)
    refund_order(locked, by=by, reason="customer asked")
    db.session.commit()
    return send_card_refunds(order.code)


def test_cancelling_a_paid_card_order_refunds_it_through_stripe(
    app, paid_card_order, fake_stripe, make_user
):
    staff = make_user()
    assert cancel(paid_card_order, by=staff) == []

    (call,) = fake_stripe.calls("POST", "/v1/refunds")
    (payment,) = paid_card_order.payments
    (refund_row,) = paid_card_order.refunds
    intent = payment.raw["session"]["payment_intent"]
    assert call.params["payment_intent"] == intent
    assert call.params["amount"] == "330000"  # zero-decimal đồng
    assert call.params["metadata"] == {
        "order_code": paid_card_order.code,
        "payment_id": str(payment.id),
        "refund_id": str(refund_row.id),
    }
    assert call.idempotency_key == f"refund-r{refund_row.id}"
    (refund,) = fake_stripe.refunds.values()
    assert fake_stripe.intents[intent]["refunded"] == 330_000
    db.session.expire_all()
    assert payment.refunded_vnd == 330_000
    assert payment.refund_reference == refund["id"]
    assert payment.refunded_at is not None
    assert refund_row.status == RefundStatus.DONE and refund_row.reference == refund["id"]
    assert refund_row.order_line_id is None and refund_row.created_by_id == staff.id
    assert refund_row.reason == "customer asked" and refund_row.refunded_at is not None
    assert paid_card_order.status == OrderStatus.CANCELLED


def test_refunding_again_calls_stripe_no_more(app, paid_card_order, fake_stripe):
    cancel(paid_card_order)
    refund_order(paid_card_order)
    db.session.commit()
    assert send_card_refunds() == []
    assert len(fake_stripe.calls("POST", "/v1/refunds")) == 1
    assert len(fake_stripe.refunds) == 1
    assert len(paid_card_order.refunds) == 1


def test_the_refund_is_recorded_as_due_before_stripe_is_called(app, paid_card_order, fake_stripe):
    lock_for_writing()
    order = lock_order(paid_card_order.code)
    order.transition(OrderStatus.CANCELLED)
    (refund,) = refund_order(order)
    assert refund.status == RefundStatus.DUE and refund.amount_vnd == 330_000
    assert fake_stripe.calls("POST", "/v1/refunds") == []  # nothing sent inside the transaction
    db.session.commit()


def test_a_refund_lost_before_our_commit_is_found_again_not_repeated(
    app, paid_card_order, fake_stripe
):
    """Stripe refunded, then recording it failed: the retry gets the same refund back."""
    lock_for_writing()
    order = lock_order(paid_card_order.code)
    order.transition(OrderStatus.CANCELLED)
    refund_order(order)
    db.session.commit()
    (card,) = due_card_refunds(order.code)
    db.session.rollback()
    first, _amount = stripe_gateway.send_refund(card)  # …and the shop died before recording it
    db.session.expire_all()
    assert paid_card_order.payments[0].refunded_at is None

    assert send_card_refunds(order.code) == []

    posts = fake_stripe.calls("POST", "/v1/refunds")
    assert len(posts) == 2
    assert posts[0].idempotency_key == posts[1].idempotency_key
    assert len(fake_stripe.refunds) == 1
    db.session.expire_all()
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


def test_stripe_refusing_a_refund_leaves_it_due_to_send_again(app, paid_card_order, fake_stripe):
    fake_stripe.fail_next.append(
        StripeFailure(400, "Charge has already been refunded.", code="charge_already_refunded")
    )
    (problem,) = cancel(paid_card_order)
    assert "Stripe" in problem  # in the shop's language

    db.session.expire_all()
    assert paid_card_order.status == OrderStatus.CANCELLED
    assert paid_card_order.payments[0].refunded_at is None
    (refund,) = paid_card_order.refunds
    assert refund.status == RefundStatus.DUE

    assert send_card_refunds() == []  # staff press "send again", or the send-refunds job runs
    db.session.expire_all()
    assert refund.status == RefundStatus.DONE
    assert paid_card_order.payments[0].refunded_vnd == 330_000


def test_a_refund_the_card_network_turns_down_is_not_recorded(app, paid_card_order, fake_stripe):
    fake_stripe.refund_status = "failed"
    (problem,) = cancel(paid_card_order)
    assert "Stripe" in problem
    db.session.expire_all()
    assert paid_card_order.payments[0].refunded_at is None
    assert paid_card_order.payments[0].refund_reference is None
    assert paid_card_order.refunds[0].status == RefundStatus.DUE


def test_without_stripe_keys_a_card_refund_is_refused_clearly(app, paid_card_order):
    app.config["STRIPE_SECRET_KEY"] = None
    (problem,) = cancel(paid_card_order)
    assert problem
    db.session.expire_all()
    assert paid_card_order.refunds[0].status == RefundStatus.DUE


@pytest.mark.parametrize("provider", [Provider.SEPAY, Provider.CASSO, Provider.MANUAL])
def test_a_bank_paid_order_is_queued_for_staff_to_refund(app, make_order, fake_stripe, provider):
    order = make_order(payment_method=PaymentMethod.VIETQR)
    locked = lock_order(order.code)
    apply_payment(locked, provider=provider, reference="FT2632510001", amount_vnd=330_000)
    db.session.commit()

    cancel(order)
    lock_for_writing()
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
    (refund,) = order.refunds
    assert refund.status == RefundStatus.DUE and refund.amount_vnd == 330_000


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


def test_the_send_refunds_command_sends_what_stripe_refused_before(
    app, paid_card_order, fake_stripe, runner
):
    fake_stripe.fail_next.append(StripeFailure(400, "Please try again.", code="processing_error"))
    assert len(cancel(paid_card_order)) == 1
    result = runner.invoke(args=["send-refunds"])
    assert result.exit_code == 0 and "0 refunds still due" in result.output
    db.session.expire_all()
    assert paid_card_order.refunds[0].status == RefundStatus.DONE
    assert len(fake_stripe.refunds) == 1


def test_a_partial_refund_of_a_card_line_goes_through_stripe_for_that_amount(
    app, client, login, make_user, paid_card_order, fake_stripe
):
    login(make_user(role=Role.STAFF))
    (line,) = paid_card_order.lines
    data = {
        "refund-line_id": str(line.id),
        "refund-amount_vnd": "150000",
        "refund-reason": "Một hộp bị móp",
        "refund-confirm": "y",
    }
    response = client.post(f"/backoffice/orders/{paid_card_order.code}/refunds", data=data)
    assert response.status_code == 303
    (call,) = fake_stripe.calls("POST", "/v1/refunds")
    db.session.expire_all()
    (refund,) = paid_card_order.refunds
    assert call.params["amount"] == "150000"
    assert call.idempotency_key == f"refund-r{refund.id}"
    assert refund.order_line_id == line.id and refund.status == RefundStatus.DONE
    assert paid_card_order.payments[0].refunded_vnd == 150_000
    assert paid_card_order.payments[0].refunded_at is None  # not all of it
    assert paid_card_order.status == OrderStatus.PAID

    # Cancelling afterwards refunds only what is left.
    cancel(paid_card_order)
    assert [c.params["amount"] for c in fake_stripe.calls("POST", "/v1/refunds")] == [
        "150000",
        "180000",
    ]
