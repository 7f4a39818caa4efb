"""Every form of the cart, checkout and order pages needs its CSRF token."""

import re

import pytest
from sqlalchemy import select

from shop.checkout.models import Order, OrderStatus
from shop.extensions import db
from tests.checkout.conftest import CHECKOUT_FORM


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def token_in(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    "path", ["/cart/add", "/cart/update", "/cart/remove", "/checkout", "/orders/DHX/cancel"]
)
def test_posts_without_the_token_are_refused(client, make_product, path):
    product = make_product()
    response = client.post(path, data={"product_id": product.id, "quantity": "1"})
    assert response.status_code == 400
    assert "Your form expired" in response.text


def test_the_whole_purchase_with_tokens(client, make_product):
    product = make_product(slug="che-lam", stock=5)
    csrf = token_in(client.get("/products/che-lam").text)
    added = client.post("/cart/add", data={"csrf_token": csrf, "product_id": product.id})
    assert added.status_code == 303  # the quantity defaults to 1

    page = client.get("/checkout").text
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {**CHECKOUT_FORM, "csrf_token": token_in(page), "idempotency_key": key}
    placed = client.post("/checkout", data=data)
    assert placed.status_code == 303

    order_page = client.get(placed.location).text
    code = db.session.scalar(select(Order.code))
    token = placed.location.split("token=")[1]
    cancel = {"csrf_token": token_in(order_page), "token": token}
    assert client.post(f"/orders/{code}/cancel", data=cancel).status_code == 303
    assert db.session.scalar(select(Order.status)) == OrderStatus.CANCELLED
