"""Order desk fixtures: orders placed and paid the way customers and banks do it."""

import itertools

import pytest
from flask import g

from shop.auth.models import Role
from shop.checkout.models import Order, PaymentMethod
from shop.checkout.orders import Customer, place_order
from shop.extensions import db
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider

_refs = itertools.count(1)
HOA = Customer(
    name="Nguyễn Thị Hoà",
    phone="0912345678",
    email="hoa@example.vn",
    address="12 Lê Lợi, phường Hạc Thành",
    province="Thanh Hóa",
)


@pytest.fixture
def place(app):
    """place(items, customer=HOA, paid=True, method=VIETQR) → the order, paid by a transfer."""

    def _place(items, customer: Customer = HOA, paid: bool = True, method=PaymentMethod.VIETQR):
        with app.test_request_context():
            order, _token = place_order(items, customer, method)
            db.session.commit()
            if paid:
                apply_payment(
                    order,
                    provider=Provider.SEPAY,
                    reference=f"FT{next(_refs):08d}",
                    amount_vnd=order.total_vnd,
                )
                db.session.commit()
        g.pop("_login_user", None)  # the e-mail templates looked at current_user (anonymous)
        return order

    return _place


@pytest.fixture
def paid_order(place, make_product) -> Order:
    return place([(make_product(price_vnd=120_000).id, 2)])


@pytest.fixture
def staff(make_user, login):
    user = make_user(role=Role.STAFF, name="Lê Văn Kho")
    login(user)
    return user
