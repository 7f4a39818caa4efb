"""A small local fake of the Stripe HTTP API: only the endpoints the shop uses.

The real `stripe` SDK talks to it over HTTP (STRIPE_API_BASE): form-encoded bodies, bearer
keys, Idempotency-Key headers, Stripe-shaped JSON objects and errors. It keeps what the SDK
sent (`requests`) and lets a test play the customer (`pay`) and build signed webhook
deliveries (`event`, `signature_header`), with the real Stripe-Signature scheme.

    POST /v1/checkout/sessions              create (mode payment, VND, integer amounts)
    GET  /v1/checkout/sessions/<id>         retrieve
    POST /v1/checkout/sessions/<id>/expire  expire an open session
    POST /v1/refunds                        refund a paid payment intent

Use the `fake_stripe` fixture, and return `fake_stripe.overrides` from `app_overrides`.
"""

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

import pytest
from flask import Flask, request
from werkzeug.serving import WSGIRequestHandler, make_server

TEST_SECRET_KEY = "sk_test_ocopshop_fake_0000000000000000"
TEST_WEBHOOK_SECRET = "whsec_test_ocopshop_fake_0000000000"
API_VERSION = "2025-01-27.acacia"


@dataclass
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str
    params: dict
    headers: dict

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")


class StripeFailure(Exception):
    def __init__(self, status: int, message: str, *, param=None, code=None, kind=None):
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.kind = kind or "invalid_request_error"

    def body(self) -> dict:
        error = {"type": self.kind, "message": self.message}
        if self.param:
            error["param"] = self.param
        if self.code:
            error["code"] = self.code
        return {"error": error}


