"""SePay tells the shop about each transfer to the cooperative's account. A right key and a
memo naming a pending order pay it exactly once; anything doubtful waits for staff; a wrong
key, or a body that is not a transfer, changes nothing."""

import logging

import pytest
from sqlalchemy import select

from shop.checkout.models import EmailOutbox, OrderStatus
from shop.extensions import db
from shop.payments import transfers
from shop.payments.models import Payment, PaymentReview, Provider, ReviewReason, WebhookEvent
from tests.payments.bank_requests import Ledger, sepay_body

pytestmark = pytest.mark.both_databases  # money, webhooks' exactly-once


def reviews() -> list[PaymentReview]:
    db.session.expire_all()
    return list(db.session.scalars(select(PaymentReview).order_by(PaymentReview.id)))


def test_a_transfer_for_a_pending_order_pays_it(sepay, make_order, ledger):
    order, _token = make_order(total_vnd=135_000)
    response = sepay(sepay_body(order.code, 135_000))
    assert response.status_code == 200
    assert response.json == {"success": True, "outcomes": ["paid"]}
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    [payment] = order.payments
    assert (payment.provider, payment.reference, payment.amount_vnd) == (
        Provider.SEPAY,
        "92704",
        135_000,
    )
    assert payment.raw["referenceCode"] == "MBVCB.3278907687"
    assert ledger() == Ledger(payments=1, reviews=0, events=1, emails=1)
    email = db.session.scalars(select(EmailOutbox)).one()
    assert email.to == "hoa@example.vn" and order.code in email.body
    assert email.sent_at is not None  # delivered right after the commit


def test_a_replayed_transfer_changes_nothing(sepay, make_order, ledger):
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd)
    assert sepay(body).json["outcomes"] == ["paid"]
    after_first = ledger()
    for _ in range(2):
        response = sepay(body)
        assert response.status_code == 200
        assert response.json["outcomes"] == ["duplicate"]
    assert ledger() == after_first == Ledger(payments=1, reviews=0, events=1, emails=1)
    db.session.expire_all()
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Apikey wrong-key"},
        {"Authorization": "Apikey "},
        {"Authorization": "Bearer whsec-test-9f2c7a1e"},
        {"Authorization": "whsec-test-9f2c7a1e"},
        {"Authorization": "Apikey whsec-test-9f2c7a1e-and-more"},
        {"Authorization": "Apikey whsec-test-9f2c7a1ẽ"},
    ],
    ids=["missing", "wrong", "empty", "other-scheme", "no-scheme", "longer", "non-ascii"],
)
def test_a_wrong_or_missing_key_is_refused_logged_and_nothing_written(
    sepay, make_order, ledger, headers, caplog
):
    order, _token = make_order()
    with caplog.at_level(logging.WARNING):
        response = sepay(sepay_body(order.code, order.total_vnd), key=None, headers=headers)
    assert response.status_code == 401
    assert "refused" in caplog.text
    assert ledger() == Ledger(payments=0, reviews=0, events=0, emails=0)
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_without_a_configured_secret_every_request_is_refused(app, sepay, make_order, ledger):
    app.config["BANK_WEBHOOK_SECRET"] = None
    order, _token = make_order()
    assert sepay(sepay_body(order.code, order.total_vnd), key="").status_code == 401
    assert sepay(sepay_body(order.code, order.total_vnd), key="None").status_code == 401
    assert ledger().events == 0


def test_the_key_scheme_is_case_insensitive(sepay, make_order):
    order, _token = make_order()
    headers = {"Authorization": "APIKEY whsec-test-9f2c7a1e"}
    assert sepay(sepay_body(order.code, order.total_vnd), key=None, headers=headers).json[
        "outcomes"
    ] == ["paid"]


@pytest.mark.parametrize(
    "memo",
    [
        "{code} OCOP Shop",
        "{lower} ocop shop",
        "MBVCB.3278611.{code} OCOP Shop.CT tu 0987654321 LE THI HOA toi 1023456789",
        "IBFT {code}OCOPSHOP",
        "Thanh toán {dashed}",
        "thanh toan {diacritic}",
        "NGUYEN VAN ADH{tail}",
        "DHDH{tail} chuyen khoan",
        "{spaced}",
    ],
)
def test_memos_rewritten_by_banks_still_find_the_order(sepay, make_order, memo):
    order, _token = make_order()
    code = order.code
    text = memo.format(
        code=code,
        lower=code.lower(),
        dashed=f"{code[:2]}-{code[2:6]}-{code[6:]}",
        diacritic="đ" + code[1:].lower(),
        tail=code[2:],
        spaced=" ".join(code),
    )
    response = sepay(sepay_body(None, order.total_vnd, content=text))
    assert response.json["outcomes"] == ["paid"], text
    db.session.expire_all()
    assert order.status == OrderStatus.PAID


