"""A transfer to give back is worded in the staff member's language, from stored data."""

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.checkout.models import OrderStatus
from shop.extensions import db, lock_for_writing
from shop.payments.fulfil import apply_payment, lock_order
from shop.payments.models import PaymentReview, Provider, ReviewReason
from shop.payments.refunds import refund_order
from tests.payments.orders import order_factory


@pytest.fixture
def refund_due(app, make_product):
    """A transfer-paid order, then cancelled: the review queue holds its refund."""
    order, _ = order_factory(make_product)(total_vnd=151_000)
    apply_payment(lock_order(order.code), provider=Provider.SEPAY, reference="151100179",
                  amount_vnd=151_000, memo=f"{order.code} chuyen khoan")  # fmt: skip
    db.session.commit()
    lock_for_writing()
    locked = lock_order(order.code)
    locked.transition(OrderStatus.CANCELLED)
    refund_order(locked)
    db.session.commit()
    review = db.session.scalars(select(PaymentReview)).one()
    assert review.reason == ReviewReason.REFUND_DUE
    return review


@pytest.mark.parametrize(
    ("language", "said", "summary"),
    [
        ("vi", "Hoàn tiền cho khoản thanh toán 151100179 nhận qua Sepay", "Khoản thanh toán và"),
        ("en", "Refund of payment 151100179 received through Sepay", "The payment and the"),
    ],
)
def test_a_refund_to_make_is_said_in_the_staff_member_s_language(
    client, login, make_user, refund_due, language, said, summary
):
    login(make_user(role=Role.STAFF))
    client.get(f"/language/{language}")

    page = " ".join(client.get("/backoffice/payments").text.split())

    assert said in page.replace("</dt><dd>", " ")
    assert summary in page
    assert "refund of" not in page
    assert refund_due.memo == ""  # data, not words: the page words it


def test_a_refund_queued_before_in_english_words_is_shown_in_vietnamese(
    vi_client, make_user, refund_due
):
    refund_due.memo = f"{refund_due.order.code} refund of sepay 151100179"  # as once stored
    db.session.commit()
    staff = make_user(role=Role.STAFF)
    with vi_client.session_transaction() as session:
        session["_user_id"] = str(staff.id)

    page = vi_client.get("/backoffice/payments").text

    assert "refund of" not in page and "khoản thanh toán 151100179" in page
