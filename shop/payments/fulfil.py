"""Settle money received against an order: exactly once, and never marking anything paid wrongly."""

from enum import StrEnum

from sqlalchemy import select

from shop.checkout.emails import queue_paid_emails
from shop.checkout.models import Order, OrderStatus
from shop.extensions import db
from shop.payments.models import Payment, PaymentReview, Provider, ReviewReason


class Outcome(StrEnum):
    PAID = "paid"  # the order is now paid
    DUPLICATE = "duplicate"  # this transfer was handled before: nothing changed
    REVIEW = "review"  # kept in the staff review queue


def seen_before(provider: Provider, reference: str) -> bool:
    """Has this provider's transaction already been settled or queued for review?"""
    for model in (Payment, PaymentReview):
        if db.session.scalar(
            select(model.id).where(model.provider == provider, model.reference == reference)
        ):
            return True
    return False


def queue_for_review(
    reason: ReviewReason,
    *,
    provider: Provider,
    reference: str,
    amount_vnd: int,
    order: Order | None = None,
    memo: str = "",
    raw: dict | None = None,
) -> PaymentReview:
    review = PaymentReview(
        reason=reason,
        provider=provider,
        reference=reference,
        amount_vnd=amount_vnd,
        order=order,
        memo=memo[:500],
        raw=raw,
    )
    db.session.add(review)
    db.session.flush()
    return review


def apply_payment(
    order: Order | None,
    *,
    provider: Provider,
    reference: str,
    amount_vnd: int,
    memo: str = "",
    raw: dict | None = None,
    recorded_by=None,
) -> Outcome:
    """Record money for `order` (None: no order matched) and mark it paid when it covers it.

    Lock the order first (lock_order) so two deliveries cannot both pass the checks. Short
    payments, payments to expired, cancelled or already paid orders and unmatched transfers
    go to the review queue with the raw payload; an overpayment pays the order and is queued
    so staff refund the difference. Flushes; the caller commits.
    """
    if seen_before(provider, reference):
        return Outcome.DUPLICATE
    kept = {"provider": provider, "reference": reference, "amount_vnd": amount_vnd}
    reason = _review_reason(order, amount_vnd)
    if reason is not None:
        queue_for_review(reason, order=order, memo=memo, raw=raw, **kept)
        return Outcome.REVIEW
    db.session.add(
        Payment(order=order, raw=raw, recorded_by_id=getattr(recorded_by, "id", None), **kept)
    )
    order.transition(OrderStatus.PAID)
    if amount_vnd > order.total_vnd:
        queue_for_review(ReviewReason.OVERPAYMENT, order=order, memo=memo, raw=raw, **kept)
    queue_paid_emails(order)
    db.session.flush()
    return Outcome.PAID


def _review_reason(order: Order | None, amount_vnd: int) -> ReviewReason | None:
    if order is None:
        return ReviewReason.UNMATCHED
    if order.status == OrderStatus.EXPIRED:
        return ReviewReason.EXPIRED_ORDER
    if order.status == OrderStatus.CANCELLED:
        return ReviewReason.CANCELLED_ORDER
    if order.status != OrderStatus.PENDING_PAYMENT:
        return ReviewReason.ALREADY_PAID
    if amount_vnd < order.total_vnd:
        return ReviewReason.SHORT_PAYMENT
    return None


def lock_order(code: str) -> Order | None:
    """The order, row-locked until the commit (PostgreSQL; SQLite: call lock_for_writing first)."""
    return db.session.scalar(
        select(Order)
        .where(Order.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)  # not a stale copy the session already had
    )
