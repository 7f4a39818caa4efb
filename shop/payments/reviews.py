"""The staff side of bank transfers: the review queue, and transfers staff saw on the statement.

Every function flushes; the back-office view commits. Call lock_for_writing() and then
lock_order() before any of the writes, as the webhooks do, so staff and a webhook cannot
settle the same order at the same moment.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from shop.audit.log import record
from shop.checkout.emails import queue_paid_emails
from shop.checkout.models import Order, OrderStatus, PaymentMethod
from shop.extensions import db, utcnow
from shop.i18n import format_vnd as vnd
from shop.payments.fulfil import Outcome, apply_payment, lock_order, queue_for_review
from shop.payments.models import (
    Payment,
    PaymentReview,
    Provider,
    Refund,
    RefundStatus,
    ReviewReason,
)
from shop.payments.refunds import CannotRefund, record_bank_refund

# Resolve only: money already recorded as a payment, money going back, and card payments
# whose amount or currency is wrong (refunded through Stripe, never applied by hand).
NOT_APPLICABLE = frozenset(
    {ReviewReason.OVERPAYMENT, ReviewReason.REFUND_DUE, ReviewReason.AMOUNT_MISMATCH}
)


# Money a person sends back by bank transfer: card payments go back through Stripe instead.
NOT_REFUNDABLE = frozenset({ReviewReason.AMOUNT_MISMATCH})


class CannotApply(ValueError):
    """A reviewed transfer that cannot be applied to that order; the message says why."""


def open_reviews() -> list[PaymentReview]:
    return list(
        db.session.scalars(
            select(PaymentReview)
            .where(PaymentReview.resolved_at.is_(None))
            .order_by(PaymentReview.created_at, PaymentReview.id)
        )
    )


def recently_resolved(limit: int = 20) -> list[PaymentReview]:
    return list(
        db.session.scalars(
            select(PaymentReview)
            .where(PaymentReview.resolved_at.is_not(None))
            .order_by(PaymentReview.resolved_at.desc(), PaymentReview.id.desc())
            .limit(limit)
        )
    )


def awaiting_transfer(limit: int = 50) -> list[Order]:
    """VietQR orders still waiting for their money, the ones expiring soonest first."""
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.status == OrderStatus.PENDING_PAYMENT,
                Order.payment_method == PaymentMethod.VIETQR,
            )
            .order_by(Order.expires_at, Order.id)
            .limit(limit)
        )
    )


def can_apply(review: PaymentReview) -> bool:
    """Could staff apply this transfer to an order (the right one, once they found it)?"""
    return review.resolved_at is None and review.reason not in NOT_APPLICABLE


def can_refund(review: PaymentReview) -> bool:
    """Is there money here that staff send back by bank transfer?"""
    return review.resolved_at is None and review.reason not in NOT_REFUNDABLE


def refund_vnd(review: PaymentReview) -> int:
    """How much goes back: the part above the order's total for an over-payment (what the
    order's payments hold beyond it), else the whole transfer."""
    if review.reason == ReviewReason.OVERPAYMENT and review.order is not None:
        excess = received_vnd(review.order) - review.order.total_vnd
        return max(0, min(excess, review.amount_vnd))
    return review.amount_vnd


def refund_review(review: PaymentReview, staff, reference: str, note: str = "") -> int:
    """Staff sent the money back (bank reference `reference`) and the item is closed. Money that
    was recorded as a payment goes back as a Refund, done: a cancelled order's due refund (the
    one this item announced), or a new one for the part of an over-payment above the total; the
    payment shows it either way. Money never recorded (no order, an expired one …) is only
    noted. Returns the amount. Audited. Lock the order first (lock_order), as for apply_review."""
    if not can_refund(review):
        raise CannotApply(_("This transfer is resolved or is not refunded by bank transfer."))
    before = _open_state(review)
    amount = refund_vnd(review)
    refund = _due_refund_of(review) or _new_refund(review, amount, staff)
    if refund is not None:
        amount = refund.amount_vnd
        try:
            record_bank_refund(refund, reference, staff)
        except CannotRefund as refusal:
            raise CannotApply(str(refusal)) from refusal
    default = _(
        "Refunded %(amount)s by transfer %(reference)s.", amount=vnd(amount), reference=reference
    )
    _close(review, staff, f"{default} {note}".strip())
    after = {**_state(review), "refunded_vnd": amount, "refund_reference": reference}
    record(staff, "review.refund", f"review:{review.id}", before, after)
    return amount


def _due_refund_of(review: PaymentReview) -> Refund | None:
    """The due Refund a cancelled order's REFUND_DUE item announced (same payment, amount)."""
    if review.reason != ReviewReason.REFUND_DUE or not review.raw:
        return None
    return db.session.scalar(
        select(Refund)
        .where(
            Refund.payment_id == review.raw.get("payment_id"),
            Refund.status == RefundStatus.DUE,
            Refund.amount_vnd == review.amount_vnd,
        )
        .order_by(Refund.id)
        .limit(1)
    )


