"""The webhook is exempt from CSRF (Stripe signs instead); the rest of the shop is not."""

import pytest

from shop.extensions import db
from shop.payments import stripe_gateway
from tests.fakes.stripe_api import deliver


@pytest.fixture
def app_overrides(fake_stripe):
    return {**fake_stripe.overrides, "WTF_CSRF_ENABLED": True}


def test_stripe_can_deliver_with_csrf_protection_on(app, client, make_order, fake_stripe):
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order)
    db.session.commit()
    event = fake_stripe.event(
        "checkout.session.completed", fake_stripe.pay(order.stripe_session_id)
    )

    response = deliver(client, event)

    assert response.status_code == 200
    assert response.json["outcome"] == "paid"


def test_other_posts_still_need_a_csrf_token(client):
    assert client.post("/auth/login", data={"email": "a@example.vn"}).status_code == 400