def test_a_memo_naming_a_code_that_is_no_order_finds_the_real_one_after_it(sepay, make_order):
    order, _token = make_order()
    response = sepay(sepay_body(None, order.total_vnd, content=f"DH12345678 {order.code}"))
    assert response.json["outcomes"] == ["paid"]


def test_a_short_payment_waits_for_staff_and_the_order_stays_pending(sepay, make_order, ledger):
    order, _token = make_order(total_vnd=135_000)
    response = sepay(sepay_body(order.code, 130_000))
    assert response.json["outcomes"] == ["review"]
    [review] = reviews()
    assert review.reason == ReviewReason.SHORT_PAYMENT
    assert (review.order_id, review.amount_vnd) == (order.id, 130_000)
    assert review.memo == f"{order.code} OCOP Shop"
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert ledger() == Ledger(payments=0, reviews=1, events=1, emails=0)


def test_an_over_payment_pays_the_order_and_asks_staff_to_refund(sepay, make_order, ledger):
    order, _token = make_order(total_vnd=135_000)
    assert sepay(sepay_body(order.code, 150_000)).json["outcomes"] == ["paid"]
    [review] = reviews()
    assert review.reason == ReviewReason.OVERPAYMENT
    assert review.amount_vnd == 150_000
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    assert ledger() == Ledger(payments=1, reviews=1, events=1, emails=1)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (OrderStatus.EXPIRED, ReviewReason.EXPIRED_ORDER),
        (OrderStatus.CANCELLED, ReviewReason.CANCELLED_ORDER),
    ],
)
def test_money_for_an_expired_or_cancelled_order_waits_for_staff(
    sepay, make_order, ledger, status, reason
):
    order, _token = make_order(status=status)
    assert sepay(sepay_body(order.code, order.total_vnd)).json["outcomes"] == ["review"]
    [review] = reviews()
    assert (review.reason, review.order_id) == (reason, order.id)
    db.session.expire_all()
    assert order.status == status
    assert ledger().payments == 0


def test_a_transfer_no_order_matches_is_kept_whole_for_staff(sepay, make_order, ledger):
    make_order()
    body = sepay_body(None, 200_000, content="ung ho quy khuyen hoc")
    assert sepay(body).json["outcomes"] == ["review"]
    [review] = reviews()
    assert review.reason == ReviewReason.UNMATCHED
    assert review.order_id is None
    assert review.raw == body
    assert (review.provider, review.reference) == (Provider.SEPAY, "92704")


@pytest.mark.parametrize("content", [None, "", "   "])
def test_a_transfer_without_a_memo_is_kept_for_staff_too(sepay, content):
    assert sepay(sepay_body(None, 50_000, content=content)).json["outcomes"] == ["review"]
    assert reviews()[0].reason == ReviewReason.UNMATCHED


@pytest.mark.parametrize("account", ["0011012345678", "", None])
def test_money_sent_to_another_account_is_not_taken_as_payment(sepay, make_order, ledger, account):
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd, accountNumber=account)
    assert sepay(body).json["outcomes"] == ["review"]
    [review] = reviews()
    assert (review.reason, review.order_id) == (ReviewReason.WRONG_ACCOUNT, order.id)
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert ledger().payments == 0


def test_the_account_number_may_be_written_with_spaces(sepay, make_order):
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd, accountNumber=" 1023 456 789 ")
    assert sepay(body).json["outcomes"] == ["paid"]


def test_in_demo_mode_any_account_is_accepted(app, sepay, make_order):
    app.config.update(VIETQR_BANK_BIN=None, VIETQR_ACCOUNT_NO=None)
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd, accountNumber="0011012345678")
    assert sepay(body).json["outcomes"] == ["paid"]


