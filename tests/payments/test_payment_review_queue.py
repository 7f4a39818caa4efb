"""What staff can do with a transfer in the review queue: apply it to the order it was meant
for (once, and only to an order awaiting payment), or close it with a note."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.checkout.models import EmailOutbox, OrderStatus, PaymentMethod
from shop.extensions import db
from shop.payments import reviews
from shop.payments.fulfil import Outcome, apply_payment, lock_order
from shop.payments.models import Payment, PaymentReview, Provider, ReviewReason

pytestmark = pytest.mark.both_databases  # money applied once


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


def queue(order, amount_vnd: int, reference: str = "T1", provider=Provider.SEPAY) -> PaymentReview:
    """A transfer reported for `order` (None: unmatched) that ended in the review queue."""
    outcome = apply_payment(
        order, provider=provider, reference=reference, amount_vnd=amount_vnd, memo="chuyen tien"
    )
    db.session.commit()
    assert outcome == Outcome.REVIEW
    return db.session.scalars(select(PaymentReview).order_by(PaymentReview.id.desc())).first()


def test_an_unmatched_transfer_applied_to_its_order_pays_it(make_order, staff):
    order, _token = make_order(total_vnd=135_000)
    review = queue(None, 135_000)
    assert reviews.can_apply(review)
    reviews.apply_review_to(review, order.code, staff, "Khách ghi sai nội dung")
    db.session.commit()
    assert order.status == OrderStatus.PAID
    [payment] = order.payments
    assert (payment.provider, payment.reference, payment.amount_vnd) == (
        Provider.SEPAY,
        "T1",
        135_000,
    )
    assert payment.recorded_by_id == staff.id
    assert review.resolved_at is not None
    assert (review.resolved_by_id, review.resolution_note) == (staff.id, "Khách ghi sai nội dung")
    assert review.order_id == order.id
    assert len(db.session.scalars(select(EmailOutbox)).all()) == 1
    assert reviews.open_reviews() == []
    assert reviews.recently_resolved() == [review]


def test_two_short_transfers_applied_together_pay_the_order(make_order, staff):
    order, _token = make_order(total_vnd=135_000)
    first = queue(order, 100_000, reference="T1")
    second = queue(order, 35_000, reference="T2")
    assert first.reason == second.reason == ReviewReason.SHORT_PAYMENT
    reviews.apply_review_to(first, order.code, staff)
    db.session.commit()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert reviews.received_vnd(order) == 100_000
    assert order.code in first.resolution_note  # written in the shop's language
    reviews.apply_review_to(second, order.code, staff)
    db.session.commit()
    assert order.status == OrderStatus.PAID
    assert reviews.received_vnd(order) == 135_000


def test_applying_more_than_the_total_queues_the_difference(make_order, staff):
    order, _token = make_order(total_vnd=135_000)
    review = queue(None, 200_000)
    reviews.apply_review_to(review, order.code, staff)
    db.session.commit()
    assert order.status == OrderStatus.PAID
    [open_item] = reviews.open_reviews()
    assert (open_item.reason, open_item.order_id) == (ReviewReason.OVERPAYMENT, order.id)
    assert not reviews.can_apply(open_item)


@pytest.mark.parametrize("status", [OrderStatus.PAID, OrderStatus.EXPIRED, OrderStatus.CANCELLED])
def test_only_an_order_awaiting_payment_can_take_a_transfer(make_order, staff, status):
    order, _token = make_order(status=status)
    review = queue(None, order.total_vnd)
    with pytest.raises(reviews.CannotApply, match=order.code):
        reviews.apply_review_to(review, order.code, staff)
    db.session.rollback()
    assert db.session.scalars(select(Payment)).all() == []
    assert review.resolved_at is None


def test_an_unknown_order_code_cannot_take_a_transfer(make_order, staff):
    review = queue(None, 100_000)
    with pytest.raises(reviews.CannotApply, match="DH00000000"):
        reviews.apply_review_to(review, "DH00000000", staff)


def test_a_resolved_transfer_cannot_be_applied_again(make_order, staff):
    order, _token = make_order()
    other, _token = make_order()
    review = queue(None, order.total_vnd)
    reviews.apply_review_to(review, order.code, staff)
    db.session.commit()
    assert not reviews.can_apply(review)
    with pytest.raises(reviews.CannotApply):
        reviews.apply_review_to(review, other.code, staff)


def test_an_over_payment_review_is_money_already_recorded(make_order, staff):
    order, _token = make_order(total_vnd=100_000)
    outcome = apply_payment(order, provider=Provider.CASSO, reference="9", amount_vnd=120_000)
    db.session.commit()
    assert outcome == Outcome.PAID
    [review] = reviews.open_reviews()
    other, _token = make_order()
    with pytest.raises(reviews.CannotApply):
        reviews.apply_review_to(review, other.code, staff)
    reviews.resolve_review(review, staff, "Đã hoàn 20.000 ₫ bằng chuyển khoản FT999")
    db.session.commit()
    assert reviews.open_reviews() == []


def test_a_transfer_staff_saw_on_the_statement_pays_once_per_reference(make_order, staff):
    order, _token = make_order(total_vnd=135_000)
    lock_order(order.code)
    outcome = reviews.record_transfer_received(order, staff, 135_000, "FT24091234567")
    db.session.commit()
    assert outcome == Outcome.PAID
    [payment] = order.payments
    assert (payment.provider, payment.reference, payment.recorded_by_id) == (
        Provider.MANUAL,
        "FT24091234567",
        staff.id,
    )
    assert payment.raw["recorded_by"] == staff.email
    again = reviews.record_transfer_received(order, staff, 135_000, "FT24091234567")
    assert again == Outcome.DUPLICATE


def test_awaiting_transfer_lists_pending_vietqr_orders_soonest_deadline_first(make_order):
    later, _ = make_order(expires_in=timedelta(minutes=25))
    sooner, _ = make_order(expires_in=timedelta(minutes=5))
    make_order(status=OrderStatus.PAID)
    make_order(method=PaymentMethod.STRIPE)
    assert reviews.awaiting_transfer() == [sooner, later]
