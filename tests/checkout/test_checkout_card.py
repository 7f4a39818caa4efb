"""Card orders: checkout hands over to Stripe's hosted page (the real SDK, a local fake)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.checkout.expiry import expire_orders
from shop.checkout.models import Order, OrderStatus
from shop.extensions import db, utcnow
from tests.checkout.conftest import CHECKOUT_FORM, stock_of
from tests.fakes.stripe_api import (  # noqa: F401 - the fixtures
    StripeFailure,
    fake_stripe,
    fake_stripe_server,
)

pytestmark = pytest.mark.both_databases  # money, and orders locked while Stripe is asked


@pytest.fixture
def app_overrides(fake_stripe):  # noqa: F811
    return fake_stripe.overrides


@pytest.fixture
def in_cart(client, make_product):
    product = make_product(name="Chiếu cói Nga Sơn", price_vnd=350_000, stock=4)
    client.post("/cart/add", data={"product_id": product.id, "quantity": "2"})
    return product


def pay_by_card(client):
    page = client.get("/checkout").text
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {**CHECKOUT_FORM, "payment_method": "stripe", "idempotency_key": key}
    return client.post("/checkout", data=data)


def test_cards_are_offered_when_stripe_is_configured(client, in_cart):
    assert 'value="stripe"' in client.get("/checkout").text


def test_a_card_order_goes_to_stripes_page(client, in_cart, fake_stripe):  # noqa: F811
    response = pay_by_card(client)

    order = db.session.scalar(select(Order))
    session = fake_stripe.sessions[order.stripe_session_id]
    assert response.status_code == 303 and response.location == session["url"]
    assert session["amount_total"] == order.total_vnd == 700_000  # free shipping from 500 000
    assert session["client_reference_id"] == order.code
    assert stock_of(in_cart.id) == 2


def test_when_stripe_fails_the_order_waits_and_its_page_tries_again(
    client,
    in_cart,
    fake_stripe,  # noqa: F811
):
    fake_stripe.fail_next.append(StripeFailure(500, "Stripe is down", kind="api_error"))
    fake_stripe.fail_next.append(StripeFailure(500, "Stripe is down", kind="api_error"))
    fake_stripe.fail_next.append(StripeFailure(500, "Stripe is down", kind="api_error"))

    response = pay_by_card(client)

    order = db.session.scalar(select(Order))
    assert response.location.startswith(f"/orders/{order.code}?token=")
    page = client.get(response.location).text
    assert "Card payment is not available right now" in page
    assert "Pay 700.000\u00a0₫ by card" in page
    token = response.location.split("token=")[1]
    again = client.post(f"/orders/{order.code}/pay", data={"token": token})
    db.session.expire_all()
    assert again.location == fake_stripe.sessions[order.stripe_session_id]["url"]


def test_cancelling_an_unpaid_card_order_closes_its_stripe_page(
    client,
    in_cart,
    fake_stripe,  # noqa: F811
):
    pay_by_card(client)
    order = db.session.scalar(select(Order))
    token_page = client.get("/account/orders")  # a guest: no list, the token is needed
    assert token_page.status_code == 302

    email_link = re.search(r"token=([\w-]+)", order_email_body()).group(1)
    client.post(f"/orders/{order.code}/cancel", data={"token": email_link})

    db.session.expire_all()
    assert order.status == OrderStatus.CANCELLED
    assert fake_stripe.sessions[order.stripe_session_id]["status"] == "expired"
    assert stock_of(in_cart.id) == 4


def test_a_card_order_paid_a_moment_ago_is_not_cancelled(client, in_cart, fake_stripe):  # noqa: F811
    pay_by_card(client)
    order = db.session.scalar(select(Order))
    fake_stripe.pay(order.stripe_session_id)
    token = re.search(r"token=([\w-]+)", order_email_body()).group(1)

    response = client.post(
        f"/orders/{order.code}/cancel", data={"token": token}, follow_redirects=True
    )

    assert "Your card payment has just gone through" in response.text
    assert db.session.scalar(select(Order.status)) == OrderStatus.PENDING_PAYMENT


def test_expiry_closes_stripes_page_first_and_spares_a_page_just_paid(
    client,
    in_cart,
    fake_stripe,  # noqa: F811
):
    pay_by_card(client)
    client.post("/cart/add", data={"product_id": in_cart.id, "quantity": "1"})
    pay_by_card(client)
    unpaid, paid = db.session.scalars(select(Order).order_by(Order.id)).all()
    fake_stripe.pay(paid.stripe_session_id)

    assert expire_orders(now=utcnow() + timedelta(hours=1)) == 1
    db.session.commit()

    db.session.expire_all()
    assert unpaid.status == OrderStatus.EXPIRED and paid.status == OrderStatus.PENDING_PAYMENT
    assert fake_stripe.sessions[unpaid.stripe_session_id]["status"] == "expired"
    assert stock_of(in_cart.id) == 3  # the paid order's unit stays sold


def order_email_body() -> str:
    from shop.checkout.models import EmailOutbox

    return db.session.scalar(select(EmailOutbox.body).order_by(EmailOutbox.id))