def test_money_going_out_is_noted_and_ignored(sepay, make_order, ledger):
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd, transferType="out")
    response = sepay(body)
    assert response.status_code == 200
    assert response.json["outcomes"] == ["ignored"]
    event = db.session.scalars(select(WebhookEvent)).one()
    assert (event.provider, event.event_id, event.kind) == (Provider.SEPAY, "92704", "transfer_out")
    assert ledger() == Ledger(payments=0, reviews=0, events=1, emails=0)
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert sepay(body).json["outcomes"] == ["duplicate"]


def test_a_second_transfer_for_a_paid_order_waits_for_staff(sepay, make_order, ledger):
    order, _token = make_order()
    first = sepay_body(order.code, order.total_vnd, transaction_id=1001)
    second = sepay_body(order.code, order.total_vnd, transaction_id=1002)
    assert sepay(first).json["outcomes"] == ["paid"]
    assert sepay(second).json["outcomes"] == ["review"]
    assert sepay(first).json["outcomes"] == ["duplicate"]
    assert sepay(second).json["outcomes"] == ["duplicate"]
    [review] = reviews()
    assert (review.reason, review.reference) == (ReviewReason.ALREADY_PAID, "1002")
    assert ledger() == Ledger(payments=1, reviews=1, events=2, emails=1)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b'{"id": 1,',
        b"[1, 2]",
        b"\xff\xfe{}",
        b'{"id": 1, "transferType": "in", "transferAmount": NaN, "accountNumber": "1"}',
    ],
    ids=["empty", "text", "truncated", "array", "not-utf8", "nan"],
)
def test_a_body_that_is_not_json_is_a_bad_request(sepay, ledger, data):
    response = sepay(data)
    assert response.status_code == 400
    assert response.json["success"] is False
    assert ledger() == Ledger(payments=0, reviews=0, events=0, emails=0)


@pytest.mark.parametrize(
    "change",
    [
        {"id": None},
        {"id": True},
        {"id": ""},
        {"id": "x" * 256},
        {"id": {"n": 1}},
        {"transferType": None},
        {"transferType": "IN"},
        {"transferAmount": None},
        {"transferAmount": "abc"},
        {"transferAmount": -135_000},
        {"transferAmount": 135_000.5},
        {"transferAmount": 10**12},
        {"transferAmount": [135_000]},
        {"content": 12345},
        {"accountNumber": ["1023456789"]},
    ],
    ids=repr,
)
def test_a_transfer_missing_or_garbling_a_field_is_a_bad_request(sepay, make_order, ledger, change):
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd)
    for key, value in change.items():
        if value is None and key != "content":
            del body[key]
        else:
            body[key] = value
    response = sepay(body)
    assert response.status_code == 400
    assert ledger() == Ledger(payments=0, reviews=0, events=0, emails=0)


@pytest.mark.parametrize("amount", ["135000", 135_000.0])
def test_an_amount_written_as_text_or_as_a_whole_float_is_read(sepay, make_order, amount):
    order, _token = make_order(total_vnd=135_000)
    assert sepay(sepay_body(order.code, amount)).json["outcomes"] == ["paid"]


def test_a_failure_while_recording_answers_500_and_the_retry_succeeds(
    sepay, make_order, ledger, monkeypatch
):
    order, _token = make_order()
    body = sepay_body(order.code, order.total_vnd)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(transfers, "apply_payment", broken)
    response = sepay(body)
    assert response.status_code == 500
    assert ledger() == Ledger(payments=0, reviews=0, events=0, emails=0)
    monkeypatch.undo()
    assert sepay(body).json["outcomes"] == ["paid"]
    assert ledger() == Ledger(payments=1, reviews=0, events=1, emails=1)


def test_the_webhook_needs_no_csrf_token(app, sepay, make_order):
    app.config["WTF_CSRF_ENABLED"] = True
    order, _token = make_order()
    assert sepay(sepay_body(order.code, order.total_vnd)).json["outcomes"] == ["paid"]


def test_only_post_is_answered(client):
    assert client.get("/webhooks/bank/sepay").status_code == 405


def test_the_payment_email_is_queued_once_per_order(sepay, make_order):
    order, _token = make_order()
    for transaction_id in (1, 2, 1, 2):
        sepay(sepay_body(order.code, order.total_vnd, transaction_id=transaction_id))
    emails = db.session.scalars(select(EmailOutbox).where(EmailOutbox.order_id == order.id))
    assert len(emails.all()) == 1
    assert db.session.scalars(select(Payment)).one().reference == "1"
