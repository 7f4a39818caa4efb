"""POST /api/v1/orders and GET /api/v1/orders/<code>, shaped as SPEC.md says; bad input is 4xx."""

import jsonschema
import pytest
from sqlalchemy import func, select

from shop.api.openapi import openapi_document
from shop.catalogue.models import Product
from shop.checkout.models import Order
from shop.extensions import db
from shop.payments.vietqr import crc16_ccitt_false
from tests.fakes.stripe_api import fake_stripe, fake_stripe_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.both_databases  # money, stock reserved under locks, idempotency keys

CUSTOMER = {
    "name": "Trần Thị Lan",
    "phone": "0987 654 321",
    "email": "lan@example.vn",
    "address": "8 Nguyễn Trãi, phường Ba Đình",
    "province": "Hà Nội",
}


def body(product_id: int, quantity=1, **changes) -> dict:
    return {
        "items": [{"product_id": product_id, "quantity": quantity}],
        "customer": dict(CUSTOMER),
        "payment_method": "vietqr",
        **changes,
    }


def orders() -> int:
    return db.session.scalar(select(func.count()).select_from(Order))


def stock(product_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Product, product_id).stock


def schema(name: str) -> dict:
    """A schema of the OpenAPI document, its $refs resolvable by jsonschema."""
    document = openapi_document("http://127.0.0.1:5000")
    return {**document["components"]["schemas"][name], "components": document["components"]}


@pytest.fixture
def product(make_product, make_batch):
    product = make_product(name="Nước mắm Ba Làng 40 độ đạm", price_vnd=85_000, stock=5)
    make_batch(product, lot="BL40-2605-01", units_left=5)
    return product


def test_placing_an_order(client, product):
    response = client.post("/api/v1/orders", json=body(product.id, 2))

    assert response.status_code == 201
    data = response.get_json()
    jsonschema.validate(data, schema("OrderCreated"))
    assert set(data) == {"code", "token", "status", "total_vnd", "payment"}
    assert data["status"] == "pending_payment"
    assert data["total_vnd"] == 2 * 85_000 + 35_000
    payload = data["payment"]["vietqr_payload"]
    assert payload.startswith("000201010212") and "5406205000" in payload
    assert data["code"] in payload
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4].encode()):04X}"
    assert response.headers["Location"] == f"/api/v1/orders/{data['code']}"
    assert stock(product.id) == 3


def test_reading_an_order_back_with_its_token(client, product):
    created = client.post("/api/v1/orders", json=body(product.id, 2)).get_json()

    response = client.get(
        f"/api/v1/orders/{created['code']}", headers={"X-Order-Token": created["token"]}
    )

    assert response.status_code == 200
    data = response.get_json()
    jsonschema.validate(data, schema("Order"))
    assert (data["code"], data["status"], data["total_vnd"]) == (
        created["code"],
        "pending_payment",
        created["total_vnd"],
    )
    assert data["items"] == [
        {
            "product_id": product.id,
            "name": "Nước mắm Ba Làng 40 độ đạm",
            "quantity": 2,
            "unit_price_vnd": 85_000,
            "lot": "BL40-2605-01",
            "lot_url": f"http://127.0.0.1:5000/01/{product.gtin}/10/BL40-2605-01",
        }
    ]
    assert data["payment"]["vietqr_payload"] == created["payment"]["vietqr_payload"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Order-Token": "wrong"}, {"X-Order-Token": ""}],
    ids=["missing", "wrong", "empty"],
)
def test_without_the_right_token_an_order_is_not_found(client, product, headers):
    created = client.post("/api/v1/orders", json=body(product.id)).get_json()

    response = client.get(f"/api/v1/orders/{created['code']}", headers=headers)

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert created["code"] not in response.text


def test_an_unknown_code_is_not_found(client):
    response = client.get("/api/v1/orders/DHNOPE2345", headers={"X-Order-Token": "x"})
    assert response.status_code == 404 and response.content_type == "application/problem+json"


def test_short_stock_is_409_naming_the_product(client, product):
    response = client.post("/api/v1/orders", json=body(product.id, 6))

    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    jsonschema.validate(problem, schema("OutOfStockProblem"))
    assert "Nước mắm Ba Làng 40 độ đạm" in problem["detail"]
    assert (problem["product_id"], problem["available"]) == (product.id, 5)
    assert orders() == 0 and stock(product.id) == 5


