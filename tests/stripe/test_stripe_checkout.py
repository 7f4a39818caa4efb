"""Hosted Checkout: the real SDK asks the local fake for a VND session, once per order."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext

from shop.checkout.models import OrderStatus, PaymentMethod
from shop.extensions import db, utcnow
from shop.payments import stripe_gateway
from shop.payments.stripe_gateway import PaymentProviderError
from tests.fakes.stripe_api import TEST_SECRET_KEY, StripeFailure

pytestmark = pytest.mark.both_databases  # money, idempotency keys


@pytest.fixture
def checkout(app):
    """start_checkout as a view calls it: inside a request."""

    def _start(order):
        with app.test_request_context("/?lang=en"):
            return stripe_gateway.start_checkout(order)

    return _start


def test_a_session_in_dong_with_every_line_and_shipping(app, make_order, fake_stripe, checkout):
    order = make_order(quantity=3, unit_price=125_000, shipping=35_000)

    url = checkout(order)

    with force_locale("vi"):
        shipping = gettext("Shipping")
    (call,) = fake_stripe.requests
    assert (call.method, call.path) == ("POST", "/v1/checkout/sessions")
    assert call.headers["Authorization"] == f"Bearer {TEST_SECRET_KEY}"
    assert call.headers["User-Agent"].startswith("Stripe/v1 PythonBindings/")
    assert "Stripe-Version" in call.headers
    params = call.params
    assert params["mode"] == "payment"
    assert params["currency"] == "vnd"
    # Zero-decimal: 125.000 ₫ is sent as 125000, not 12500000.
    assert params["line_items"] == [
        {
            "price_data": {
                "currency": "vnd",
                "unit_amount": "125000",
                "product_data": {"name": order.lines[0].product_name},
            },
            "quantity": "3",
        },
        {
            "price_data": {
                "currency": "vnd",
                "unit_amount": "35000",
                "product_data": {"name": shipping},  # the shop's language, every time
            },
            "quantity": "1",
        },
    ]
    assert params["client_reference_id"] == order.code
    assert params["metadata"] == {"order_code": order.code}
    assert params["customer_email"] == order.email
    assert params["success_url"] == f"http://127.0.0.1:5000/orders/{order.code}?stripe=success"
    assert params["cancel_url"] == f"http://127.0.0.1:5000/orders/{order.code}?stripe=cancelled"
    assert re.fullmatch(rf"checkout-{order.code}-[0-9a-f]{{20}}", call.idempotency_key)

    (session,) = fake_stripe.sessions.values()
    assert session["amount_total"] == order.total_vnd == 410_000
    assert url == session["url"]
    db.session.expire_all()
    assert order.stripe_session_id == session["id"]


def test_a_guest_comes_back_to_the_order_page_with_its_token(app, make_order, fake_stripe):
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order, token="s3cr3t-t0ken")
    params = fake_stripe.requests[0].params
    page = f"http://127.0.0.1:5000/orders/{order.code}?token=s3cr3t-t0ken"
    assert params["success_url"] == f"{page}&stripe=success"
    assert params["cancel_url"] == f"{page}&stripe=cancelled"


def test_a_different_request_for_the_same_order_is_not_refused_as_a_reused_key(
    app, make_order, fake_stripe
):
    """Stripe refuses a key reused with other parameters; the key follows the request."""
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order, token="s3cr3t-t0ken")
        db.session.rollback()  # the session id was never stored
        url = stripe_gateway.start_checkout(order)  # the owner, from their account

    first, second = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert first.idempotency_key != second.idempotency_key
    assert url == fake_stripe.sessions[order.stripe_session_id]["url"]


def test_without_shipping_there_is_no_shipping_line(app, make_order, fake_stripe, checkout):
    order = make_order(quantity=5, unit_price=120_000, shipping=0)
    checkout(order)
    (call,) = fake_stripe.requests
    assert len(call.params["line_items"]) == 1
    assert next(iter(fake_stripe.sessions.values()))["amount_total"] == 600_000


def test_the_session_closes_with_the_reservation_within_stripes_range(
    app, make_order, fake_stripe, checkout
):
    order = make_order()
    before = int(datetime.now(UTC).timestamp())
    checkout(order)
    expires_at = int(fake_stripe.requests[0].params["expires_at"])
    # Stripe wants 30 min to 24 h; the order is held 30 min: two minutes' margin on top.
    assert before + 30 * 60 <= expires_at <= before + 33 * 60
    db.session.expire_all()
    assert expires_at == int(
        stripe_gateway._aware(order.created_at + timedelta(minutes=32)).timestamp()
    )


def test_a_longer_reservation_keeps_the_session_open_as_long(app, make_order):
    now = utcnow()
    order = make_order(created_at=now, expires_at=now + timedelta(hours=2))
    assert stripe_gateway.session_expiry(order, now) == now + timedelta(hours=2, minutes=2)
    order = make_order(created_at=now, expires_at=now + timedelta(days=3))
    assert stripe_gateway.session_expiry(order, now) == now + timedelta(hours=23)


def test_a_late_call_asks_for_thirty_minutes_from_now_rounded(app, make_order):
    now = utcnow()
    order = make_order(
        created_at=now - timedelta(minutes=10), expires_at=now + timedelta(minutes=20)
    )
    first = stripe_gateway.session_expiry(order, now)
    again = stripe_gateway.session_expiry(order, now + timedelta(seconds=20))
    assert first >= now + timedelta(minutes=32)
    assert first.timestamp() % 300 == 0
    assert again == first or (again - first) == timedelta(minutes=5)


def test_a_second_call_reuses_the_open_session(app, make_order, fake_stripe, checkout):
    order = make_order()
    first = checkout(order)
    db.session.commit()

    again = checkout(order)

    assert again == first
    assert len(fake_stripe.sessions) == 1
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == 1
    (retrieve,) = fake_stripe.calls("GET", "/v1/checkout/sessions/")
    assert retrieve.path == f"/v1/checkout/sessions/{order.stripe_session_id}"


def test_a_lost_write_gets_the_same_session_back_by_idempotency_key(
    app, make_order, fake_stripe, checkout
):
    """The session was made but our commit never happened (a crash, a double click)."""
    order = make_order()
    first = checkout(order)
    db.session.rollback()
    db.session.expire_all()
    assert order.stripe_session_id is None

    again = checkout(order)

    assert again == first
    assert len(fake_stripe.sessions) == 1
    posts = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert len(posts) == 2
    assert posts[0].idempotency_key == posts[1].idempotency_key
    assert posts[0].idempotency_key.startswith(f"checkout-{order.code}-")
    assert order.stripe_session_id == next(iter(fake_stripe.sessions))


def test_an_expired_session_is_replaced(app, make_order, fake_stripe, checkout):
    order = make_order()
    checkout(order)
    db.session.commit()
    fake_stripe.expire_session(order.stripe_session_id)

    expired = order.stripe_session_id

    url = checkout(order)

    assert len(fake_stripe.sessions) == 2
    replacing = fake_stripe.calls("POST", "/v1/checkout/sessions")[-1]
    assert replacing.idempotency_key.startswith(f"checkout-{order.code}-")
    assert replacing.idempotency_key.endswith(f"-after-{expired}")
    assert url is not None
    assert url == fake_stripe.sessions[order.stripe_session_id]["url"]


def test_a_completed_session_is_not_paid_twice(app, make_order, fake_stripe, checkout):
    order = make_order()
    checkout(order)
    db.session.commit()
    fake_stripe.pay(order.stripe_session_id)

    with pytest.raises(PaymentProviderError, match="has been paid"):
        checkout(order)
    assert len(fake_stripe.sessions) == 1


def test_a_transient_stripe_error_is_retried_with_the_same_key(
    app, make_order, fake_stripe, checkout
):
    order = make_order()
    fake_stripe.fail_next.append(StripeFailure(500, "An unknown error occurred", kind="api_error"))

    url = checkout(order)

    posts = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert len(posts) == 2
    assert posts[0].idempotency_key == posts[1].idempotency_key
    assert url == next(iter(fake_stripe.sessions.values()))["url"]


def test_stripe_refusing_is_a_clear_message_not_a_crash(app, make_order, fake_stripe, checkout):
    order = make_order()
    fake_stripe.fail_next.append(StripeFailure(400, "Your account cannot accept VND."))

    with pytest.raises(PaymentProviderError) as refused:
        checkout(order)

    assert "pay by bank transfer (VietQR)" in str(refused.value)
    assert order.stripe_session_id is None


def test_stripe_unreachable_is_a_clear_message(app, make_order, fake_stripe, checkout):
    order = make_order()
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # discard port: nothing listens

    with pytest.raises(PaymentProviderError):
        checkout(order)
    assert order.stripe_session_id is None


def test_without_keys_cards_are_not_offered(app, make_order, fake_stripe, checkout):
    assert stripe_gateway.is_configured()
    app.config["STRIPE_WEBHOOK_SECRET"] = None
    assert not stripe_gateway.is_configured()  # payments could never be confirmed
    app.config["STRIPE_WEBHOOK_SECRET"] = "whsec_x"
    app.config["STRIPE_SECRET_KEY"] = None
    assert not stripe_gateway.is_configured()

    with pytest.raises(PaymentProviderError):
        checkout(make_order())
    assert fake_stripe.requests == []


def test_only_pending_card_orders_get_a_session(app, make_order, fake_stripe, checkout):
    with pytest.raises(ValueError):
        checkout(make_order(payment_method=PaymentMethod.VIETQR))
    with pytest.raises(PaymentProviderError):
        checkout(make_order(status=OrderStatus.CANCELLED))
    with pytest.raises(PaymentProviderError):
        checkout(make_order(expires_at=utcnow() - timedelta(seconds=1)))
    assert fake_stripe.requests == []


def test_lines_that_do_not_add_up_to_the_total_are_never_sent(
    app, make_order, fake_stripe, checkout
):
    order = make_order(quantity=2, unit_price=100_000)
    order.lines[0].quantity = 3  # 300 000 in lines, 200 000 in the order
    db.session.commit()

    with pytest.raises(ValueError, match="add up"):
        checkout(order)
    assert fake_stripe.requests == []


def test_the_fake_refuses_what_stripe_refuses(app, make_order, fake_stripe):
    """The fake is strict where Stripe is: decimals, other currencies, short expiries."""
    import requests

    def post(**fields):
        data = {
            "mode": "payment",
            "success_url": "http://127.0.0.1:5000/x",
            "line_items[0][price_data][currency]": "vnd",
            "line_items[0][price_data][unit_amount]": "100000",
            "line_items[0][price_data][product_data][name]": "Mật ong",
            "line_items[0][quantity]": "1",
            **fields,
        }
        return requests.post(
            f"{fake_stripe.url}/v1/checkout/sessions",
            data=data,
            headers={"Authorization": f"Bearer {TEST_SECRET_KEY}"},
            timeout=5,
        )

    assert post().status_code == 200
    bad = post(**{"line_items[0][price_data][unit_amount]": "1000.5"})
    assert bad.status_code == 400
    assert bad.json()["error"]["param"] == "line_items[0][price_data][unit_amount]"
    assert post(**{"line_items[0][price_data][currency]": "usd"}).status_code == 400
    short = int(datetime.now(UTC).timestamp()) + 600
    assert post(expires_at=str(short)).json()["error"]["param"] == "expires_at"
    unauthorised = requests.post(f"{fake_stripe.url}/v1/checkout/sessions", timeout=5)
    assert unauthorised.status_code == 401
