"""Casso v2 signs each delivery with HMAC-SHA512 over the timestamp and the body's sorted JSON.
A right signature (over the JSON as JavaScript writes it, or its ASCII-escaped form) pays the
order named in the memo once; a wrong, missing or borrowed signature changes nothing."""

import hashlib
import hmac
import json
import logging

import pytest
from sqlalchemy import select

from shop.checkout.models import OrderStatus
from shop.extensions import db
from shop.payments import banks
from shop.payments.models import Payment, PaymentReview, Provider, ReviewReason, WebhookEvent
from tests.payments.bank_requests import (
    WEBHOOK_SECRET,
    Ledger,
    casso_body,
    casso_signature,
)

pytestmark = pytest.mark.both_databases  # money, webhooks' exactly-once

NOTHING = Ledger(payments=0, reviews=0, events=0, emails=0)


def test_a_signed_transfer_pays_the_order(casso, make_order, ledger):
    order, _token = make_order(total_vnd=135_000)
    response = casso(casso_body(order.code, 135_000))
    assert response.status_code == 200
    assert response.json == {"success": True, "outcomes": ["paid"]}
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    [payment] = order.payments
    assert (payment.provider, payment.reference, payment.amount_vnd) == (
        Provider.CASSO,
        "51002",
        135_000,
    )
    assert payment.raw["data"]["reference"] == "FT26275123456"
    assert ledger() == Ledger(payments=1, reviews=0, events=1, emails=1)


def test_the_escaped_json_form_is_accepted_too(casso, make_order):
    order, _token = make_order()
    body = casso_body(order.code, order.total_vnd, description=f"{order.code} Thanh toán đơn")
    assert casso_signature(body) != casso_signature(body, t=None, escaped=True)
    response = casso(body, signature=casso_signature(body, escaped=True))
    assert response.json["outcomes"] == ["paid"]


def test_the_signed_text_is_the_sorted_compact_unescaped_json():
    """A body written in another key order, with spaces, signs as its canonical text."""
    body = json.loads(
        '{ "error": 0, "data": { "id": 7, "description": "Đơn DH7K3M9Q2X", "amount": 90000,'
        ' "accountNumber": "1023456789", "reference": "FT1", "transactionDateTime": "x",'
        ' "extra": {"b": [{"z": 1, "a": null}], "a": true} } }'
    )
    canonical = (
        '{"data":{"accountNumber":"1023456789","amount":90000,"description":"Đơn DH7K3M9Q2X",'
        '"extra":{"a":true,"b":[{"a":null,"z":1}]},"id":7,"reference":"FT1",'
        '"transactionDateTime":"x"},"error":0}'
    )
    expected = hmac.new(
        b"secret", f"1700000000000.{canonical}".encode(), hashlib.sha512
    ).hexdigest()
    assert banks.casso_signatures(body, "1700000000000", "secret")[0] == expected
    assert banks.casso_authorised(f"t=1700000000000,v1={expected}", body, "secret")
    assert banks.casso_authorised(f"t=1700000000000, v1={expected.upper()}", body, "secret")


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=1700000000000",
        "v1=abcdef",
        "t=abc,v1=abcdef",
        "t=1700000000000,v1=",
        "nonsense",
        "t=1700000000000,v1=" + "0" * 128,
    ],
    ids=["missing", "no-v1", "no-t", "bad-t", "empty-v1", "nonsense", "zeros"],
)
def test_a_missing_or_wrong_signature_is_refused_and_nothing_written(
    casso, make_order, ledger, signature, caplog
):
    order, _token = make_order()
    with caplog.at_level(logging.WARNING):
        response = casso(casso_body(order.code, order.total_vnd), signature=signature)
    assert response.status_code == 401
    assert "refused" in caplog.text
    assert ledger() == NOTHING


def test_a_signature_made_with_another_secret_is_refused(casso, make_order, ledger):
    order, _token = make_order()
    body = casso_body(order.code, order.total_vnd)
    response = casso(body, signature=casso_signature(body, secret="someone-elses-secret"))
    assert response.status_code == 401
    assert ledger() == NOTHING


def test_an_old_signature_cannot_carry_a_forged_body(casso, make_order, ledger):
    order, _token = make_order(total_vnd=135_000)
    genuine = casso_body(order.code, 1_000, transaction_id=1)
    signature = casso_signature(genuine, t=1_700_000_000_000)
    assert casso(genuine, signature=signature).json["outcomes"] == ["review"]  # short: 1.000 ₫
    forged = casso_body(order.code, 135_000, transaction_id=2)
    assert casso(forged, signature=signature).status_code == 401
    same_id_more_money = casso_body(order.code, 135_000, transaction_id=1)
    assert casso(same_id_more_money, signature=signature).status_code == 401
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert ledger() == Ledger(payments=0, reviews=1, events=1, emails=0)


def test_a_replayed_delivery_changes_nothing(casso, make_order, ledger):
    order, _token = make_order()
    body = casso_body(order.code, order.total_vnd)
    signature = casso_signature(body)
    assert casso(body, signature=signature).json["outcomes"] == ["paid"]
    for _ in range(2):
        assert casso(body, signature=signature).json["outcomes"] == ["duplicate"]
    assert ledger() == Ledger(payments=1, reviews=0, events=1, emails=1)


