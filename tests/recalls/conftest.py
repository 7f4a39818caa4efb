"""Recall fixtures: a lot on sale with buyers in every state, staff and the lot's producer."""

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.checkout.models import EmailOutbox, Order, OrderStatus
from shop.checkout.orders import Customer, cancel_order, place_order
from shop.extensions import db


def customer(name: str, email: str) -> Customer:
    return Customer(
        name=name,
        phone="0912345678",
        email=email,
        address="12 Lê Lợi, phường Hạc Thành",
        province="Thanh Hóa",
    )


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF, name="Trần Thị Kế Toán")


@pytest.fixture
def farmer(make_user, make_producer):
    return make_user(role=Role.PRODUCER, producer=make_producer(name="HTX Bưởi Luận Văn"))


@pytest.fixture
def product(make_product, farmer):
    return make_product(producer=farmer.producer, name="Bưởi Luận Văn", stock=20)


@pytest.fixture
def lot(make_batch, product):
    """The lot to recall: 20 units, three events in its chain."""
    return make_batch(product=product, events=3, lot="BLV-2409", units_left=20)


@pytest.fixture
def order(app):
    """order(product, quantity, name, email, status=PAID): placed through the real verb."""

    def _order(product, quantity, name, email, status=OrderStatus.PAID) -> Order:
        with app.test_request_context():
            placed, _token = place_order([(product.id, quantity)], customer(name, email), "vietqr")
            walk = {
                OrderStatus.PENDING_PAYMENT: [],
                OrderStatus.PAID: [OrderStatus.PAID],
                OrderStatus.DELIVERED: [
                    OrderStatus.PAID,
                    OrderStatus.PACKED,
                    OrderStatus.SHIPPED,
                    OrderStatus.DELIVERED,
                ],
            }
            for step in walk.get(status, []):
                placed.transition(step)
            if status == OrderStatus.CANCELLED:
                cancel_order(placed)
            db.session.commit()
        return placed

    return _order


def recall_mails(lot: str = "BLV-2409") -> list[EmailOutbox]:
    """The e-mails that name the lot in their subject (the recall e-mails), oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(EmailOutbox).where(EmailOutbox.subject.contains(lot)).order_by(EmailOutbox.id)
        )
    )
