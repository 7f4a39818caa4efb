"""A farmer's orders to prepare: own lines only, never the customer's contact; e-mailed once."""

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.checkout.models import EmailOutbox
from shop.extensions import db
from tests.desk import conftest as desk

pytestmark = pytest.mark.both_databases  # e-mailed exactly once

HOA = desk.HOA
place = desk.place  # the order desk's fixture: orders placed and paid as customers do


@pytest.fixture
def farms(make_producer, make_product, make_user):
    a = make_producer(name="HTX Chè Lam", email="chelam@example.vn")
    b = make_producer(name="HTX Nem Chua", email="")
    user_b = make_user(role=Role.PRODUCER, producer=b, email="nem@example.vn")
    return (
        a,
        b,
        make_product(producer=a, name="Chè lam", stock=20),
        make_product(producer=b, name="Nem chua", stock=20),
        user_b,
    )


def test_each_farmer_sees_only_their_lines_and_no_customer_details(
    client, login, make_user, place, farms
):
    a, _b, tea, nem, _user_b = farms
    order = place([(tea.id, 2), (nem.id, 3)])
    place([(nem.id, 1)], paid=False)  # not paid: nothing to prepare yet
    login(make_user(role=Role.PRODUCER, producer=a))
    page = client.get("/farm/orders").text
    assert "Chè lam" in page and order.code in page and "2 hộp" in page
    assert "Nem chua" not in page
    for secret in (HOA.name, HOA.phone, HOA.address, HOA.email):
        assert secret not in page


def test_a_farmer_with_nothing_to_prepare_is_told_so(client, login, make_user, farms):
    login(make_user(role=Role.PRODUCER, producer=farms[0]))
    assert "Nothing to prepare right now" in client.get("/farm/orders").text


def test_packed_orders_leave_the_list(client, login, make_user, place, farms):
    a, _b, tea, *_ = farms
    order = place([(tea.id, 1)])
    order.status = "packed"
    db.session.commit()
    login(make_user(role=Role.PRODUCER, producer=a))
    assert order.code not in client.get("/farm/orders").text


def test_farmers_are_emailed_once_when_an_order_is_paid(place, farms):
    _a, _b, tea, nem, _user_b = farms
    order = place([(tea.id, 1), (nem.id, 1)])
    mails = db.session.scalars(select(EmailOutbox).where(EmailOutbox.order_id == order.id)).all()
    to_farmers = [m for m in mails if m.to in ("chelam@example.vn", "nem@example.vn")]
    assert sorted(m.to for m in to_farmers) == ["chelam@example.vn", "nem@example.vn"]
    tea_mail = next(m for m in to_farmers if m.to == "chelam@example.vn")
    assert "Chè lam" in tea_mail.body and "Nem chua" not in tea_mail.body
    assert HOA.phone not in tea_mail.body and HOA.address not in tea_mail.body
    assert "/farm/orders" in tea_mail.body