def test_one_short_product_refuses_the_whole_order(client, product, make_product):
    plenty = make_product(stock=50)
    order = body(product.id, 9)
    order["items"].insert(0, {"product_id": plenty.id, "quantity": 3})

    assert client.post("/api/v1/orders", json=order).status_code == 409
    assert stock(plenty.id) == 50 and orders() == 0


QUANTITIES = [0, -1, 10**9, "abc", "2", 1.5, True, None, [], {}]


@pytest.mark.parametrize("quantity", QUANTITIES, ids=[repr(q) for q in QUANTITIES])
def test_bad_quantities_are_422(client, product, quantity):
    response = client.post("/api/v1/orders", json=body(product.id, quantity))

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "items[0].quantity" in response.get_json()["errors"]
    assert orders() == 0


def test_a_missing_quantity_is_422(client, product):
    order = body(product.id)
    del order["items"][0]["quantity"]
    errors = client.post("/api/v1/orders", json=order).get_json()["errors"]
    assert "items[0].quantity" in errors


@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"status": "pending"}],
    ids=["inactive", "unlisted"],
)
def test_products_not_on_sale_are_422(client, make_product, change):
    product = make_product(**change)
    response = client.post("/api/v1/orders", json=body(product.id))
    assert response.status_code == 422
    assert response.get_json()["errors"]["items[0].product_id"] == [
        f"No product on sale has the id {product.id}."
    ]


@pytest.mark.parametrize("product_id", [999_999, 0, -3, "1", 2**40, None])
def test_unknown_products_are_422(client, product_id):
    response = client.post("/api/v1/orders", json=body(product_id))
    assert response.status_code == 422 and "items[0].product_id" in response.get_json()["errors"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "0237 385 6789"),
        ("phone", "12345"),
        ("phone", 912345678),
        ("province", "Hà Tây"),
        ("province", ""),
        ("email", "lan"),
        ("name", ""),
        ("address", "x" * 301),
        ("name", None),
    ],
)
def test_bad_customer_fields_are_422(client, product, field, value):
    order = body(product.id)
    order["customer"][field] = value
    response = client.post("/api/v1/orders", json=order)
    assert response.status_code == 422
    assert f"customer.{field}" in response.get_json()["errors"]
    assert orders() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"payment_method": "cash"},
        {"payment_method": "stripe"},  # no Stripe keys in this shop
        {"payment_method": None},
        {"items": []},
        {"items": "all"},
        {"items": [1, 2]},
        {"customer": "Lan"},
        {"customer": None},
    ],
)
def test_other_invalid_orders_are_422(client, product, change):
    response = client.post("/api/v1/orders", json=body(product.id) | change)
    assert response.status_code == 422
    assert response.get_json()["errors"]


@pytest.mark.parametrize(
    "raw", [b"{not json", b"", b"[]", b'"order"', b"null", b"\xff\xfe", b'{"items": '], ids=str
)
def test_a_body_that_is_not_a_json_object_is_422(client, raw):
    response = client.post("/api/v1/orders", data=raw, content_type="application/json")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def test_a_form_body_is_415(client, product):
    response = client.post("/api/v1/orders", data={"items": "1"})
    assert response.status_code == 415 and response.content_type == "application/problem+json"


def test_prices_in_the_request_are_ignored(client, product):
    order = body(product.id, 1, total_vnd=1)
    order["items"][0]["unit_price_vnd"] = 1
    data = client.post("/api/v1/orders", json=order).get_json()
    assert data["total_vnd"] == 85_000 + 35_000


def test_nul_characters_are_dropped(client, product):
    order = body(product.id)
    order["customer"]["name"] = "Trần\x00 Thị Lan"
    assert client.post("/api/v1/orders", json=order).status_code == 201
    assert db.session.scalar(select(Order.customer_name)) == "Trần Thị Lan"


