"""Lots for sale: what a farmer says a lot holds, what the demo puts in them, who bought each."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.catalogue.models import Product
from shop.checkout.expiry import expire_orders
from shop.checkout.models import OrderStatus
from shop.checkout.queries import buyers_of_batch
from shop.clock import local_today
from shop.extensions import db, utcnow
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider
from shop.trace.models import Batch
from tests.checkout.conftest import CUSTOMER

pytestmark = pytest.mark.both_databases  # stock and lots reserved, recalls are queries


def test_a_recall_finds_every_buyer_of_a_lot(place, make_product, make_batch, make_user):
    product = make_product(name="Mắm tôm Ba Làng", stock=30)
    recalled = make_batch(product, packing_date=date(2026, 8, 1), units_left=5)
    later = make_batch(product, packing_date=date(2026, 9, 1), units_left=20)
    other = CUSTOMER.__class__(
        **{**CUSTOMER.__dict__, "name": "Trần Văn Nam", "phone": "0987654321"}
    )
    account = make_user(name="Phạm Thu")

    first, _ = place([(product.id, 2)])
    second, _ = place([(product.id, 4)], customer=other, user=account)  # 3 of it, 1 of later
    third, _ = place([(product.id, 1)])  # only the later lot is left
    for n, order in enumerate((first, second, third)):
        apply_payment(
            order, provider=Provider.MANUAL, reference=f"FT{n}", amount_vnd=order.total_vnd
        )
    db.session.commit()
    expired, _ = place([(product.id, 1)])  # unpaid: it sold nothing
    expire_orders(now=utcnow() + timedelta(hours=1))
    db.session.commit()

    lines = buyers_of_batch(recalled)

    assert [(line.order.code, line.quantity) for line in lines] == [
        (first.code, 2),
        (second.code, 3),
    ]
    assert {line.order.customer_name for line in lines} == {"Lê Thị Hoa", "Trần Văn Nam"}
    assert {line.order.phone for line in lines} == {"0912345678", "0987654321"}
    assert lines[1].order.user_id == account.id
    assert all(line.lot == recalled.lot for line in lines)
    assert [line.order.code for line in buyers_of_batch(later)] == [second.code, third.code]
    assert expired.status == OrderStatus.EXPIRED


def test_a_farmer_says_how_many_units_of_a_lot_are_for_sale(
    client, login, make_user, make_producer, make_product, make_growing_area
):
    farmer = make_user(role=Role.PRODUCER, producer=make_producer())
    product = make_product(producer=farmer.producer)
    area = make_growing_area(producer=farmer.producer)
    login(farmer)
    today = local_today().isoformat()
    data = {
        "product": str(product.id),
        "lot": "NC-2611-09",
        "growing_area": str(area.id),
        "harvest_date": today,
        "packing_date": today,
        "quantity": "200",
        "quantity_unit": "túi",
        "units_left": "180",
    }

    page = client.get("/trace/batches/new").text
    response = client.post("/trace/batches/new", data=data)

    assert 'name="units_left"' in page and "Units for sale" in page
    assert response.status_code == 302
    batch = db.session.scalar(select(Batch).where(Batch.lot == "NC-2611-09"))
    assert batch.units_left == 180
    bad = client.post("/trace/batches/new", data={**data, "lot": "X-2", "units_left": "-3"})
    assert bad.status_code == 400 and "cannot be negative" in bad.text


def test_the_demo_puts_each_products_stock_into_its_lots_oldest_first(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    products = db.session.scalars(select(Product).order_by(Product.id)).all()
    with_lots = [p for p in products if any(b.on_sale for b in p.batches)]
    assert len(with_lots) >= 40
    for product in with_lots:
        lots = sorted((b for b in product.batches if b.on_sale), key=lambda b: b.packing_date)
        assert sum(b.units_left for b in lots) == product.stock, product.slug
        assert lots[0].units_left == min(product.stock, lots[0].quantity), product.slug
        assert all(b.units_left == 0 for b in product.batches if not b.on_sale)
    before = {b.id: b.units_left for b in db.session.scalars(select(Batch))}

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert {b.id: b.units_left for b in db.session.scalars(select(Batch))} == before
