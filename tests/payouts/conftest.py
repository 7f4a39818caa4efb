"""Payout fixtures: two producers' sales in November 2026, delivered, refunded, or not yet."""

from datetime import UTC, datetime

import pytest

from shop.auth.models import Role
from shop.checkout.models import OrderStatus
from tests.sales import make_refund, make_sale

NOV = {"from": "2026-11-01", "to": "2026-11-30"}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def staff(client, login, make_user):
    user = make_user(role=Role.STAFF)
    login(user)
    return user


@pytest.fixture
def november(make_producer, make_product):
    """Farm A (the shop's 10 %) and farm B (its own 7.5 %), with sales in and around November."""
    a = make_producer(name="HTX Bưởi Luận Văn")
    b = make_producer(name="Cơ sở Nem chua Bà Lý", commission_percent=7.5)
    pomelo = make_product(producer=a, name="Bưởi Luận Văn", price_vnd=12_345)
    honey = make_product(producer=a, name="Mật ong rừng", price_vnd=250_000)
    nem = make_product(producer=b, name="Nem chua", price_vnd=45_000)
    first = make_sale([(pomelo, 1), (nem, 3)], at=utc(2026, 11, 3, 2))
    second = make_sale([(pomelo, 1), (honey, 2)], at=utc(2026, 11, 30, 16, 30))  # 23:30 in VN
    make_sale([(honey, 1)], at=utc(2026, 11, 30, 17, 30))  # 00:30 on 1 Dec in Vietnam
    make_sale([(nem, 10)], status=OrderStatus.SHIPPED, at=utc(2026, 11, 20))
    make_sale([(nem, 10)], status=OrderStatus.CANCELLED, at=utc(2026, 11, 21))
    make_sale([(pomelo, 4)], at=utc(2026, 10, 31, 16, 59))  # 23:59 on 31 Oct in Vietnam
    make_refund(second.lines[1], 250_000, utc(2026, 11, 15))  # a damaged jar, sent back
    make_refund(first.lines[1], 45_000, None)  # decided, not yet sent: not deducted
    make_refund(first.lines[1], 5_000, utc(2026, 12, 2))  # December's
    return a, b
