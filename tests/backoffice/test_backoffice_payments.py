"""Staff reconcile bank transfers: the review queue (resolve with a note, or apply a transfer
to the order it was meant for) and a transfer seen on the statement recorded by hand."""

import re

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.checkout.models import EmailOutbox, OrderStatus
from shop.extensions import db
from shop.payments.fulfil import apply_payment
from shop.payments.models import Payment, PaymentReview, Provider, ReviewReason
from tests.payments.orders import order_factory

pytestmark = pytest.mark.both_databases  # money, and each bank reference recorded once


@pytest.fixture
def make_order(app, make_product):
    return order_factory(make_product)


@pytest.fixture
def staff(login, make_user):
    user = make_user(role=Role.STAFF)
    login(user)
    return user


@pytest.fixture
def unmatched(app):
    """A transfer no order matched, as the SePay webhook left it."""
    raw = {"id": 4417, "content": "chuyen tien hoa don", "transferAmount": 135000}
    apply_payment(
        None,
        provider=Provider.SEPAY,
        reference="4417",
        amount_vnd=135_000,
        memo="chuyen tien hoa don",
        raw=raw,
    )
    db.session.commit()
    return db.session.scalars(select(PaymentReview)).one()


def open_reviews():
    db.session.expire_all()
    return db.session.scalars(select(PaymentReview).where(PaymentReview.resolved_at.is_(None)))


ROUTES = [
    ("get", "/backoffice/payments"),
    ("post", "/backoffice/payments/1/resolve"),
    ("post", "/backoffice/payments/1/apply"),
    ("get", "/backoffice/payments/find-order?code=DH00000000"),
    ("get", "/backoffice/orders/{code}/transfer-received"),
    ("post", "/backoffice/orders/{code}/transfer-received"),
]


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_only_staff_reconcile_payments(
    client, login, make_user, make_producer, make_order, unmatched, role, method, path
):
    order, _token = make_order()
    producer = make_producer() if role == Role.PRODUCER else None
    login(make_user(role=role, producer=producer))
    data = {"amount_vnd": "135000", "reference": "FT1", "note": "x", "order_code": order.code}
    response = getattr(client, method)(path.format(code=order.code), data=data)
    assert response.status_code == 403
    assert db.session.scalars(select(Payment)).all() == []
    assert unmatched.resolved_at is None


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_visitors_are_sent_to_log_in(client, make_order, method, path):
    order, _token = make_order()
    response = getattr(client, method)(path.format(code=order.code))
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_the_queue_shows_what_staff_need_to_decide(client, staff, make_order, unmatched):
    order, _token = make_order(total_vnd=135_000)
    apply_payment(order, provider=Provider.CASSO, reference="77", amount_vnd=100_000, memo="x")
    db.session.commit()
    page = client.get("/backoffice/payments").get_data(as_text=True)
    # The unmatched transfer: reason, amount, memo, source, and the body as the bank sent it.
    assert "No order matches the transfer" in page
    assert "135.000\u00a0₫" in page
    assert "chuyen tien hoa don" in page
    assert "Sepay · 4417" in page
    assert "<details" in page and "What the bank sent" in page
    assert '"transferAmount": 135000' in page
    # The short payment names its order, with a link to it.
    assert "Less than the order total" in page
    assert f'href="/backoffice/orders/{order.code}/transfer-received"' in page
    # Both can be applied or resolved.
    assert len(re.findall(r'action="/backoffice/payments/\d+/(apply|resolve)"', page)) == 4
    # The order is also listed as awaiting a transfer.
    assert "Orders awaiting a bank transfer" in page
    assert page.count(order.code) >= 3


