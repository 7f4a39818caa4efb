"""place_order: stock and lots reserved atomically, lines that remember what was sold."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shop.checkout.models import EmailOutbox, Order, OrderStatus, PaymentMethod, hash_token
from shop.checkout.orders import (
    AlreadyPlaced,
    KeyReused,
    OutOfStock,
    Unavailable,
    place_order,
)
from shop.extensions import db
from shop.producers.models import ApprovalStatus
from tests.checkout.conftest import CUSTOMER, order_count, stock_of, units_left

pytestmark = pytest.mark.both_databases  # money, stock and lots reserved atomically


def test_an_order_reserves_stock_and_copies_what_was_sold(place, make_product):
    product = make_product(name="Nem chua Thanh Hóa", price_vnd=45_000, stock=10, unit="túi")

    order, _ = place([(product.id, 3)])

    assert stock_of(product.id) == 7
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.payment_method == PaymentMethod.VIETQR
    [line] = order.lines
    assert (line.product_id, line.producer_id) == (product.id, product.producer_id)
    assert line.product_name == "Nem chua Thanh Hóa"
    assert line.producer_name == product.producer.name
    assert (line.gtin, line.unit, line.unit_price_vnd, line.quantity) == (
        product.gtin,
        "túi",
        45_000,
        3,
    )
    assert line.commission_vnd == 13_500  # 10 % of 135 000
    assert order.subtotal_vnd == 135_000
    assert order.shipping_vnd == 20_000  # Thanh Hóa's own fee
    assert order.total_vnd == 155_000
    assert (order.customer_name, order.phone, order.province) == (
        CUSTOMER.name,
        CUSTOMER.phone,
        "Thanh Hóa",
    )
    assert order.note == CUSTOMER.note


def test_the_code_is_bank_safe_and_the_token_is_stored_only_hashed(place, make_product):
    product = make_product()

    order, token = place([(product.id, 1)])

    assert re.fullmatch(r"DH[A-HJ-NP-Z2-9]{8}", order.code)
    assert len(token) >= 32
    assert order.token_hash == hash_token(token) != token
    assert order.check_token(token) and not order.check_token(token[:-1] + "x")
    assert order.expires_at - order.created_at == timedelta(minutes=30)


def test_codes_differ_from_order_to_order(place, make_product):
    product = make_product(stock=30)
    codes = {place([(product.id, 1)])[0].code for _ in range(20)}
    assert len(codes) == 20


def test_the_reservation_time_comes_from_the_configuration(app, place, make_product):
    app.config["ORDER_RESERVATION_MINUTES"] = 45
    order, _ = place([(make_product().id, 1)])
    assert order.expires_at - order.created_at == timedelta(minutes=45)


def test_several_producers_in_one_order(place, make_product, make_producer):
    first = make_product(producer=make_producer(name="HTX Ba Làng"), price_vnd=120_000)
    second = make_product(producer=make_producer(name="HTX Phú Quảng"), price_vnd=60_000)

    order, _ = place([(second.id, 2), (first.id, 1), (second.id, 1)])

    by_product = {line.product_id: line for line in order.lines}
    assert by_product[second.id].quantity == 3  # the same product twice is one line
    assert {line.producer_name for line in order.lines} == {"HTX Ba Làng", "HTX Phú Quảng"}
    assert order.subtotal_vnd == 120_000 + 3 * 60_000
    assert stock_of(first.id) == 9 and stock_of(second.id) == 7


def test_free_shipping_from_the_threshold_and_other_provinces_pay_the_default(place, make_product):
    product = make_product(price_vnd=250_000, stock=10)
    elsewhere = CUSTOMER.__class__(**{**CUSTOMER.__dict__, "province": "Hà Nội"})

    small, _ = place([(product.id, 1)], customer=elsewhere)
    large, _ = place([(product.id, 2)], customer=elsewhere)

    assert small.shipping_vnd == 35_000 and small.total_vnd == 285_000
    assert large.shipping_vnd == 0 and large.total_vnd == 500_000


def test_lots_are_taken_oldest_packed_first(place, make_product, make_batch):
    product = make_product(stock=20)
    newer = make_batch(product, packing_date=date(2026, 10, 1), units_left=10)
    older = make_batch(product, packing_date=date(2026, 8, 1), units_left=10)

    order, _ = place([(product.id, 4)])

    [line] = order.lines
    assert (line.batch_id, line.lot, line.quantity) == (older.id, older.lot, 4)
    assert units_left(older.id) == 6 and units_left(newer.id) == 10


def test_a_line_is_split_across_lots_and_units_without_a_lot_are_sold_without_one(
    place, make_product, make_batch
):
    product = make_product(price_vnd=10_001, stock=20)
    first = make_batch(product, packing_date=date(2026, 8, 1), units_left=2)
    second = make_batch(product, packing_date=date(2026, 9, 1), units_left=3)
    make_batch(product, packing_date=date(2026, 7, 1), units_left=50, on_sale=False)
    make_batch(product, packing_date=date(2026, 6, 1), units_left=0)

    order, _ = place([(product.id, 7)])

    parts = [(line.lot, line.quantity) for line in order.lines]
    assert parts == [(first.lot, 2), (second.lot, 3), (None, 2)]
    assert [line.commission_vnd for line in order.lines] == [2_000, 3_000, 2_000]  # half up
    assert units_left(first.id) == 0 and units_left(second.id) == 0
    assert sum(line.quantity for line in order.lines) == 7
    assert stock_of(product.id) == 13


def test_a_lot_without_a_packing_date_comes_after_dated_ones(place, make_product, make_batch):
    product = make_product(stock=10)
    undated = make_batch(product, packing_date=None, units_left=5)
    dated = make_batch(product, packing_date=date(2026, 11, 1), units_left=5)

    order, _ = place([(product.id, 6)])

    assert [(line.batch_id, line.quantity) for line in order.lines] == [
        (dated.id, 5),
        (undated.id, 1),
    ]


def test_prices_come_from_the_database(place, make_product):
    product = make_product(price_vnd=99_000)
    order, _ = place([(product.id, 1)])
    assert order.lines[0].unit_price_vnd == 99_000 and order.subtotal_vnd == 99_000


def test_short_stock_names_the_product_and_reserves_nothing(app, make_product, make_batch):
    plenty = make_product(name="Chè lam", stock=10)
    scarce = make_product(name="Mật ong hoa nhãn", stock=2)
    lot = make_batch(plenty, units_left=10)

    with app.test_request_context(), pytest.raises(OutOfStock) as refused:
        place_order([(plenty.id, 3), (scarce.id, 3)], CUSTOMER, "vietqr")
    db.session.rollback()

    assert refused.value.product_id == scarce.id and refused.value.available == 2
    assert "Mật ong hoa nhãn" in str(refused.value.message)
    assert stock_of(plenty.id) == 10 and stock_of(scarce.id) == 2
    assert units_left(lot.id) == 10
    assert order_count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"status": ApprovalStatus.PENDING},
        {"status": ApprovalStatus.REJECTED},
        {"stock": 0},
    ],
    ids=["hidden", "pending", "rejected", "sold-out"],
)
def test_products_not_on_sale_are_refused(app, make_product, change):
    product = make_product(name="Giò bò", **change)

    with app.test_request_context(), pytest.raises((OutOfStock, Unavailable)) as refused:
        place_order([(product.id, 1)], CUSTOMER, "vietqr")
    db.session.rollback()

    assert "Giò bò" in str(refused.value.message)
    assert order_count() == 0


def test_a_producer_not_approved_cannot_sell(app, make_product, make_producer):
    product = make_product(producer=make_producer(status=ApprovalStatus.PENDING))
    with app.test_request_context(), pytest.raises(Unavailable):
        place_order([(product.id, 1)], CUSTOMER, "vietqr")


def test_an_unknown_product_is_refused(app):
    with app.test_request_context(), pytest.raises(Unavailable):
        place_order([(987_654, 1)], CUSTOMER, "vietqr")


@pytest.mark.parametrize("items", [[], [(1, 0)], [(1, -1)], [(1, "2")], [("1", 1)], [(1, 1.5)]])
def test_malformed_items_are_a_programming_error(app, items):
    with app.test_request_context(), pytest.raises(ValueError):
        place_order(items, CUSTOMER, "vietqr")


def test_the_same_idempotency_key_places_one_order(app, place, make_product):
    product = make_product(stock=10)
    order, token = place([(product.id, 2)], idempotency_key="checkout-key-0001")

    with app.test_request_context(), pytest.raises(AlreadyPlaced) as again:
        place_order([(product.id, 2)], CUSTOMER, "vietqr", idempotency_key="checkout-key-0001")
    db.session.rollback()

    assert again.value.order.id == order.id and again.value.token == token
    assert stock_of(product.id) == 8 and order_count() == 1


def test_a_key_reused_for_another_order_is_refused(app, place, make_product):
    product = make_product(stock=10)
    place([(product.id, 2)], idempotency_key="checkout-key-0002")

    with app.test_request_context(), pytest.raises(KeyReused):
        place_order([(product.id, 3)], CUSTOMER, "vietqr", idempotency_key="checkout-key-0002")
    db.session.rollback()

    assert stock_of(product.id) == 8 and order_count() == 1


def test_the_placed_email_carries_the_private_link(place, make_product):
    order, token = place([(make_product().id, 1)])

    [mail] = db.session.scalars(select(EmailOutbox)).all()
    assert mail.order_id == order.id and mail.to == CUSTOMER.email
    assert order.code in mail.subject
    assert f"/orders/{order.code}?token={token}" in mail.body


def test_orders_are_linked_to_the_customer_account(place, make_product, make_user):
    user = make_user()
    order, _ = place([(make_product().id, 1)], user=user)
    assert db.session.scalar(select(Order.user_id).where(Order.id == order.id)) == user.id
