"""The review queue's three decisions: match to an order, mark refunded, dismiss with a reason;
each one audited."""

import pytest
from sqlalchemy import select

from shop.audit.log import verify_log
from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.checkout.models import OrderStatus
from shop.extensions import db
from shop.payments import reviews
from shop.payments.fulfil import apply_payment
from shop.payments.models import (
    Payment,
    PaymentReview,
    Provider,
    Refund,
    RefundStatus,
    ReviewReason,
)
from shop.payments.refunds import committed_vnd, refund_order
from tests.payments.orders import order_factory

pytestmark = pytest.mark.both_databases  # money applied once


@pytest.fixture
def make_order(app, make_product):
    return order_factory(make_product)


@pytest.fixture
def staff(client, login, make_user):
    user = make_user(role=Role.STAFF)
    login(user)
    return user


def open_review() -> PaymentReview:
    return db.session.scalars(
        select(PaymentReview).where(PaymentReview.resolved_at.is_(None))
    ).one()


def audit_actions() -> list[str]:
    assert verify_log().intact
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_an_over_payment_marked_refunded_sends_back_only_the_excess(client, staff, make_order):
    order, _token = make_order(total_vnd=100_000)
    apply_payment(order, provider=Provider.CASSO, reference="9", amount_vnd=120_000)
    db.session.commit()
    review = open_review()
    assert review.reason == ReviewReason.OVERPAYMENT
    page = client.get("/backoffice/payments").get_data(as_text=True)
    assert "20.000\u00a0₫" in page and "Mark refunded" in page
    response = client.post(
        f"/backoffice/payments/{review.id}/refund", data={"reference": " FT777 "}
    )
    assert response.status_code == 303
    db.session.expire_all()
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.refunded_vnd, payment.refund_reference) == (20_000, "FT777")
    refund = db.session.scalars(select(Refund)).one()  # counted when the order is refunded later
    assert (refund.payment_id, refund.order_line_id, refund.amount_vnd) == (
        payment.id,
        None,
        20_000,
    )
    assert (refund.status, refund.reference) == (RefundStatus.DONE, "FT777")
    assert reviews.received_vnd(order) == order.total_vnd
    assert committed_vnd(payment) == 20_000
    assert order.status == OrderStatus.PAID
    review = db.session.get(PaymentReview, review.id)
    assert review.resolved_by_id == staff.id and "FT777" in review.resolution_note
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.target) == (
        "review.refund",
        staff.id,
        f"review:{review.id}",
    )
    assert (entry.after["refunded_vnd"], entry.after["refund_reference"]) == (20_000, "FT777")


def test_a_cancelled_orders_due_refund_is_done_from_the_queue(client, staff, make_order):
    order, _token = make_order(total_vnd=135_000)
    apply_payment(order, provider=Provider.SEPAY, reference="T5", amount_vnd=135_000)
    order.transition(OrderStatus.CANCELLED)
    [due] = refund_order(order, by=staff, reason="Khách đổi ý")
    db.session.commit()
    review = open_review()
    assert review.reason == ReviewReason.REFUND_DUE
    response = client.post(f"/backoffice/payments/{review.id}/refund", data={"reference": "FT9"})
    assert response.status_code == 303
    db.session.expire_all()
    refund = db.session.get(Refund, due.id)
    assert (refund.status, refund.reference, refund.amount_vnd) == (
        RefundStatus.DONE,
        "FT9",
        135_000,
    )
    assert db.session.scalars(select(Refund)).all() == [refund]  # no second refund
    assert db.session.scalars(select(Payment)).one().refunded_vnd == 135_000
    assert db.session.get(PaymentReview, review.id).resolved_at is not None
    assert audit_actions() == ["review.refund"]


def test_a_transfer_for_an_expired_order_goes_back_whole(client, staff, make_order):
    order, _token = make_order(status=OrderStatus.EXPIRED)
    apply_payment(order, provider=Provider.SEPAY, reference="5", amount_vnd=135_000)
    db.session.commit()
    review = open_review()
    client.post(f"/backoffice/payments/{review.id}/refund", data={"reference": "FT1"})
    db.session.expire_all()
    assert db.session.scalars(select(Payment)).all() == []  # it never became a payment
    assert audit_actions() == ["review.refund"]
    assert db.session.scalars(select(AuditEntry)).one().after["refunded_vnd"] == 135_000


def test_a_refund_needs_its_bank_reference(client, staff, make_order):
    apply_payment(None, provider=Provider.SEPAY, reference="5", amount_vnd=50_000)
    db.session.commit()
    review = open_review()
    response = client.post(f"/backoffice/payments/{review.id}/refund", data={"reference": " "})
    assert response.status_code == 400
    assert "Enter the reference of the transfer" in response.get_data(as_text=True)
    assert open_review().resolved_at is None
    assert audit_actions() == []


def test_a_card_payment_is_never_refunded_by_hand(client, staff, make_order):
    order, _token = make_order()
    apply_payment(order, provider=Provider.STRIPE, reference="cs_1", amount_vnd=1)
    review = open_review()
    review.reason = ReviewReason.AMOUNT_MISMATCH
    db.session.commit()
    response = client.post(f"/backoffice/payments/{review.id}/refund", data={"reference": "X"})
    assert response.status_code == 409
    assert "Mark refunded" not in client.get("/backoffice/payments").get_data(as_text=True)


def test_dismissing_needs_a_reason_and_is_audited(client, staff):
    apply_payment(None, provider=Provider.SEPAY, reference="5", amount_vnd=50_000)
    db.session.commit()
    review = open_review()
    assert (
        client.post(f"/backoffice/payments/{review.id}/resolve", data={"note": ""}).status_code
        == 400
    )
    client.post(f"/backoffice/payments/{review.id}/resolve", data={"note": "Chuyển thử"})
    db.session.expire_all()
    assert db.session.get(PaymentReview, review.id).resolution_note == "Chuyển thử"
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.after["note"]) == ("review.dismiss", "Chuyển thử")


def test_a_second_refund_click_changes_nothing(client, staff, make_order):
    order, _token = make_order(total_vnd=100_000)
    apply_payment(order, provider=Provider.CASSO, reference="9", amount_vnd=120_000)
    db.session.commit()
    review = open_review()
    client.post(f"/backoffice/payments/{review.id}/refund", data={"reference": "FT1"})
    again = client.post(f"/backoffice/payments/{review.id}/refund", data={"reference": "FT2"})
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.scalars(select(Payment)).one().refunded_vnd == 20_000
    assert audit_actions() == ["review.refund"]


def test_a_refund_decision_is_refused_to_consumers(client, login, make_user):
    apply_payment(None, provider=Provider.SEPAY, reference="5", amount_vnd=50_000)
    db.session.commit()
    login(make_user(role=Role.CONSUMER))
    review = open_review()
    response = client.post(f"/backoffice/payments/{review.id}/refund", data={"reference": "X"})
    assert response.status_code == 403