def _new_refund(review: PaymentReview, amount: int, staff) -> Refund | None:
    """An over-payment's excess, returned out of the payment it came in as: a Refund of the
    order (no line: it is not a producer's sale), so later refunds count it as given back."""
    if review.reason != ReviewReason.OVERPAYMENT or review.order is None or amount <= 0:
        return None
    payment = db.session.scalar(
        select(Payment).where(
            Payment.provider == review.provider, Payment.reference == review.reference
        )
    )
    if payment is None:
        return None
    refund = Refund(
        order=review.order,
        payment=payment,
        amount_vnd=amount,
        reason=_("Over-payment returned"),
        created_by_id=staff.id,
    )
    db.session.add(refund)
    db.session.flush()
    return refund


def resolve_review(review: PaymentReview, staff, note: str) -> None:
    """Dismiss the item with the reason (a duplicate, a test transfer, customer called …)."""
    _close(review, staff, note)
    record(staff, "review.dismiss", f"review:{review.id}", _open_state(review), _state(review))


def _close(review: PaymentReview, staff, note: str) -> None:
    review.resolved_at = utcnow()
    review.resolved_by_id = staff.id
    review.resolution_note = note
    db.session.flush()


def _open_state(review: PaymentReview) -> dict:
    return {"resolved": False, "order": review.order.code if review.order else None}


def _state(review: PaymentReview) -> dict:
    """What the audit log keeps about a closed review item."""
    return {
        "resolved": True,
        "order": review.order.code if review.order else None,
        "reason": review.reason.value,
        "amount_vnd": review.amount_vnd,
        "reference": review.reference,
        "note": review.resolution_note,
    }


def apply_review_to(review: PaymentReview, code: str, staff, note: str = "") -> Order:
    """Lock the order named `code` and apply the reviewed transfer to it (apply_review)."""
    order = lock_order(code)
    if order is None:
        raise CannotApply(_("There is no order %(code)s.", code=code))
    apply_review(review, order, staff, note)
    return order


def apply_review(review: PaymentReview, order: Order, staff, note: str = "") -> bool:
    """Record the reviewed transfer as a payment of `order` (locked by the caller).

    The order becomes paid once its recorded payments cover the total (two short transfers
    can make one payment); anything above the total is queued again, to be refunded.
    Returns whether the order is now paid. CannotApply when it cannot take the money.
    """
    if not can_apply(review):
        raise CannotApply(_("This transfer is resolved or is not money waiting for an order."))
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise CannotApply(
            _(
                "Order %(code)s is “%(status)s”: only an order awaiting payment can take it.",
                code=order.code,
                status=order.status.label,
            )
        )
    if _payment_exists(review.provider, review.reference):
        raise CannotApply(_("This transfer is already recorded as a payment."))
    db.session.add(
        Payment(
            order=order,
            provider=review.provider,
            reference=review.reference,
            amount_vnd=review.amount_vnd,
            raw=review.raw,
            recorded_by_id=staff.id,
        )
    )
    db.session.flush()
    received = received_vnd(order)
    if received >= order.total_vnd:
        order.transition(OrderStatus.PAID)
        queue_paid_emails(order)
    if received > order.total_vnd:
        queue_for_review(
            ReviewReason.OVERPAYMENT,
            provider=review.provider,
            reference=review.reference,
            amount_vnd=review.amount_vnd,
            order=order,
            memo=review.memo,
            raw=review.raw,
        )
    before = _open_state(review)
    review.order = order
    _close(review, staff, note or _("Applied to order %(code)s.", code=order.code))
    after = {**_state(review), "order_status": order.status.value}
    record(staff, "review.apply", f"review:{review.id}", before, after)
    return order.status == OrderStatus.PAID


def record_transfer_received(order: Order, staff, amount_vnd: int, reference: str) -> Outcome:
    """A transfer staff saw on the bank statement (demo mode, or no webhook): settled like a
    webhook's, exactly once per bank reference, with short payments and the like queued.
    Audited unless it was a duplicate (then nothing happened)."""
    before = {"status": order.status.value}
    outcome = apply_payment(
        order,
        provider=Provider.MANUAL,
        reference=reference,
        amount_vnd=amount_vnd,
        raw={"recorded_by": staff.email, "amount_vnd": amount_vnd, "reference": reference},
        recorded_by=staff,
    )
    if outcome != Outcome.DUPLICATE:
        after = {
            "status": order.status.value,
            "amount_vnd": amount_vnd,
            "reference": reference,
            "outcome": outcome.value,
        }
        record(staff, "transfer.received", f"order:{order.code}", before, after)
    return outcome


def order_reviews(order: Order) -> list[PaymentReview]:
    """Every transfer about this order that went to the review queue, newest first."""
    return list(
        db.session.scalars(
            select(PaymentReview)
            .where(PaymentReview.order_id == order.id)
            .order_by(PaymentReview.created_at.desc(), PaymentReview.id.desc())
        )
    )


def received_vnd(order: Order) -> int:
    """What the order's recorded payments add up to, refunds deducted."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_vnd - Payment.refunded_vnd), 0)).where(
            Payment.order_id == order.id
        )
    )


def _payment_exists(provider: Provider, reference: str) -> bool:
    return (
        db.session.scalar(
            select(Payment.id).where(Payment.provider == provider, Payment.reference == reference)
        )
        is not None
    )
