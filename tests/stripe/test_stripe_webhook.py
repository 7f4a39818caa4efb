"""POST /webhooks/stripe: real signatures, and each payment recorded exactly once."""

import json
import threading
import time

import pytest
from sqlalchemy import func, select

from shop.checkout.models import EmailOutbox, Order, OrderStatus
from shop.extensions import db
from shop.payments import stripe_gateway
from shop.payments.models import Payment, PaymentReview, Provider, ReviewReason, WebhookEvent
from tests.fakes.stripe_api import TEST_WEBHOOK_SECRET, deliver, signature_header

pytestmark = pytest.mark.both_databases  # money, webhooks' exactly-once

COMPLETED = "checkout.session.completed"
SUCCEEDED = "checkout.session.async_payment_succeeded"


@pytest.fixture
def card_order(app, make_order, fake_stripe):
    """An order whose customer is on Stripe's hosted page."""
    order = make_order()
    with app.test_request_context():
        stripe_gateway.start_checkout(order)
    db.session.commit()
    return order


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def reviews() -> list[PaymentReview]:
    db.session.expire_all()
    return db.session.scalars(select(PaymentReview)).all()


def post_raw(client, payload: bytes, header: str | None):
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    return client.post("/webhooks/stripe", data=payload, headers=headers)


# Signatures ---------------------------------------------------------------------------------


def test_a_genuine_delivery_is_accepted(client, card_order, fake_stripe):
    event = fake_stripe.event(COMPLETED, fake_stripe.pay(card_order.stripe_session_id))
    response = deliver(client, event)
    assert response.status_code == 200
    assert response.json == {"received": True, "outcome": "paid"}


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(lambda p: None, id="missing"),
        pytest.param(lambda p: "", id="empty"),
        pytest.param(lambda p: signature_header(p, secret="whsec_someone_else"), id="other-secret"),
        pytest.param(lambda p: signature_header(p, timestamp=int(time.time()) - 600), id="expired"),
        pytest.param(lambda p: signature_header(p + b" "), id="other-body"),
        pytest.param(lambda p: signature_header(p).replace("v1=", "v0="), id="other-scheme"),
        pytest.param(lambda p: "t=yesterday,v1=abc", id="garbage"),
        pytest.param(lambda p: "v1=" + "0" * 64, id="no-timestamp"),
    ],
)
def test_a_forged_or_stale_delivery_is_refused(client, card_order, fake_stripe, header):
    event = fake_stripe.event(COMPLETED, fake_stripe.pay(card_order.stripe_session_id))
    payload = json.dumps(event).encode()

    response = post_raw(client, payload, header(payload))

    assert response.status_code == 400
    assert "signature" in response.json["error"]
    assert count(Payment) == count(WebhookEvent) == 0
    assert db.session.get(Order, card_order.id).status == OrderStatus.PENDING_PAYMENT


def test_a_signature_within_the_tolerance_is_accepted(client, card_order, fake_stripe):
    event = fake_stripe.event(COMPLETED, fake_stripe.pay(card_order.stripe_session_id))
    response = deliver(client, event, timestamp=int(time.time()) - 240)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"not json", id="not-json"),
        pytest.param(b"\xff\xfe\x00", id="not-utf8"),
        pytest.param(b"[]", id="a-list"),
        pytest.param(b"{}", id="empty-object"),
        pytest.param(b'{"id": "evt_1", "object": "event", "type": 5}', id="odd-type"),
        pytest.param(
            b'{"id": "evt_1", "object": "event", "type": "checkout.session.completed"}',
            id="no-data",
        ),
        pytest.param(
            b'{"id": "evt_1", "object": "event", "type": "checkout.session.completed",'
            b' "data": {"object": {"object": "checkout.session", "id": "cs_1",'
            b' "amount_total": "330000", "currency": "vnd", "payment_status": "paid"}}}',
            id="amount-as-text",
        ),
        pytest.param(
            b'{"id": "evt_1", "object": "event", "type": "checkout.session.completed",'
            b' "data": {"object": {"object": "checkout.session", "id": "cs_1",'
            b' "amount_total": 330000.5, "currency": "vnd", "payment_status": "paid"}}}',
            id="amount-with-decimals",
        ),
        pytest.param(
            b'{"id": "evt_1", "object": "event", "type": "checkout.session.completed",'
            b' "data": {"object": {"object": "payment_intent", "id": "pi_1"}}}',
            id="not-a-session",
        ),
    ],
)
def test_a_signed_but_malformed_event_is_refused(client, app, payload):
    response = post_raw(client, payload, signature_header(payload))
    assert response.status_code == 400
    assert count(WebhookEvent) == 0


