"""Giving money back: a cancelled order's payments, or part of one line (a damaged item).

A refund is decided inside the transaction that cancels or refunds (a Refund row, status
"due"), and the money moves afterwards: card payments through Stripe once that transaction is
committed (send_card_refunds; never while SQLite's write lock or a row lock is held), bank
transfers by staff, who then record the bank's reference (record_bank_refund). Sending is
safe to repeat: each Refund has its own Stripe idempotency key and is marked done once.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shop.checkout.models import Order, OrderLine
from shop.extensions import db, lock_for_writing, utcnow
from shop.i18n import format_vnd
from shop.payments import stripe_gateway
from shop.payments.fulfil import queue_for_review, seen_before
from shop.payments.models import (
    Payment,
    PaymentReview,
    Provider,
    Refund,
    RefundStatus,
    ReviewReason,
)


class CannotRefund(ValueError):
    """A refund that cannot be made (more than was paid, nothing paid …); str() says why."""


def refund_order(order: Order, by=None, reason: str = "") -> list[Refund]:
    """Decide the refund of whatever `order`'s payments still hold (a cancelled order): one
    due Refund per payment, for the whole order (no line). Safe to call again: what is
    already refunded or due is not refunded twice. A bank transfer also goes to the review
    queue (REFUND_DUE) so staff see whom to send how much. Call it with the order locked, in
    the cancelling transaction; send_card_refunds after the commit. Flushes."""
    refunds = []
    for payment in order.payments:
        left = payment.amount_vnd - committed_vnd(payment)
        if left <= 0:
            continue
        refund = Refund(
            order=order,
            payment=payment,
            amount_vnd=left,
            reason=reason,
            created_by_id=getattr(by, "id", None),
        )
        db.session.add(refund)
        refunds.append(refund)
        if payment.provider != Provider.STRIPE:
            _queue_bank_refund(order, payment, left, by)
    db.session.flush()
    return refunds


def refund_line(order: Order, line: OrderLine, amount_vnd: int, reason: str, by) -> Refund:
    """Decide a partial refund of one line (a damaged or missing item), due until the money
    goes back. At most what the line cost less what was already refunded on it, and at most
    what the order's payments still hold. CannotRefund otherwise. Flushes."""
    if line.order_id != order.id:
        raise CannotRefund(_("This line is not part of order %(code)s.", code=order.code))
    if amount_vnd <= 0:
        raise CannotRefund(_("Enter an amount above zero."))
    line_left = line.total_vnd - line_refunded_vnd(line)
    if amount_vnd > line_left:
        raise CannotRefund(
            _(
                "At most %(amount)s can still be refunded on this line.",
                amount=format_vnd(line_left),
            )
        )
    payment = _payment_with_most_left(order)
    if payment is None or payment.amount_vnd - committed_vnd(payment) < amount_vnd:
        raise CannotRefund(_("The order's payments do not hold that much to refund."))
    refund = Refund(
        order=order,
        order_line=line,
        payment=payment,
        amount_vnd=amount_vnd,
        reason=reason,
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(refund)
    db.session.flush()
    return refund


def committed_vnd(payment: Payment) -> int:
    """What of the payment is refunded or decided to be (due or done)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Refund.amount_vnd), 0)).where(Refund.payment_id == payment.id)
    )


def line_refunded_vnd(line: OrderLine) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Refund.amount_vnd), 0)).where(Refund.order_line_id == line.id)
    )


def record_bank_refund(refund: Refund, reference: str, by) -> None:
    """Staff sent the money back by bank transfer: the refund is done, with the bank's
    reference, and its review item (if any) is resolved. Flushes."""
    if refund.status == RefundStatus.DONE:
        raise CannotRefund(_("This refund is already recorded."))
    if refund.payment is not None and refund.payment.provider == Provider.STRIPE:
        raise CannotRefund(_("Card payments are refunded through Stripe, not by transfer."))
    _mark_done(refund, reference)
    review = db.session.scalar(
        select(PaymentReview).where(
            PaymentReview.order_id == refund.order_id,
            PaymentReview.reason == ReviewReason.REFUND_DUE,
            PaymentReview.resolved_at.is_(None),
            PaymentReview.amount_vnd == refund.amount_vnd,
        )
    )
    if review is not None:
        review.resolved_at = refund.refunded_at
        review.resolved_by_id = getattr(by, "id", None)
        review.resolution_note = _("Refunded by transfer %(reference)s.", reference=reference)
    db.session.flush()


def due_card_refunds(order_code: str | None = None) -> list[stripe_gateway.CardRefund]:
    """The card refunds decided and not yet sent (of one order, or all), as plain data."""
    query = (
        select(Refund)
        .join(Refund.payment)
        .where(Refund.status == RefundStatus.DUE, Payment.provider == Provider.STRIPE)
        .options(selectinload(Refund.payment), selectinload(Refund.order))
        .order_by(Refund.id)
    )
    if order_code is not None:
        query = query.join(Refund.order).where(Order.code == order_code)
    return [
        stripe_gateway.CardRefund(
            refund_id=refund.id,
            order_code=refund.order.code,
            payment_id=refund.payment.id,
            session_id=refund.payment.reference,
            payment_intent=((refund.payment.raw or {}).get("session") or {}).get("payment_intent"),
            amount_vnd=refund.amount_vnd,
            idempotency_key=refund.stripe_idempotency_key,
        )
        for refund in db.session.scalars(query)
    ]


def send_card_refunds(order_code: str | None = None) -> list[str]:
    """Send the due card refunds through Stripe, each outside any transaction, then mark it
    done in its own short one. Returns the messages of the ones Stripe refused (they stay
    due: send again later, `flask --app shop send-refunds`). Commits: call after the view's
    own commit, like send_order_emails."""
    todo = due_card_refunds(order_code)
    db.session.rollback()  # end the read: nothing is held while Stripe answers
    problems = []
    for card in todo:
        try:
            reference, amount = stripe_gateway.send_refund(card)
        except stripe_gateway.PaymentProviderError as error:
            problems.append(str(error))
            continue
        lock_for_writing()
        refund = db.session.get(Refund, card.refund_id, with_for_update=True)
        if refund is not None and refund.status == RefundStatus.DUE:
            if amount != refund.amount_vnd:
                current_app.logger.error(
                    "Stripe refunded %s for refund %s of %s", amount, refund.id, refund.amount_vnd
                )
            _mark_done(refund, reference)
        db.session.commit()
    return problems


def _mark_done(refund: Refund, reference: str) -> None:
    refund.status = RefundStatus.DONE
    refund.reference = reference
    refund.refunded_at = utcnow()
    payment = refund.payment
    if payment is not None:
        payment.refunded_vnd += refund.amount_vnd
        payment.refund_reference = reference
        if payment.refunded_vnd >= payment.amount_vnd:
            payment.refunded_at = refund.refunded_at


def _payment_with_most_left(order: Order) -> Payment | None:
    held = [(payment.amount_vnd - committed_vnd(payment), payment) for payment in order.payments]
    held = [(left, payment) for left, payment in held if left > 0]
    return max(held, key=lambda pair: (pair[0], -pair[1].id))[1] if held else None


def refund_reference(payment: Payment) -> str:
    """The review queue's reference for the refund of `payment` (one per payment)."""
    return f"refund-{payment.id}"


def _queue_bank_refund(order: Order, payment: Payment, amount_vnd: int, by) -> None:
    reference = refund_reference(payment)
    if seen_before(payment.provider, reference):
        return
    queue_for_review(
        ReviewReason.REFUND_DUE,
        provider=payment.provider,
        reference=reference,
        amount_vnd=amount_vnd,
        order=order,
        memo=_("Refund %(code)s: %(reference)s", code=order.code, reference=payment.reference),
        raw={
            "payment_id": payment.id,
            "payment_reference": payment.reference,
            "customer": order.customer_name,
            "phone": order.phone,
            "requested_by": getattr(by, "email", None),
        },
    )
