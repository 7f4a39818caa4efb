"""Orders waiting for a bank transfer, built row by row, and the two bank services' requests."""

import json

import pytest
from sqlalchemy import func, select

from shop.checkout.models import EmailOutbox
from shop.extensions import db
from shop.payments.models import Payment, PaymentReview, WebhookEvent
from tests.payments.bank_requests import ACCOUNT_NO, WEBHOOK_SECRET, Ledger, casso_signature
from tests.payments.orders import order_factory


@pytest.fixture
def app_overrides():
    return {
        "BANK_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "VIETQR_BANK_BIN": "970436",
        "VIETQR_ACCOUNT_NO": ACCOUNT_NO,
        "VIETQR_ACCOUNT_NAME": "HTX NONG SAN THANH HOA",
    }


@pytest.fixture
def make_order(app, make_product):
    """make_order(total_vnd=135_000, status=…, method=…) → (order, token): one line, saved."""
    return order_factory(make_product)


@pytest.fixture
def ledger(app):
    def _count() -> Ledger:
        db.session.rollback()  # a fresh snapshot: other connections may have written
        return Ledger(
            *(
                db.session.scalar(select(func.count()).select_from(model))
                for model in (Payment, PaymentReview, WebhookEvent, EmailOutbox)
            )
        )

    return _count


@pytest.fixture
def sepay(client):
    """sepay(body, key=secret) → the response of POST /webhooks/bank/sepay."""

    def _post(body, key: str | None = WEBHOOK_SECRET, headers: dict | None = None):
        headers = dict(headers or {})
        if key is not None:
            headers.setdefault("Authorization", f"Apikey {key}")
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return client.post(
            "/webhooks/bank/sepay", data=data, headers=headers, content_type="application/json"
        )

    return _post


@pytest.fixture
def casso(client):
    """casso(body, signature=None) → the response of POST /webhooks/bank/casso, signed unless
    a signature (or "" for none) is given."""

    def _post(body, signature: str | None = None, data: str | bytes | None = None):
        header = casso_signature(body) if signature is None else signature
        headers = {"X-Casso-Signature": header} if header else {}
        payload = data if data is not None else json.dumps(body, ensure_ascii=False).encode()
        return client.post(
            "/webhooks/bank/casso",
            data=payload,
            headers=headers,
            content_type="application/json",
        )

    return _post