def test_a_list_of_transactions_is_settled_one_by_one(casso, make_order, ledger):
    first, _token = make_order()
    second, _token = make_order(total_vnd=500_000)
    body = casso_body(first.code, first.total_vnd, transaction_id=11)
    items = [
        body["data"],
        casso_body(second.code, 200_000, transaction_id=12)["data"],
        casso_body(None, 75_000, transaction_id=13)["data"],
        casso_body(None, -40_000, transaction_id=14, description="phi dich vu")["data"],
    ]
    body = {"error": 0, "data": items}
    response = casso(body)
    assert response.json["outcomes"] == ["paid", "review", "review", "ignored"]
    db.session.expire_all()
    assert first.status == OrderStatus.PAID
    assert second.status == OrderStatus.PENDING_PAYMENT
    reasons = db.session.scalars(select(PaymentReview.reason).order_by(PaymentReview.id)).all()
    assert reasons == [ReviewReason.SHORT_PAYMENT, ReviewReason.UNMATCHED]
    unmatched = db.session.scalars(
        select(PaymentReview).where(PaymentReview.reason == ReviewReason.UNMATCHED)
    ).one()
    assert unmatched.raw == {"error": 0, "data": items[2]}
    kinds = db.session.scalars(select(WebhookEvent.kind).order_by(WebhookEvent.id)).all()
    assert kinds == ["transfer_in"] * 3 + ["transfer_out"]
    assert casso(body).json["outcomes"] == ["duplicate"] * 4
    assert ledger() == Ledger(payments=1, reviews=2, events=4, emails=1)


def test_a_memo_with_diacritics_and_a_bank_prefix_finds_the_order(casso, make_order):
    order, _token = make_order()
    memo = f"MBVCB.3278611.đh{order.code[2:].lower()} Thanh toán đơn hàng.CT tu 0987654321"
    assert casso(casso_body(None, order.total_vnd, description=memo)).json["outcomes"] == ["paid"]


def test_an_unmatched_transfer_keeps_the_whole_body(casso, ledger):
    body = casso_body(None, 300_000, description="chuyển tiền học phí")
    assert casso(body).json["outcomes"] == ["review"]
    review = db.session.scalars(select(PaymentReview)).one()
    assert review.reason == ReviewReason.UNMATCHED
    assert review.raw == body
    assert review.memo == "chuyển tiền học phí"


def test_a_transfer_to_another_account_is_not_taken_as_payment(casso, make_order, ledger):
    order, _token = make_order()
    body = casso_body(order.code, order.total_vnd, accountNumber="9999999999")
    assert casso(body).json["outcomes"] == ["review"]
    review = db.session.scalars(select(PaymentReview)).one()
    assert review.reason == ReviewReason.WRONG_ACCOUNT
    assert db.session.scalars(select(Payment)).all() == []


@pytest.mark.parametrize(
    "data",
    [b"", b"{", b"[]", b'"text"', b"\xc3\x28", b'{"error":0,"data":{"amount":Infinity}}'],
    ids=["empty", "truncated", "array", "string", "not-utf8", "infinity"],
)
def test_a_body_that_is_not_a_json_object_is_a_bad_request(casso, ledger, data):
    response = casso({}, signature=casso_signature({}), data=data)
    assert response.status_code == 400
    assert ledger() == NOTHING


@pytest.mark.parametrize(
    "body",
    [
        {"error": 0},
        {"error": 0, "data": None},
        {"error": 0, "data": []},
        {"error": 0, "data": "x"},
        {"error": 0, "data": [1, 2]},
        {"error": 0, "data": {"amount": 1000, "description": "x"}},
        {"error": 0, "data": {"id": 1, "description": "x"}},
        {"error": 0, "data": {"id": 1, "amount": "abc", "description": "x"}},
        {"error": 0, "data": {"id": 1, "amount": 10.5, "description": "x"}},
        {"error": 0, "data": {"id": 1, "amount": 1000, "description": ["x"]}},
    ],
    ids=repr,
)
def test_a_signed_body_that_is_no_transfer_is_a_bad_request(casso, ledger, body):
    response = casso(body)
    assert response.status_code == 400
    assert ledger() == NOTHING


def test_a_bad_transaction_in_a_list_rejects_the_whole_delivery(casso, make_order, ledger):
    order, _token = make_order()
    good = casso_body(order.code, order.total_vnd, transaction_id=1)["data"]
    bad = {**casso_body(None, 1000, transaction_id=2)["data"], "amount": "abc"}
    assert casso({"error": 0, "data": [good, bad]}).status_code == 400
    assert ledger() == NOTHING


def test_the_webhook_needs_no_csrf_token(app, casso, make_order):
    app.config["WTF_CSRF_ENABLED"] = True
    order, _token = make_order()
    assert casso(casso_body(order.code, order.total_vnd)).json["outcomes"] == ["paid"]


def test_the_secret_is_the_shops_bank_webhook_secret(app, casso, make_order, ledger):
    order, _token = make_order()
    body = casso_body(order.code, order.total_vnd)
    signature = casso_signature(body, secret=WEBHOOK_SECRET)
    app.config["BANK_WEBHOOK_SECRET"] = ""
    assert casso(body, signature=signature).status_code == 401
    app.config["BANK_WEBHOOK_SECRET"] = "rotated-secret"
    assert casso(body, signature=signature).status_code == 401
    assert ledger() == NOTHING
    app.config["BANK_WEBHOOK_SECRET"] = WEBHOOK_SECRET
    assert casso(body, signature=signature).json["outcomes"] == ["paid"]
