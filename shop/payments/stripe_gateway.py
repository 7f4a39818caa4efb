"""Stripe behind one small module: hosted Checkout Sessions, refunds and verified webhook events.

The only module that imports stripe. VND is a zero-decimal currency: unit_amount 100000 is
100.000 ₫, exactly the integer the shop stores. Every POST carries an idempotency key, so a
retried request (a double click, a timeout, a crash between Stripe's answer and our commit)
returns the first session or refund instead of creating a second one. STRIPE_API_BASE points
the SDK at another server (the tests' local fake); certificates are always verified.
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import stripe
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from shop.checkout.models import Order, OrderStatus, PaymentMethod
from shop.extensions import db, utcnow

# Stripe accepts a Checkout Session's expires_at from 30 minutes to 24 hours after creation.
SESSION_MIN = timedelta(minutes=30)
SESSION_MAX = timedelta(hours=23)
SESSION_MARGIN = timedelta(minutes=2)  # our clock and Stripe's never agree to the second
LATE_ROUNDING = 300  # seconds: repeated late calls within 5 minutes ask for the same expiry


class PaymentProviderError(Exception):
    """Stripe refused the request or could not be reached; str() is safe to show a customer."""


class InvalidEvent(ValueError):
    """A webhook delivery that is not a genuine, well-formed Stripe event: answer 400."""


def is_configured() -> bool:
    """Cards are offered only when the shop can both create sessions and hear they were paid."""
    config = current_app.config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


@contextmanager
def _client(refused: str | None = None) -> Iterator[stripe.StripeClient]:
    """A client for one operation; its HTTP session is closed afterwards. A StripeError in the
    block becomes PaymentProviderError(`refused`, or a message for the paying customer)."""
    config = current_app.config
    if not config.get("STRIPE_SECRET_KEY"):
        raise PaymentProviderError(_("Card payments are not available in this shop."))
    base = config.get("STRIPE_API_BASE")
    http = stripe.RequestsClient(timeout=(5, 30))  # connect, read: a customer is waiting
    try:
        yield stripe.StripeClient(
            config["STRIPE_SECRET_KEY"],
            base_addresses={"api": base} if base else None,
            max_network_retries=2,  # safe: every POST carries an idempotency key
            http_client=http,
        )
    except stripe.StripeError as error:
        current_app.logger.error("Stripe refused a request: %r", error)
        raise PaymentProviderError(
            refused
            or _(
                "Card payment is not available right now. Please try again in a few minutes "
                "or pay by bank transfer (VietQR)."
            )
        ) from error
    finally:
        http.close()


def line_items(order: Order) -> list[dict]:
    """One Stripe line per order line, plus shipping; amounts in đồng, as stored."""
    items = [
        {
            "price_data": {
                "currency": "vnd",
                "unit_amount": line.unit_price_vnd,
                "product_data": {"name": line.product_name},
            },
            "quantity": line.quantity,
        }
        for line in order.lines
    ]
    if order.shipping_vnd > 0:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            shipping = _("Shipping")  # the same words on every call: part of the idempotent request
        items.append(
            {
                "price_data": {
                    "currency": "vnd",
                    "unit_amount": order.shipping_vnd,
                    "product_data": {"name": shipping},
                },
                "quantity": 1,
            }
        )
    charged = sum(i["price_data"]["unit_amount"] * i["quantity"] for i in items)
    if charged != order.total_vnd:
        raise ValueError(f"{order.code}: lines add up to {charged}, the order to {order.total_vnd}")
    return items


def order_url(order: Order, outcome: str, token: str | None = None) -> str:
    """The customer's order page, where Stripe sends them back (success or cancelled)."""
    query = {"token": token, "stripe": outcome} if token else {"stripe": outcome}
    try:
        path = url_for("checkout.order", code=order.code, **query)
    except (BuildError, RuntimeError):
        path = f"/orders/{order.code}?{urlencode(query)}"
    return f"{current_app.config['SHOP_BASE_URL'].rstrip('/')}{path}"


