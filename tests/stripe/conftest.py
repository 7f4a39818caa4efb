"""Stripe fixtures: the local fake of Stripe's API, and card orders as place_order leaves them."""

import itertools
from datetime import timedelta

import pytest

from shop.checkout.models import Order, OrderLine, OrderStatus, PaymentMethod, hash_token
from shop.extensions import db, utcnow
from tests.fakes.stripe_api import fake_stripe, fake_stripe_server  # noqa: F401 - fixtures

_codes = itertools.count(1)


@pytest.fixture
def app_overrides(fake_stripe):  # noqa: F811
    return fake_stripe.overrides


@pytest.fixture
def make_order(app, make_product):
    """make_order(quantity=2, unit_price=150_000, shipping=30_000, **columns): a card order."""

    def _make(
        *, quantity: int = 2, unit_price: int = 150_000, shipping: int = 30_000, **columns
    ) -> Order:
        product = make_product(price_vnd=unit_price)
        n = next(_codes)
        values = {
            "code": f"DH{n:06d}K",
            "token_hash": hash_token(f"token-{n}"),
            "status": OrderStatus.PENDING_PAYMENT,
            "payment_method": PaymentMethod.STRIPE,
            "customer_name": "Nguyễn Thị Hoa",
            "phone": "0912345678",
            "email": f"hoa{n}@example.vn",
            "address": "12 Lê Lợi, phường Hạc Thành",
            "province": "Thanh Hóa",
            "subtotal_vnd": unit_price * quantity,
            "shipping_vnd": shipping,
            "total_vnd": unit_price * quantity + shipping,
            "expires_at": utcnow() + timedelta(minutes=30),
        }
        values.update(columns)
        order = Order(**values)
        order.lines.append(
            OrderLine(
                product_id=product.id,
                producer_id=product.producer_id,
                product_name=product.name,
                producer_name=product.producer.name,
                gtin=product.gtin,
                unit=product.unit,
                unit_price_vnd=unit_price,
                quantity=quantity,
            )
        )
        db.session.add(order)
        db.session.commit()
        return order

    return _make
