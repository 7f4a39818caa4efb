"""POST /webhooks/stripe: Checkout Session events, verified with the SDK, applied once.

Stripe delivers an event at least once, in any order, and retries until it gets a 2xx. So the
event id is stored under a unique constraint in the same transaction as its effect (a second
delivery changes nothing), the payment is keyed on the Checkout Session id (completed and
async_payment_succeeded for one session pay once), and anything unexpected answers 500 so
Stripe tries again. A session whose amount or currency differs from the order's is never
accepted as payment: it goes to the staff review queue.
"""

from flask import Blueprint, current_app, request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from shop.checkout.emails import deliver_pending
from shop.checkout.models import OrderStatus
from shop.extensions import csrf, db, lock_for_writing
from shop.payments import stripe_gateway
from shop.payments.fulfil import Outcome, apply_payment, lock_order, queue_for_review, seen_before
from shop.payments.models import Provider, ReviewReason, WebhookEvent

bp = Blueprint("stripe_webhook", __name__)

FULFIL = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})
NOTHING_TO_PAY = frozenset({"checkout.session.async_payment_failed", "checkout.session.expired"})
MAX_AMOUNT = 2**31 - 1  # what an amount column holds; no order comes near it


@bp.post("/webhooks/stripe")
@csrf.exempt
def receive():
    """2xx only once the event is recorded; 400 for forgeries; 5xx makes Stripe retry."""
    if not current_app.config.get("STRIPE_WEBHOOK_SECRET"):
        current_app.logger.error("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return {"error": "Stripe webhooks are not configured"}, 503
    try:
        event = stripe_gateway.verify_event(
            request.get_data(), request.headers.get("Stripe-Signature")
        )
        outcome = record_event(event)
    except stripe_gateway.InvalidEvent as error:
        db.session.rollback()
        current_app.logger.warning("Stripe webhook rejected: %s", error)
        return {"error": str(error)}, 400
    db.session.commit()
    if outcome == Outcome.PAID:
        send_emails_now()
    return {"received": True, "outcome": outcome}


def send_emails_now() -> None:
    """The "paid" e-mail, right after the commit. The payment is recorded whatever happens
    here, so a failure is logged, not answered with a 5xx: `flask send-emails` sends it later."""
    try:
        deliver_pending()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("order e-mails left in the outbox for the next run")


def record_event(event: dict) -> str:
    """Apply one verified event, at most once. Flushes; returns what happened."""
    kind, event_id = event.get("type"), event.get("id")
    if not isinstance(kind, str) or not isinstance(event_id, str) or not event_id:
        raise stripe_gateway.InvalidEvent("an event needs a string id and type")
    if kind in NOTHING_TO_PAY:
        # Nothing was paid: the order stays pending and the expiry job releases its stock.
        current_app.logger.info("Stripe %s %s: nothing to record", kind, event_id)
        return "ignored"
    if kind not in FULFIL:
        return "ignored"
    session = checkout_session(event)
    lock_for_writing()
    db.session.add(WebhookEvent(provider=Provider.STRIPE, event_id=event_id, kind=kind))
    try:
        db.session.flush()
    except IntegrityError:  # delivered before, or right now by a concurrent request
        db.session.rollback()
        return Outcome.DUPLICATE.value
    if session["payment_status"] != "paid":
        # A delayed method (bank debit…): async_payment_succeeded or _failed will follow.
        current_app.logger.info("Stripe session %s completed unpaid; waiting", session["id"])
        return "awaiting_payment"
    return settle(session, event).value


def settle(session: dict, event: dict) -> Outcome:
    """Record the session's money against its order, or queue it for staff. Flushes."""
    code = (session.get("metadata") or {}).get("order_code") or session.get("client_reference_id")
    order = lock_order(code) if isinstance(code, str) and code else None
    amount, currency = session["amount_total"], session["currency"]
    raw = {"event": {"id": event["id"], "type": event["type"]}, "session": session}
    memo = f"{code or '?'} {amount} {currency.upper()}"
    exact = currency == "vnd" and order is not None and amount == order.total_vnd
    if order is None or order.status != OrderStatus.PENDING_PAYMENT or exact:
        # apply_payment sends unknown, expired, cancelled and already paid orders to review.
        return apply_payment(
            order,
            provider=Provider.STRIPE,
            reference=session["id"],
            amount_vnd=amount,
            memo=memo,
            raw=raw,
        )
    if seen_before(Provider.STRIPE, session["id"]):
        return Outcome.DUPLICATE
    current_app.logger.warning(
        "Stripe session %s charged %s %s for order %s of %s VND: review",
        *(session["id"], amount, currency, order.code, order.total_vnd),
    )
    reason = ReviewReason.SHORT_PAYMENT if amount < order.total_vnd else ReviewReason.OVERPAYMENT
    queue_for_review(
        reason,
        provider=Provider.STRIPE,
        reference=session["id"],
        amount_vnd=amount,
        order=order,
        memo=memo,
        raw=raw,
    )
    return Outcome.REVIEW


def checkout_session(event: dict) -> dict:
    """The Checkout Session an event carries, with the fields settling needs, or InvalidEvent."""
    data = event.get("data")
    session = data.get("object") if isinstance(data, dict) else None
    if not isinstance(session, dict) or session.get("object") != "checkout.session":
        raise stripe_gateway.InvalidEvent("the event carries no Checkout Session")
    checks = {
        "id": lambda v: isinstance(v, str) and 0 < len(v) <= 255,
        "amount_total": lambda v: type(v) is int and 0 <= v <= MAX_AMOUNT,
        "currency": lambda v: isinstance(v, str) and v != "",
        "payment_status": lambda v: isinstance(v, str),
    }
    for field, valid in checks.items():
        if not valid(session.get(field)):
            raise stripe_gateway.InvalidEvent(f"the Checkout Session has no valid {field}")
    return session
