"""Give the money of a cancelled order back: card payments through Stripe, transfers by staff."""

from shop.checkout.models import Order
from shop.payments import stripe_gateway
from shop.payments.fulfil import queue_for_review, seen_before
from shop.payments.models import Payment, Provider, ReviewReason


def refund_order(order: Order, by=None) -> None:
    """Refund every payment of `order` not refunded yet. Safe to call again. Flushes.

    Stripe payments are refunded through the API at once (idempotency key refund-<payment id>;
    stripe_gateway.PaymentProviderError if Stripe refuses: roll back and tell the user). A bank
    transfer cannot be pulled back by the shop: a REFUND_DUE review tells staff how much to
    send to whom, once per payment. Call it after lock_order(), in the cancelling transaction.
    """
    for payment in order.payments:
        if payment.refunded_at is not None or payment.refunded_vnd >= payment.amount_vnd:
            continue
        if payment.provider == Provider.STRIPE:
            stripe_gateway.refund_payment(payment)
        else:
            _refund_by_hand(order, payment, by)


def refund_reference(payment: Payment) -> str:
    """The review queue's reference for the refund of `payment` (one per payment)."""
    return f"refund-{payment.id}"


def _refund_by_hand(order: Order, payment: Payment, by) -> None:
    reference = refund_reference(payment)
    if seen_before(payment.provider, reference):
        return
    queue_for_review(
        ReviewReason.REFUND_DUE,
        provider=payment.provider,
        reference=reference,
        amount_vnd=payment.amount_vnd - payment.refunded_vnd,
        order=order,
        memo=f"{order.code} refund of {payment.provider.value} {payment.reference}",
        raw={
            "payment_id": payment.id,
            "payment_reference": payment.reference,
            "customer": order.customer_name,
            "phone": order.phone,
            "requested_by": getattr(by, "email", None),
        },
    )
