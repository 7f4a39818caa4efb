"""Never oversold on PostgreSQL: many buyers at once, each thread with its own connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from shop.catalogue.models import Product
from shop.checkout.models import Order, OrderLine
from shop.extensions import db
from shop.trace.models import Batch

BUYERS = 24


@pytest.fixture
def database_url(postgres_url):
    """PostgreSQL only: row locks and concurrent connections are what this file is about."""
    return postgres_url


@pytest.fixture
def app_overrides():
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": BUYERS + 4, "max_overflow": 0}}


def order_body(*product_ids: int) -> dict:
    return {
        "items": [{"product_id": pid, "quantity": 1} for pid in product_ids],
        "customer": {
            "name": "Khách hàng",
            "phone": "0912345678",
            "email": "khach@example.vn",
            "address": "1 Lê Lợi",
            "province": "Thanh Hóa",
        },
        "payment_method": "vietqr",
    }


def buy_all_at_once(app, bodies: list[dict]) -> list[tuple[int, dict]]:
    """Each buyer in its own thread and app context (its own session and connection), all
    released together by a barrier."""
    start = threading.Barrier(len(bodies))

    def buy(body: dict) -> tuple[int, dict]:
        with app.app_context():
            client = app.test_client()
            start.wait(timeout=30)
            response = client.post("/api/v1/orders", json=body)
            db.session.remove()
            return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(buy, bodies, timeout=120))


def reserved_units(product_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(OrderLine.quantity), 0)).where(
            OrderLine.product_id == product_id
        )
    )


def test_twenty_four_buyers_for_five_units(app, make_product, make_batch):
    product = make_product(name="Mắm tôm Hậu Lộc", stock=5)
    lot = make_batch(product, units_left=5)

    results = buy_all_at_once(app, [order_body(product.id)] * BUYERS)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * 5 + [409] * (BUYERS - 5)
    for status, body in results:
        if status == 409:
            assert "Mắm tôm Hậu Lộc" in body["detail"] and body["available"] == 0
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 0
    assert db.session.get(Batch, lot.id).units_left == 0
    assert reserved_units(product.id) == 5
    assert db.session.scalar(select(func.count()).select_from(Order)) == 5
    codes = {body["code"] for status, body in results if status == 201}
    assert len(codes) == 5


def test_buyers_of_two_products_in_opposite_orders_do_not_deadlock(app, make_product):
    first = make_product(name="Chè lam", stock=10)
    second = make_product(name="Kẹo lạc vừng", stock=10)
    bodies = [order_body(first.id, second.id), order_body(second.id, first.id)] * (BUYERS // 2)

    results = buy_all_at_once(app, bodies)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * 10 + [409] * (BUYERS - 10)
    db.session.expire_all()
    for product in (first, second):
        assert db.session.get(Product, product.id).stock == 0
        assert reserved_units(product.id) == 10


def test_the_same_idempotency_key_at_once_places_one_order(app, make_product):
    """Retries racing each other: one order, and every answer names it (no unique-key 500)."""
    product = make_product(stock=50)
    start = threading.Barrier(8)

    def retry(_: int) -> tuple[int, dict]:
        with app.app_context():
            client = app.test_client()
            start.wait(timeout=30)
            response = client.post(
                "/api/v1/orders",
                json=order_body(product.id),
                headers={"Idempotency-Key": "mobile-app-retry-0042"},
            )
            db.session.remove()
            return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(retry, range(8), timeout=120))

    assert sorted(status for status, _ in results) == [200] * 7 + [201]
    assert len({body["code"] for _, body in results}) == 1
    assert len({body["token"] for _, body in results}) == 1
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 49