def session_expiry(order: Order, now: datetime | None = None) -> datetime:
    """When the Checkout Session closes: with the order's reservation, within Stripe's range.

    Computed from the order, not the clock, so a repeated call sends the same request and so
    the same idempotency key (see start_checkout). A call made too late for that
    (Stripe wants 30 minutes at least) asks for now + 30 minutes, rounded up to 5 minutes.
    """
    now = now or utcnow()
    created = _aware(order.created_at) if order.created_at else now
    wanted = max(_aware(order.expires_at), created + SESSION_MIN) + SESSION_MARGIN
    if wanted < now + SESSION_MIN + timedelta(seconds=30):
        late = int((now + SESSION_MIN + SESSION_MARGIN).timestamp())
        wanted = datetime.fromtimestamp(-(-late // LATE_ROUNDING) * LATE_ROUNDING, UTC)
    return min(wanted, now + SESSION_MAX)


def start_checkout(order: Order, token: str | None = None) -> str:
    """The hosted Checkout page's URL for a pending card order; stores the session id. Flushes.

    `token`, the order's secret, goes into the return URLs so a guest lands on their order
    page (without it only the logged-in owner can see it). An open session made earlier for
    the order is reused. The idempotency key is the order code and a digest of the request:
    a repeat of the same request (a double click, a retry after a lost commit) gets the first
    session back. Lock the order first (lock_order) so two clicks wait for each other.
    """
    if order.payment_method != PaymentMethod.STRIPE:
        raise ValueError(f"{order.code} is not paid by card")
    if order.status != OrderStatus.PENDING_PAYMENT or _aware(order.expires_at) <= utcnow():
        raise PaymentProviderError(_("This order is no longer awaiting payment."))
    params = {
        "mode": "payment",
        "currency": "vnd",
        "line_items": line_items(order),
        "client_reference_id": order.code,
        "metadata": {"order_code": order.code},
        "payment_intent_data": {"metadata": {"order_code": order.code}},
        "customer_email": order.email,
        "success_url": order_url(order, "success", token),
        "cancel_url": order_url(order, "cancelled", token),
        "expires_at": int(session_expiry(order).timestamp()),
    }
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:20]
    key = f"checkout-{order.code}-{digest}"
    with _client() as client:
        if order.stripe_session_id:
            session = client.v1.checkout.sessions.retrieve(order.stripe_session_id)
            if session.status == "open":
                return session.url
            if session.status == "complete":
                raise PaymentProviderError(
                    _("This order has been paid. The confirmation is on its way.")
                )
            key += f"-after-{session.id}"  # else the same request would bring the expired one back
        session = client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": key}
        )
    if session.amount_total != order.total_vnd or session.currency != "vnd":
        raise ValueError(f"{order.code}: Stripe made a session for {session.amount_total}")
    if session.status != "open":
        raise PaymentProviderError(_("This order is no longer awaiting payment."))
    order.stripe_session_id = session.id
    db.session.flush()
    return session.url


def expire_checkout(order: Order) -> bool:
    """Close the order's open Checkout Session before the order expires (the expiry job).

    True: nobody can pay it any more (no session, or now expired). False: the customer has
    just completed it — the payment event is on its way, so do not expire the order.
    """
    if not order.stripe_session_id:
        return True
    with _client() as client:
        session = client.v1.checkout.sessions.retrieve(order.stripe_session_id)
        if session.status == "open":
            session = client.v1.checkout.sessions.expire(
                order.stripe_session_id,
                options={"idempotency_key": f"expire-{order.stripe_session_id}"},
            )
    return session.status == "expired"


@dataclass(frozen=True)
class CardRefund:
    """What Stripe needs to send one refund back, read from the database beforehand so that
    no transaction (and on SQLite no write lock) is held while Stripe is called."""

    refund_id: int
    order_code: str
    payment_id: int
    session_id: str
    payment_intent: str | None
    amount_vnd: int
    idempotency_key: str


def send_refund(refund: CardRefund) -> tuple[str, int]:
    """Ask Stripe to give `refund.amount_vnd` back; (Stripe's refund id, amount refunded).

    Touches no database: call it after the commit that recorded the refund as due, never
    inside a transaction. The idempotency key belongs to the Refund row, so a retry (a lost
    answer, a crash before we recorded it) gets the first refund back, never a second one.
    PaymentProviderError when Stripe refuses or turns the refund down.
    """
    refused = _("Stripe could not refund this payment now. Please try again in a few minutes.")
    intent = refund.payment_intent
    with _client(refused) as client:
        if not intent:
            intent = client.v1.checkout.sessions.retrieve(refund.session_id).payment_intent
        if isinstance(intent, stripe.PaymentIntent):
            intent = intent.id
        answer = client.v1.refunds.create(
            params={
                "payment_intent": intent,
                "amount": refund.amount_vnd,
                "reason": "requested_by_customer",
                "metadata": {
                    "order_code": refund.order_code,
                    "payment_id": str(refund.payment_id),
                    "refund_id": str(refund.refund_id),
                },
            },
            options={"idempotency_key": refund.idempotency_key},
        )
    if answer.status in ("failed", "canceled"):
        current_app.logger.error("Stripe refund %s (refund %s) failed", answer.id, refund.refund_id)
        raise PaymentProviderError(_("Stripe could not refund this payment. Please try again."))
    return answer.id, answer.amount


def verify_event(payload: bytes, signature: str | None) -> dict:
    """The event, if `Stripe-Signature` proves Stripe sent this payload recently (5 minutes)."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise RuntimeError("STRIPE_WEBHOOK_SECRET is not set")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise InvalidEvent(f"bad signature: {error.user_message or error}") from error
    except (ValueError, TypeError, AttributeError) as error:  # not UTF-8, JSON, an event
        raise InvalidEvent(f"bad payload: {error}") from error
    return event.to_dict(for_json=True)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the shop stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
