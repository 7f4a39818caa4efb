"""Deliveries that arrive at the same moment, each on its own connection: the same transaction
sent many times pays once, and two different transfers for one order pay it once and queue
the other. Every delivery is answered 2xx: none is left for the provider to retry."""

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from shop.checkout.models import OrderStatus
from shop.extensions import db
from shop.payments.models import PaymentReview, ReviewReason
from tests.payments.bank_requests import WEBHOOK_SECRET, Ledger, sepay_body

pytestmark = pytest.mark.both_databases  # concurrent deliveries, exactly-once

DELIVERIES = 8


def deliver_at_once(app, bodies: list[dict]) -> list[tuple[int, list[str]]]:
    """POST every body to the SePay webhook from its own thread, all released together."""
    start = threading.Barrier(len(bodies))
    results: list = [None] * len(bodies)

    def deliver(i: int, body: dict) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(
            "/webhooks/bank/sepay",
            json=body,
            headers={"Authorization": f"Apikey {WEBHOOK_SECRET}"},
        )
        results[i] = (response.status_code, (response.json or {}).get("outcomes"))

    threads = [threading.Thread(target=deliver, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.rollback()  # read what the other connections committed
    return results


def test_the_same_transaction_delivered_at_once_pays_once(app, make_order, ledger):
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd)
    results = deliver_at_once(app, [body] * DELIVERIES)
    assert [status for status, _ in results] == [200] * DELIVERIES
    outcomes = Counter(outcome for _, (outcome,) in results)
    assert outcomes == {"paid": 1, "duplicate": DELIVERIES - 1}
    assert ledger() == Ledger(payments=1, reviews=0, events=1, emails=1)
    db.session.expire_all()
    assert order.status == OrderStatus.PAID


def test_different_transfers_for_one_order_at_once_pay_it_once(app, make_order, ledger):
    order, _token = make_order()
    bodies = [
        sepay_body(order.code, order.total_vnd, transaction_id=500 + i) for i in range(DELIVERIES)
    ]
    results = deliver_at_once(app, bodies)
    assert [status for status, _ in results] == [200] * DELIVERIES
    outcomes = Counter(outcome for _, (outcome,) in results)
    assert outcomes == {"paid": 1, "review": DELIVERIES - 1}
    reasons = set(db.session.scalars(select(PaymentReview.reason)))
    assert reasons == {ReviewReason.ALREADY_PAID}
    assert ledger() == Ledger(payments=1, reviews=DELIVERIES - 1, events=DELIVERIES, emails=1)


def test_the_same_unmatched_transfer_at_once_is_queued_once(app, ledger):
    body = sepay_body(None, 90_000, content="khong ro noi dung")
    results = deliver_at_once(app, [body] * DELIVERIES)
    assert [status for status, _ in results] == [200] * DELIVERIES
    outcomes = Counter(outcome for _, (outcome,) in results)
    assert outcomes == {"review": 1, "duplicate": DELIVERIES - 1}
    assert ledger() == Ledger(payments=0, reviews=1, events=1, emails=0)