def test_resolving_needs_a_note_and_closes_the_item(client, staff, unmatched):
    response = client.post(f"/backoffice/payments/{unmatched.id}/resolve", data={"note": "  "})
    assert response.status_code == 400
    assert "Give the reason" in response.get_data(as_text=True)
    assert unmatched.resolved_at is None
    response = client.post(
        f"/backoffice/payments/{unmatched.id}/resolve",
        data={"note": "Đã hoàn tiền cho khách, FT24099999"},
    )
    assert response.status_code == 303
    [] = open_reviews()
    assert unmatched.resolution_note == "Đã hoàn tiền cho khách, FT24099999"
    assert unmatched.resolved_by_id == staff.id
    page = client.get("/backoffice/payments").get_data(as_text=True)
    assert "Nothing to review." in page
    assert "Đã hoàn tiền cho khách, FT24099999" in page  # recently resolved
    again = client.post(f"/backoffice/payments/{unmatched.id}/resolve", data={"note": "again"})
    assert again.status_code == 303
    db.session.expire_all()
    assert unmatched.resolution_note == "Đã hoàn tiền cho khách, FT24099999"


def test_applying_a_transfer_to_its_order_pays_it(client, staff, make_order, unmatched):
    order, _token = make_order(total_vnd=135_000)
    response = client.post(
        f"/backoffice/payments/{unmatched.id}/apply",
        data={"order_code": f" {order.code[:5].lower()} {order.code[5:]} ", "note": ""},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert f"Order {order.code} is paid." in response.get_data(as_text=True)
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    assert [p.reference for p in order.payments] == ["4417"]
    assert unmatched.resolved_at is not None
    assert len(db.session.scalars(select(EmailOutbox)).all()) == 1


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [("", 400, "Enter the order code"), ("DH00000000", 409, "There is no order DH00000000")],
)
def test_applying_to_no_order_says_why(client, staff, unmatched, code, status, message):
    response = client.post(f"/backoffice/payments/{unmatched.id}/apply", data={"order_code": code})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(Payment)).all() == []


def test_applying_to_a_paid_order_is_refused(client, staff, make_order, unmatched):
    order, _token = make_order(status=OrderStatus.PAID)
    response = client.post(
        f"/backoffice/payments/{unmatched.id}/apply", data={"order_code": order.code}
    )
    assert response.status_code == 409
    assert "only an order awaiting payment can take it" in response.get_data(as_text=True)
    assert unmatched.resolved_at is None


def test_an_unknown_review_is_not_found(client, staff):
    assert client.post("/backoffice/payments/999/resolve", data={"note": "x"}).status_code == 404
    assert client.post("/backoffice/payments/99999999999/apply").status_code == 404


def test_the_transfer_form_shows_the_order_and_proposes_its_total(client, staff, make_order):
    order, _token = make_order(total_vnd=187_500)
    page = client.get(f"/backoffice/orders/{order.code}/transfer-received").get_data(as_text=True)
    assert order.code in page
    assert "Lê Thị Hoa" in page
    assert "187.500\u00a0₫" in page
    assert re.search(r'name="amount_vnd"[^>]*value="187500"', page)


def test_staff_record_a_transfer_they_saw_and_the_order_is_paid(client, staff, make_order):
    order, _token = make_order(total_vnd=135_000)
    response = client.post(
        f"/backoffice/orders/{order.code}/transfer-received",
        data={"amount_vnd": "135.000", "reference": " FT24091234567 "},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert order.status == OrderStatus.PAID
    [payment] = order.payments
    assert (payment.provider, payment.reference, payment.amount_vnd) == (
        Provider.MANUAL,
        "FT24091234567",
        135_000,
    )
    assert payment.recorded_by_id == staff.id
    assert db.session.scalars(select(EmailOutbox)).one().sent_at is not None


def test_the_same_bank_reference_is_recorded_once(client, staff, make_order):
    order, _token = make_order(total_vnd=135_000)
    url = f"/backoffice/orders/{order.code}/transfer-received"
    data = {"amount_vnd": "135000", "reference": "FT1"}
    assert client.post(url, data=data).status_code == 303
    response = client.post(url, data=data)
    assert response.status_code == 409
    assert "already recorded" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Payment)).all()) == 1
    assert db.session.scalars(select(PaymentReview)).all() == []