def test_without_a_webhook_secret_deliveries_wait(client, app, card_order, fake_stripe, caplog):
    app.config["STRIPE_WEBHOOK_SECRET"] = None
    event = fake_stripe.event(COMPLETED, fake_stripe.pay(card_order.stripe_session_id))

    response = deliver(client, event)

    assert response.status_code == 503  # Stripe retries; nothing is lost
    assert "STRIPE_WEBHOOK_SECRET" in caplog.text
    assert count(Payment) == 0


def test_only_post(client, app):
    assert client.get("/webhooks/stripe").status_code == 405


# Fulfilment ---------------------------------------------------------------------------------


def test_a_completed_paid_session_pays_the_order(client, card_order, fake_stripe):
    session = fake_stripe.pay(card_order.stripe_session_id)

    assert deliver(client, fake_stripe.event(COMPLETED, session)).status_code == 200

    db.session.expire_all()
    order = card_order
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    (payment,) = order.payments
    assert payment.provider == Provider.STRIPE
    assert payment.reference == session["id"]
    assert payment.amount_vnd == order.total_vnd == 330_000
    assert payment.raw["session"]["payment_intent"] == session["payment_intent"]
    assert payment.raw["session"]["customer_details"]["name"] == "Nguyễn Thị Hoa"  # UTF-8 body
    assert count(WebhookEvent, WebhookEvent.provider == Provider.STRIPE) == 1
    (email,) = db.session.scalars(select(EmailOutbox).where(EmailOutbox.order_id == order.id))
    assert email.to == order.email
    assert email.sent_at is not None  # delivered after the commit


def test_the_same_event_three_times_pays_once(client, card_order, fake_stripe):
    event = fake_stripe.event(COMPLETED, fake_stripe.pay(card_order.stripe_session_id))

    outcomes = [deliver(client, event).json["outcome"] for _ in range(3)]

    assert outcomes == ["paid", "duplicate", "duplicate"]
    assert count(Payment) == 1
    assert count(WebhookEvent) == 1
    assert count(EmailOutbox) == 1
    assert reviews() == []


@pytest.mark.parametrize("kinds", [(COMPLETED, SUCCEEDED), (SUCCEEDED, COMPLETED)])
def test_completed_and_async_succeeded_pay_once_in_either_order(
    client, card_order, fake_stripe, kinds
):
    session = fake_stripe.pay(card_order.stripe_session_id)

    outcomes = [deliver(client, fake_stripe.event(k, session)).json["outcome"] for k in kinds]

    assert outcomes == ["paid", "duplicate"]
    assert count(Payment) == 1
    assert count(WebhookEvent) == 2  # both events were seen, and will not be applied again
    assert reviews() == []  # a duplicate of our own session is not an "already paid" transfer


def test_a_delayed_payment_waits_for_async_payment_succeeded(client, card_order, fake_stripe):
    unpaid = fake_stripe.pay(card_order.stripe_session_id, payment_status="unpaid")
    completed = fake_stripe.event(COMPLETED, unpaid)

    assert deliver(client, completed).json["outcome"] == "awaiting_payment"
    db.session.expire_all()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert count(Payment) == 0

    paid = fake_stripe.settle_async(card_order.stripe_session_id)
    assert deliver(client, fake_stripe.event(SUCCEEDED, paid)).json["outcome"] == "paid"
    assert deliver(client, completed).json["outcome"] == "duplicate"  # a late retry
    db.session.expire_all()
    assert card_order.status == OrderStatus.PAID
    assert count(Payment) == 1


@pytest.mark.parametrize(
    "kind",
    [
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
        "payment_intent.succeeded",
        "charge.refunded",
    ],
)
def test_events_with_nothing_to_pay_are_acknowledged_and_ignored(
    client, card_order, fake_stripe, kind
):
    session = fake_stripe.pay(card_order.stripe_session_id, payment_status="unpaid")

    response = deliver(client, fake_stripe.event(kind, session))

    assert response.status_code == 200
    assert response.json["outcome"] == "ignored"
    db.session.expire_all()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert count(Payment) == count(PaymentReview) == 0


def test_the_order_is_found_by_client_reference_without_metadata(client, card_order, fake_stripe):
    session = fake_stripe.pay(card_order.stripe_session_id)
    session["metadata"] = {}

    assert deliver(client, fake_stripe.event(COMPLETED, session)).json["outcome"] == "paid"


