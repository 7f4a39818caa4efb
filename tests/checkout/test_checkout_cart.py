"""The cart: add from the product page, change, remove; a guest's cart follows them in."""

import pytest
from sqlalchemy import select

from shop.checkout.cart import MAX_LINES
from shop.checkout.models import CartItem
from shop.extensions import db
from shop.producers.models import ApprovalStatus
from tests.conftest import PASSWORD


def cart_rows(user) -> dict[int, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(CartItem.product_id, CartItem.quantity).where(CartItem.user_id == user.id)
    )
    return {row.product_id: row.quantity for row in rows}


def session_cart(client) -> dict:
    with client.session_transaction() as session:
        return {str(pid): quantity for pid, quantity in session.get("cart") or []}


def test_the_product_page_has_an_add_to_cart_form(client, make_product):
    product = make_product(slug="nem-chua", stock=4)
    page = client.get("/products/nem-chua").text
    assert 'action="/cart/add"' in page and f'value="{product.id}"' in page


def test_sold_out_products_have_no_add_to_cart_form(client, make_product):
    make_product(slug="gio-bo", stock=0)
    assert 'action="/cart/add"' not in client.get("/products/gio-bo").text


def test_a_guest_adds_products_from_several_producers(client, make_product, make_producer):
    nem = make_product(
        name="Nem chua", price_vnd=45_000, producer=make_producer(name="HTX Nem Vĩnh Lộc")
    )
    mat_ong = make_product(
        name="Mật ong", price_vnd=180_000, producer=make_producer(name="HTX Ong Như Xuân")
    )

    response = client.post("/cart/add", data={"product_id": nem.id, "quantity": "2"})
    client.post("/cart/add", data={"product_id": mat_ong.id, "quantity": "1"})
    client.post("/cart/add", data={"product_id": nem.id, "quantity": "1"})

    assert response.status_code == 303 and response.location == "/cart"
    assert session_cart(client) == {str(nem.id): 3, str(mat_ong.id): 1}
    page = client.get("/cart").text
    assert "HTX Nem Vĩnh Lộc" in page and "HTX Ong Như Xuân" in page
    assert "From 2 producers" in page
    assert "135.000\u00a0₫" in page and "180.000\u00a0₫" in page
    assert "315.000\u00a0₫" in page  # items together
    assert 'href="/checkout"' in page


def test_an_empty_cart_says_so(client):
    page = client.get("/cart").text
    assert "Your cart is empty." in page and 'href="/checkout"' not in page


@pytest.mark.parametrize("quantity", ["0", "-1", "1000000000", "abc", "", "1.5", "٣", " "])
def test_bad_quantities_are_explained(client, make_product, quantity):
    product = make_product()
    response = client.post("/cart/add", data={"product_id": product.id, "quantity": quantity})
    assert response.status_code == 400
    assert "Enter a quantity from 1 to 999." in response.text
    assert session_cart(client) == {}


@pytest.mark.both_databases
@pytest.mark.parametrize("product_id", ["", "abc", "-4", "0", "99999999999999", "1e3"])
def test_bad_product_ids_are_explained(client, product_id):
    response = client.post("/cart/add", data={"product_id": product_id, "quantity": "1"})
    assert response.status_code == 400 and "This product is not on sale." in response.text


@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"status": ApprovalStatus.PENDING}, {"stock": 0}],
    ids=["hidden", "unlisted", "sold-out"],
)
def test_products_not_on_sale_are_refused(client, make_product, change):
    product = make_product(name="Chè lam", **change)
    response = client.post("/cart/add", data={"product_id": product.id, "quantity": "1"})
    assert response.status_code == 409
    assert "not on sale" in response.text or "“Chè lam” is sold out." in response.text
    assert session_cart(client) == {}


def test_an_unknown_product_is_refused(client):
    response = client.post("/cart/add", data={"product_id": "424242", "quantity": "1"})
    assert response.status_code == 409 and "This product is not on sale." in response.text


def test_quantities_are_capped_by_the_stock(client, make_product):
    product = make_product(name="Giò bò", stock=3)

    response = client.post(
        "/cart/add", data={"product_id": product.id, "quantity": "5"}, follow_redirects=True
    )

    assert "Only 3 of “Giò bò” can be ordered; your cart now holds 3." in response.text
    assert session_cart(client) == {str(product.id): 3}