def decode_form(pairs) -> dict:
    """Stripe's form encoding back to objects: a[b][0][c]=v → {"a": {"b": [{"c": "v"}]}}."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    node = {key: _lists(value) for key, value in node.items()}
    if node and all(key.isdigit() for key in node):
        return [node[key] for key in sorted(node, key=int)]
    return node


def _integer(value, param: str, minimum: int = 0) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value) or int(value) < minimum:
        raise StripeFailure(
            400, f"Invalid integer: {value}", param=param, code="parameter_invalid_integer"
        )
    return int(value)


def _required(params: dict, name: str):
    if params.get(name) in (None, ""):
        raise StripeFailure(
            400, f"Missing required param: {name}.", param=name, code="parameter_missing"
        )
    return params[name]


@dataclass
class FakeStripe:
    """The fake's state; `url` is set once it serves."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    sessions: dict[str, dict] = field(default_factory=dict)
    intents: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    replies: dict[str, tuple[str, dict, dict]] = field(default_factory=dict)  # by idempotency key
    fail_next: list[StripeFailure] = field(default_factory=list)
    refund_status: str = "succeeded"  # "failed": the card network turned the refund down
    refund_delay: float = 0.0  # seconds a refund takes to answer (a slow network, a busy Stripe)
    refund_started: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def overrides(self) -> dict:
        """App configuration that points the shop's SDK here."""
        return {
            "STRIPE_SECRET_KEY": TEST_SECRET_KEY,
            "STRIPE_WEBHOOK_SECRET": TEST_WEBHOOK_SECRET,
            "STRIPE_API_BASE": self.url,
        }

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    # The customer's side -------------------------------------------------------------------

    def pay(self, session_id: str, payment_status: str = "paid") -> dict:
        """The customer completes the hosted page; "unpaid" for a delayed method."""
        with self.lock:
            session = self.sessions[session_id]
            intent_id = "pi_" + secrets.token_hex(12)
            self.intents[intent_id] = {
                "id": intent_id,
                "amount": session["amount_total"],
                "refunded": 0,
                "status": "succeeded" if payment_status == "paid" else "processing",
            }
            session.update(
                status="complete",
                payment_status=payment_status,
                payment_intent=intent_id,
                customer_details={"email": session["customer_email"], "name": "Nguyễn Thị Hoa"},
            )
            return dict(session)

    def settle_async(self, session_id: str) -> dict:
        """A delayed payment arrives (async_payment_succeeded)."""
        with self.lock:
            session = self.sessions[session_id]
            session["payment_status"] = "paid"
            self.intents[session["payment_intent"]]["status"] = "succeeded"
            return dict(session)

    def event(self, kind: str, session: dict, event_id: str | None = None) -> dict:
        """A webhook event as Stripe builds it, carrying a snapshot of the session."""
        return {
            "id": event_id or "evt_" + secrets.token_hex(12),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": dict(session)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
        }

    # The server side -----------------------------------------------------------------------

    def create_session(self, params: dict) -> dict:
        if params.get("mode") != "payment":
            raise StripeFailure(400, "This fake only makes payment-mode sessions.", param="mode")
        _required(params, "success_url")
        if params.get("currency", "vnd") != "vnd":
            raise StripeFailure(400, "Only VND is expected here.", param="currency")
        items = _required(params, "line_items")
        if not isinstance(items, list):
            raise StripeFailure(400, "Invalid array", param="line_items")
        total = 0
        for i, item in enumerate(items):
            price = item.get("price_data") or {}
            if price.get("currency") != "vnd":
                raise StripeFailure(
                    400,
                    "Only VND (a zero-decimal currency) is expected here.",
                    param=f"line_items[{i}][price_data][currency]",
                )
            name = (price.get("product_data") or {}).get("name")
            if not name:
                raise StripeFailure(
                    400,
                    "Missing required param: name.",
                    param=f"line_items[{i}][price_data][product_data][name]",
                )
            amount = _integer(price.get("unit_amount"), f"line_items[{i}][price_data][unit_amount]")
            quantity = _integer(item.get("quantity"), f"line_items[{i}][quantity]", minimum=1)
            total += amount * quantity
        now = int(time.time())
        expires_at = _integer(params.get("expires_at", str(now + 86400)), "expires_at")
        if not now + 1800 <= expires_at <= now + 86400:
            raise StripeFailure(
                400,
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
                "Checkout Session creation.",
                param="expires_at",
            )
        session_id = "cs_test_" + secrets.token_hex(16)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "created": now,
            "currency": params.get("currency") or "vnd",
            "customer_details": None,
            "customer_email": params.get("customer_email"),
            "expires_at": expires_at,
            "livemode": False,
            "metadata": params.get("metadata") or {},
            "mode": "payment",
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params["success_url"],
            "url": f"{self.url}/c/pay/{session_id}",
        }
        self.sessions[session_id] = session
        return session

    def expire_session(self, session_id: str) -> dict:
        session = self._session(session_id)
        if session["status"] != "open":
            raise StripeFailure(
                400,
                "Only Checkout Sessions with a status of `open` can be expired.",
                code="checkout_session_expire_not_allowed",
            )
        session.update(status="expired", url=None)
        return session

    def create_refund(self, params: dict) -> dict:
        self.refund_started.set()
        time.sleep(self.refund_delay)
        intent_id = _required(params, "payment_intent")
        intent = self.intents.get(intent_id)
        if intent is None:
            raise StripeFailure(
                400,
                f"No such payment_intent: '{intent_id}'",
                param="payment_intent",
                code="resource_missing",
            )
        if intent["status"] != "succeeded":
            raise StripeFailure(
                400, "This PaymentIntent has not succeeded.", code="payment_intent_unexpected_state"
            )
        left = intent["amount"] - intent["refunded"]
        if left <= 0:
            raise StripeFailure(
                400,
                f"Charge for {intent_id} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = _integer(params.get("amount", str(left)), "amount", minimum=1)
        if amount > left:
            raise StripeFailure(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount ({left}).",
                param="amount",
                code="amount_too_large",
            )
        intent["refunded"] += amount
        refund = {
            "id": "re_" + secrets.token_hex(12),
            "object": "refund",
            "amount": amount,
            "currency": "vnd",
            "created": int(time.time()),
            "metadata": params.get("metadata") or {},
            "payment_intent": intent_id,
            "reason": params.get("reason"),
            "status": self.refund_status,
        }
        self.refunds[refund["id"]] = refund
        return refund

    def _session(self, session_id: str) -> dict:
        if session_id not in self.sessions:
            raise StripeFailure(
                404,
                f"No such checkout.session: '{session_id}'",
                param="session",
                code="resource_missing",
            )
        return self.sessions[session_id]


def create_wsgi_app(current: list[FakeStripe]) -> Flask:
    """The HTTP side; `current[0]` is the state of the test being run."""
    app = Flask("fake_stripe")

    def answer(action, params: dict | None = None):
        """Record the request, check the key, replay or run `action(fake, params)`."""
        fake = current[0]
        params = params if params is not None else decode_form(request.form.items(multi=True))
        fake.requests.append(Recorded(request.method, request.path, params, dict(request.headers)))
        key = request.headers.get("Idempotency-Key")
        try:
            if not request.headers.get("Authorization", "").startswith("Bearer sk_test_"):
                raise StripeFailure(401, "Invalid API Key provided.")
            with fake.lock:
                if fake.fail_next:
                    raise fake.fail_next.pop(0)
                if request.method == "POST" and key and key in fake.replies:
                    path, first_params, reply = fake.replies[key]
                    if (path, first_params) != (request.path, params):
                        raise StripeFailure(
                            400,
                            "Keys for idempotent requests can only be used with the same "
                            "parameters they were first used with.",
                            kind="idempotency_error",
                        )
                    return reply, 200, {"Idempotent-Replayed": "true"}
                reply = action(fake, params)
                if request.method == "POST" and key:
                    fake.replies[key] = (request.path, params, json.loads(json.dumps(reply)))
                return reply
        except StripeFailure as failure:
            return failure.body(), failure.status

    @app.post("/v1/checkout/sessions")
    def create_session():
        return answer(FakeStripe.create_session)

    @app.get("/v1/checkout/sessions/<session_id>")
    def retrieve_session(session_id):
        return answer(lambda fake, _: fake._session(session_id), dict(request.args))

    @app.post("/v1/checkout/sessions/<session_id>/expire")
    def expire_session(session_id):
        return answer(lambda fake, _: fake.expire_session(session_id))

    @app.post("/v1/refunds")
    def create_refund():
        return answer(FakeStripe.create_refund)

    @app.errorhandler(404)
    @app.errorhandler(405)
    def unknown(error):
        return StripeFailure(
            error.code, f"Unrecognized request URL ({request.method}: {request.path})."
        ).body(), error.code

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def fake_stripe_server():
    """One server on 127.0.0.1:<free port> for the run; each test gets fresh state."""
    current: list[FakeStripe] = [FakeStripe()]
    server = make_server(
        "127.0.0.1", 0, create_wsgi_app(current), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="fake-stripe", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", current
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def fake_stripe(fake_stripe_server):
    """The fake Stripe API, empty: its URL, what it was sent, and the customer's side."""
    url, current = fake_stripe_server
    current[0] = FakeStripe(url=url)
    return current[0]


def signature_header(
    payload: bytes, secret: str = TEST_WEBHOOK_SECRET, timestamp: int | None = None
) -> str:
    """Stripe-Signature as Stripe computes it: t=<unix>,v1=<HMAC-SHA256 of "t.payload">."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(
    client, event: dict, *, secret: str = TEST_WEBHOOK_SECRET, timestamp: int | None = None
):
    """POST `event` to /webhooks/stripe signed as Stripe would (a test client's response)."""
    payload = json.dumps(event, ensure_ascii=False).encode()  # raw UTF-8, as Stripe sends
    return client.post(
        "/webhooks/stripe",
        data=payload,
        headers={
            "Stripe-Signature": signature_header(payload, secret, timestamp),
            "Content-Type": "application/json",
        },
    )
