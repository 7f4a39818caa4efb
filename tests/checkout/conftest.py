"""Checkout fixtures: a customer, placing orders through the real verb, reading stock back."""

import pytest
from sqlalchemy import select

from shop.catalogue.models import Product
from shop.checkout.models import Order
from shop.checkout.orders import Customer, place_order
from shop.extensions import db
from shop.trace.models import Batch

CUSTOMER = Customer(
    name="Lê Thị Hoa",
    phone="0912345678",
    email="hoa@example.vn",
    address="12 Lê Lợi, phường Hạc Thành",
    province="Thanh Hóa",
    note="Gọi trước khi giao",
)

CHECKOUT_FORM = {
    "name": "Lê Thị Hoa",
    "phone": "0912 345 678",
    "email": "hoa@example.vn",
    "address": "12 Lê Lợi, phường Hạc Thành",
    "province": "Thanh Hóa",
    "note": "",
    "payment_method": "vietqr",
}


@pytest.fixture
def place(app):
    """place(items, **kwargs) -> (order, token): place_order in a request, committed."""

    def _place(items, payment_method="vietqr", customer=CUSTOMER, **kwargs):
        with app.test_request_context():
            order, token = place_order(items, customer, payment_method, **kwargs)
            db.session.commit()
        return order, token

    return _place


def stock_of(product_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Product.stock).where(Product.id == product_id))


def units_left(batch_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Batch.units_left).where(Batch.id == batch_id))


def order_count() -> int:
    return len(db.session.scalars(select(Order.id)).all())