def test_a_short_transfer_recorded_by_hand_goes_to_the_queue(client, staff, make_order):
    order, _token = make_order(total_vnd=135_000)
    response = client.post(
        f"/backoffice/orders/{order.code}/transfer-received",
        data={"amount_vnd": "100k", "reference": "FT2"},
        follow_redirects=True,
    )
    assert "it is in the review queue" in response.get_data(as_text=True)
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT
    [review] = open_reviews()
    assert (review.reason, review.provider, review.amount_vnd) == (
        ReviewReason.SHORT_PAYMENT,
        Provider.MANUAL,
        100_000,
    )


@pytest.mark.parametrize(
    ("amount", "reference", "message"),
    [
        ("", "FT1", "Enter the amount received."),
        ("abc", "FT1", "Enter a whole number"),
        ("0", "FT1", "Enter the amount received."),
        ("-1", "FT1", "This cannot be negative."),
        ("1000000000000", "FT1", "Enter a number from 1 to"),
        ("135000", "", "Enter the transaction reference"),
        ("135000", "F" * 101, "Field cannot be longer than 100 characters."),
    ],
)
def test_bad_input_is_answered_with_a_message_and_kept(
    client, staff, make_order, amount, reference, message
):
    order, _token = make_order()
    response = client.post(
        f"/backoffice/orders/{order.code}/transfer-received",
        data={"amount_vnd": amount, "reference": reference},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    if amount:
        assert f'value="{amount}"' in page
    assert db.session.scalars(select(Payment)).all() == []


def test_an_unknown_order_has_no_transfer_form(client, staff):
    assert client.get("/backoffice/orders/DH00000000/transfer-received").status_code == 404
    response = client.post(
        "/backoffice/orders/DH00000000/transfer-received",
        data={"amount_vnd": "1000", "reference": "FT1"},
    )
    assert response.status_code == 404


def test_finding_an_order_by_code_opens_its_transfer_form(client, staff, make_order):
    order, _token = make_order()
    response = client.get(f"/backoffice/payments/find-order?code={order.code.lower()}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/backoffice/orders/{order.code}/transfer-received"
    )
    missing = client.get("/backoffice/payments/find-order?code=nope", follow_redirects=True)
    assert "There is no order NOPE." in missing.get_data(as_text=True)


def test_every_form_needs_its_csrf_token(app, client, staff, make_order, unmatched):
    app.config["WTF_CSRF_ENABLED"] = True
    order, _token = make_order()
    posts = [
        (
            f"/backoffice/orders/{order.code}/transfer-received",
            {"amount_vnd": "135000", "reference": "FT1"},
        ),
        (f"/backoffice/payments/{unmatched.id}/resolve", {"note": "done"}),
        (f"/backoffice/payments/{unmatched.id}/apply", {"order_code": order.code}),
    ]
    for path, data in posts:
        assert client.post(path, data=data).status_code == 400
    assert db.session.scalars(select(Payment)).all() == []
    db.session.expire_all()
    assert unmatched.resolved_at is None
    # With the token the page carries, the same request goes through.
    page = client.get(f"/backoffice/orders/{order.code}/transfer-received").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/backoffice/orders/{order.code}/transfer-received",
        data={"amount_vnd": "135000", "reference": "FT1", "csrf_token": token},
    )
    assert response.status_code == 303


def test_a_partial_transfer_applied_leaves_the_order_waiting(client, staff, make_order, unmatched):
    order, _token = make_order(total_vnd=250_000)
    response = client.post(
        f"/backoffice/payments/{unmatched.id}/apply",
        data={"order_code": order.code},
        follow_redirects=True,
    )
    assert f"Recorded on order {order.code}; it still awaits the rest." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert [p.amount_vnd for p in order.payments] == [135_000]
    again = client.post(
        f"/backoffice/payments/{unmatched.id}/apply",
        data={"order_code": order.code},
        follow_redirects=True,
    )
    assert "This transfer was already resolved." in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Payment)).all()) == 1
