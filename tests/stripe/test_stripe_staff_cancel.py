"""Staff cancel a paid order from the back office: stock goes back, the card is refunded once."""

import pytest

from shop.auth.models import Role
from shop.checkout.models import OrderStatus
from shop.extensions import db
from shop.payments import stripe_gateway
from tests.fakes.stripe_api import deliver

pytestmark = pytest.mark.both_databases  # money refunded once, stock given back


@pytest.fixture
def paid_card_order(app, client, make_order, fake_stripe):
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order)
    db.session.commit()
    session = fake_stripe.pay(order.stripe_session_id)
    deliver(client, fake_stripe.event("checkout.session.completed", session))
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    return order


def test_staff_cancel_a_paid_card_order_and_stripe_refunds_it(
    client, login, make_user, paid_card_order, fake_stripe
):
    login(make_user(role=Role.STAFF))
    url = f"/backoffice/orders/{paid_card_order.code}/cancel"
    data = {"cancel-reason": "Khách gọi điện xin hủy", "cancel-confirm": "y"}
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 409  # a second click changes nothing

    db.session.expire_all()
    assert paid_card_order.status == OrderStatus.CANCELLED
    assert len(fake_stripe.calls("POST", "/v1/refunds")) == 1
    (payment,) = paid_card_order.payments
    assert payment.refunded_vnd == paid_card_order.total_vnd


def test_customers_cannot_use_the_staff_cancel(client, login, make_user, paid_card_order):
    login(make_user(role=Role.CONSUMER))
    data = {"cancel-reason": "x", "cancel-confirm": "y"}
    url = f"/backoffice/orders/{paid_card_order.code}/cancel"
    assert client.post(url, data=data).status_code == 403
    db.session.expire_all()
    assert paid_card_order.status == OrderStatus.PAID