def test_plus_minus_and_a_typed_quantity(client, make_product):
    product = make_product(stock=10)
    client.post("/cart/add", data={"product_id": product.id, "quantity": "2"})

    client.post("/cart/update", data={"product_id": product.id, "quantity": "2", "step": "1"})
    assert session_cart(client) == {str(product.id): 3}
    client.post("/cart/update", data={"product_id": product.id, "quantity": "3", "step": "-1"})
    assert session_cart(client) == {str(product.id): 2}
    client.post("/cart/update", data={"product_id": product.id, "quantity": "7"})
    assert session_cart(client) == {str(product.id): 7}
    client.post("/cart/update", data={"product_id": product.id, "quantity": "1", "step": "-1"})
    assert session_cart(client) == {}


@pytest.mark.parametrize(
    "data",
    [{"quantity": "abc"}, {"quantity": "-1"}, {"quantity": "2", "step": "5"}],
    ids=["letters", "negative", "big-step"],
)
def test_bad_updates_are_explained(client, make_product, data):
    product = make_product()
    client.post("/cart/add", data={"product_id": product.id, "quantity": "2"})
    response = client.post("/cart/update", data={"product_id": product.id, **data})
    assert response.status_code == 400
    assert session_cart(client) == {str(product.id): 2}


def test_updating_a_product_not_in_the_cart_is_refused(client, make_product):
    product = make_product()
    response = client.post("/cart/update", data={"product_id": product.id, "quantity": "2"})
    assert response.status_code == 409 and "not in your cart" in response.text


def test_remove(client, make_product):
    product = make_product()
    client.post("/cart/add", data={"product_id": product.id, "quantity": "2"})
    response = client.post("/cart/remove", data={"product_id": product.id})
    assert response.status_code == 303 and session_cart(client) == {}


def test_a_product_that_sold_out_since_is_flagged_and_blocks_checkout(client, make_product):
    product = make_product(name="Cá thu một nắng", stock=5)
    client.post("/cart/add", data={"product_id": product.id, "quantity": "4"})
    product.stock = 2
    db.session.commit()

    page = client.get("/cart").text
    assert "Only 2 left: please lower the quantity." in page
    assert 'href="/checkout"' not in page
    assert client.get("/checkout").location == "/cart"


def test_the_cart_has_a_size_limit(client, make_product):
    for _ in range(MAX_LINES):
        client.post("/cart/add", data={"product_id": make_product().id, "quantity": "1"})
    response = client.post("/cart/add", data={"product_id": make_product().id, "quantity": "1"})
    assert response.status_code == 409 and "Your cart is full" in response.text


@pytest.mark.both_databases
def test_a_customers_cart_is_kept_in_the_database(client, login, make_user, make_product):
    user = make_user()
    product = make_product(stock=8)
    login(user)

    client.post("/cart/add", data={"product_id": product.id, "quantity": "2"})
    client.post("/cart/update", data={"product_id": product.id, "quantity": "2", "step": "1"})

    assert cart_rows(user) == {product.id: 3} and session_cart(client) == {}
    assert product.name in client.get("/cart").text
    client.post("/cart/remove", data={"product_id": product.id})
    assert cart_rows(user) == {}


@pytest.mark.both_databases
def test_logging_in_merges_the_guest_cart_capped_by_stock(client, make_user, make_product):
    user = make_user(email="hoa@example.vn")
    both = make_product(stock=5)
    only_guest = make_product(stock=9)
    gone = make_product(stock=9)
    db.session.add(CartItem(user_id=user.id, product_id=both.id, quantity=3))
    db.session.commit()
    for product, quantity in ((both, 4), (only_guest, 2), (gone, 1)):
        client.post("/cart/add", data={"product_id": product.id, "quantity": str(quantity)})
    gone.is_active = False
    db.session.commit()

    response = client.post("/auth/login", data={"email": "hoa@example.vn", "password": PASSWORD})

    assert response.status_code == 302
    assert cart_rows(user) == {both.id: 5, only_guest.id: 2}  # 3 + 4 capped at the stock of 5
    assert session_cart(client) == {}


def test_the_cart_count_is_available_to_templates(app, client, make_product):
    product = make_product()
    client.post("/cart/add", data={"product_id": product.id, "quantity": "3"})
    with client.session_transaction() as session:
        cart = session["cart"]

    with app.test_request_context():
        from flask import render_template_string, session

        session["cart"] = cart
        assert render_template_string("{{ cart_units() }}") == "3"


@pytest.mark.both_databases
def test_the_cart_keeps_the_order_things_were_added_in(client, make_product):
    products = [make_product(name=f"Sản phẩm số {n}") for n in range(12)]
    for product in reversed(products):
        client.post("/cart/add", data={"product_id": product.id, "quantity": "1"})

    page = client.get("/cart").text

    positions = [page.index(f"Sản phẩm số {n}<") for n in range(12)]
    assert positions == sorted(positions, reverse=True)