# What must never be marked paid -------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount_total": 3_300}, ReviewReason.SHORT_PAYMENT),  # paid 100 times too little
        ({"amount_total": 329_999}, ReviewReason.SHORT_PAYMENT),
        ({"amount_total": 33_000_000}, ReviewReason.OVERPAYMENT),  # a two-decimal mistake
        ({"currency": "usd"}, ReviewReason.OVERPAYMENT),  # 330000 cents is not 330.000 ₫
    ],
)
def test_a_session_that_differs_from_the_order_goes_to_review(
    client, card_order, fake_stripe, change, reason
):
    session = {**fake_stripe.pay(card_order.stripe_session_id), **change}
    event = fake_stripe.event(COMPLETED, session)

    assert deliver(client, event).json["outcome"] == "review"
    assert deliver(client, fake_stripe.event(SUCCEEDED, session)).json["outcome"] == "duplicate"

    db.session.expire_all()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert count(Payment) == 0
    (review,) = reviews()
    assert review.reason == reason
    assert review.order_id == card_order.id
    assert review.reference == session["id"]
    assert review.raw["session"]["amount_total"] == session["amount_total"]


def test_a_payment_for_an_unknown_order_is_kept_for_review(client, app, fake_stripe):
    session = fake_stripe.create_session(
        {
            "mode": "payment",
            "success_url": "http://127.0.0.1:5000/",
            "client_reference_id": "DH999999Z",
            "metadata": {"order_code": "DH999999Z"},
            "line_items": [
                {
                    "price_data": {
                        "currency": "vnd",
                        "unit_amount": "250000",
                        "product_data": {"name": "Mật ong"},
                    },
                    "quantity": "1",
                }
            ],
        }
    )
    paid = fake_stripe.pay(session["id"])

    response = deliver(client, fake_stripe.event(COMPLETED, paid))

    assert response.status_code == 200
    assert response.json["outcome"] == "review"
    (review,) = reviews()
    assert review.reason == ReviewReason.UNMATCHED
    assert review.order_id is None
    assert review.amount_vnd == 250_000
    assert "DH999999Z" in review.memo


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (OrderStatus.EXPIRED, ReviewReason.EXPIRED_ORDER),
        (OrderStatus.CANCELLED, ReviewReason.CANCELLED_ORDER),
    ],
)
def test_a_payment_for_a_closed_order_is_kept_for_review(
    client, card_order, fake_stripe, status, reason
):
    session = fake_stripe.pay(card_order.stripe_session_id)
    card_order.transition(status)
    db.session.commit()

    assert deliver(client, fake_stripe.event(COMPLETED, session)).json["outcome"] == "review"

    db.session.expire_all()
    assert card_order.status == status
    assert count(Payment) == 0
    (review,) = reviews()
    assert (review.reason, review.order_id, review.amount_vnd) == (reason, card_order.id, 330_000)


# Many deliveries at once --------------------------------------------------------------------


def test_concurrent_deliveries_pay_once(app, card_order, fake_stripe):
    """Stripe retries while the first delivery is still running, and sends both events."""
    session = fake_stripe.pay(card_order.stripe_session_id)
    completed = fake_stripe.event(COMPLETED, session)
    succeeded = fake_stripe.event(SUCCEEDED, session)
    events = [completed] * 5 + [succeeded] * 3
    order_id = card_order.id
    db.session.commit()
    db.session.close()  # each delivery below has its own session and connection
    start = threading.Barrier(len(events))
    answers: list = []

    def send(event):
        client = app.test_client()
        start.wait()
        response = deliver(client, event)
        answers.append((response.status_code, response.json["outcome"]))

    threads = [threading.Thread(target=send, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers) == sorted([(200, "paid")] + [(200, "duplicate")] * 7)
    assert count(Payment) == 1
    assert count(WebhookEvent) == 2
    assert count(EmailOutbox) == 1
    assert reviews() == []
    assert db.session.get(Order, order_id).status == OrderStatus.PAID


def test_the_webhook_secret_is_the_one_signing(card_order, fake_stripe, client):
    """The helper signs with the configured secret; a re-signed forgery of the body fails."""
    event = fake_stripe.event(COMPLETED, fake_stripe.pay(card_order.stripe_session_id))
    assert fake_stripe.overrides["STRIPE_WEBHOOK_SECRET"] == TEST_WEBHOOK_SECRET
    forged = {**event, "data": {"object": {**event["data"]["object"], "amount_total": 1}}}
    payload = json.dumps(forged).encode()
    header = signature_header(json.dumps(event).encode())
    assert post_raw(client, payload, header).status_code == 400