def test_a_retry_with_the_same_idempotency_key_gets_the_same_order(client, product):
    headers = {"Idempotency-Key": "app-retry-7f3a9c"}

    first = client.post("/api/v1/orders", json=body(product.id, 2), headers=headers)
    again = client.post("/api/v1/orders", json=body(product.id, 2), headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert orders() == 1 and stock(product.id) == 3


def test_an_idempotency_key_reused_for_another_order_is_422(client, product):
    headers = {"Idempotency-Key": "app-retry-7f3a9c"}
    client.post("/api/v1/orders", json=body(product.id, 2), headers=headers)

    response = client.post("/api/v1/orders", json=body(product.id, 1), headers=headers)

    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
    assert orders() == 1


@pytest.mark.parametrize("key", ["short", "x" * 65, "bad key with spaces", "ключ-ключ-ключ"])
def test_a_malformed_idempotency_key_is_422(client, product, key):
    headers = {"Idempotency-Key": key}
    response = client.post("/api/v1/orders", json=body(product.id), headers=headers)
    assert response.status_code == 422 and orders() == 0


class TestWithCsrfOn:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_json_clients_need_no_csrf_token(self, client, product):
        assert client.post("/api/v1/orders", json=body(product.id)).status_code == 201


class TestCards:
    @pytest.fixture
    def app_overrides(self, fake_stripe):  # noqa: F811
        return fake_stripe.overrides

    def test_a_card_order_answers_stripes_checkout_url(self, client, product, fake_stripe):  # noqa: F811
        response = client.post("/api/v1/orders", json=body(product.id, payment_method="stripe"))

        assert response.status_code == 201
        data = response.get_json()
        jsonschema.validate(data, schema("OrderCreated"))
        order = db.session.scalar(select(Order))
        session = fake_stripe.sessions[order.stripe_session_id]
        assert data["payment"] == {"method": "stripe", "checkout_url": session["url"]}
        assert session["amount_total"] == data["total_vnd"] == 120_000

    def test_a_retry_answers_the_same_stripe_page(self, client, product, fake_stripe):  # noqa: F811
        headers = {"Idempotency-Key": "card-retry-000001"}
        order = body(product.id, payment_method="stripe")
        first = client.post("/api/v1/orders", json=order, headers=headers).get_json()
        again = client.post("/api/v1/orders", json=order, headers=headers).get_json()
        assert again == first and len(fake_stripe.sessions) == 1


def test_the_openapi_document_describes_the_order_endpoints(client):
    document = client.get("/api/v1/openapi.json").get_json()
    create = document["paths"]["/orders"]["post"]
    read = document["paths"]["/orders/{code}"]["get"]

    assert {"201", "200", "409", "415", "422"} == set(create["responses"])
    assert set(read["responses"]) == {"200", "404"}
    assert {p["name"] for p in create["parameters"]} == {"Idempotency-Key"}
    assert {p["name"] for p in read["parameters"]} == {"code", "X-Order-Token"}
    request = document["components"]["schemas"]["OrderRequest"]
    assert set(request["required"]) == {"items", "customer", "payment_method"}
    customer = request["properties"]["customer"]
    assert set(customer["required"]) == {"name", "phone", "email", "address", "province"}
    assert "34 provinces" in customer["properties"]["province"]["description"]
    assert "commune" in customer["properties"]
    item = document["components"]["schemas"]["OrderItem"]
    assert {"product_id", "name", "quantity", "unit_price_vnd", "lot"} <= set(item["required"])


def test_the_customer_commune_may_be_a_name_or_a_code(client, product):
    customer = {**CUSTOMER, "province": "01", "commune": "hoan kiem"}
    response = client.post("/api/v1/orders", json=body(product.id, customer=customer))

    assert response.status_code == 201
    order = db.session.scalar(select(Order))
    assert (order.province, order.province_code) == ("Thành phố Hà Nội", 1)
    assert (order.commune, order.commune_code) == ("Phường Hoàn Kiếm", 70)


def test_a_commune_outside_the_province_is_422(client, product):
    customer = {**CUSTOMER, "commune": "15520"}  # Thanh Hóa's Xuân Hòa, with Hà Nội
    response = client.post("/api/v1/orders", json=body(product.id, customer=customer))

    assert response.status_code == 422
    assert "Xã Xuân Hòa is not in Thành phố Hà Nội" in str(response.get_json()["errors"])
    assert orders() == 0


def test_a_database_too_busy_to_lock_is_503_with_retry_after(client, product, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from shop.api import views

    def locked(*args, **kwargs):
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    monkeypatch.setattr(views, "place_order", locked)
    response = client.post("/api/v1/orders", json=body(product.id))

    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.content_type == "application/problem+json"
    assert orders() == 0 and stock(product.id) == 5
