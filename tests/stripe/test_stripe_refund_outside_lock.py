"""Issue 8 §3: a card refund is sent to Stripe after the cancel is committed, so a shopper can
check out while a slow refund is in flight (SQLite's write lock and PostgreSQL's row locks are
free by then)."""

import threading
import time

import pytest

from shop.auth.models import Role
from shop.checkout.models import OrderStatus
from shop.extensions import db
from shop.payments import stripe_gateway
from shop.payments.models import RefundStatus
from tests.fakes.stripe_api import deliver

pytestmark = pytest.mark.both_databases  # SQLite's write lock and PostgreSQL's row locks

SLOW = 3.0  # seconds Stripe takes to refund: less than SQLite's busy_timeout would not prove it


def test_a_checkout_goes_through_while_a_slow_refund_is_in_flight(
    app, client, make_order, make_user, fake_stripe
):
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order)
    db.session.commit()
    deliver(
        client,
        fake_stripe.event("checkout.session.completed", fake_stripe.pay(order.stripe_session_id)),
    )
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    staff = make_user(role=Role.STAFF)
    # The same product: cancelling puts its stock back, so under the old code PostgreSQL's row
    # lock on it (and SQLite's write lock on everything) was held while Stripe answered.
    product_id = order.lines[0].product_id
    fake_stripe.refund_delay = SLOW

    staff_client = app.test_client()
    with staff_client.session_transaction() as session:
        session["_user_id"] = str(staff.id)
    answers = {}

    def cancel():
        data = {"cancel-reason": "Khách đổi ý", "cancel-confirm": "y"}
        with app.app_context():  # this thread's own context and database session
            url = f"/backoffice/orders/{code}/cancel"
            answers["cancel"] = staff_client.post(url, data=data)
            db.session.remove()

    code = order.code
    staff_thread = threading.Thread(target=cancel)
    staff_thread.start()
    assert fake_stripe.refund_started.wait(10), "the refund never reached Stripe"

    started = time.monotonic()
    shopper = app.test_client().post(
        "/api/v1/orders",
        json={
            "items": [{"product_id": product_id, "quantity": 1}],
            "customer": {
                "name": "Trần Thị Lan",
                "phone": "0987654321",
                "email": "lan@example.vn",
                "address": "8 Nguyễn Trãi",
                "province": "Hà Nội",
            },
            "payment_method": "vietqr",
        },
    )
    took = time.monotonic() - started
    assert shopper.status_code == 201, shopper.get_data(as_text=True)
    assert fake_stripe.refunds == {}  # the refund was still in flight…
    assert took < SLOW / 2  # …and the checkout did not wait for it

    staff_thread.join(30)
    assert answers["cancel"].status_code == 303
    db.session.expire_all()
    assert order.status == OrderStatus.CANCELLED
    (refund,) = order.refunds
    assert refund.status == RefundStatus.DONE and len(fake_stripe.refunds) == 1
