"""Checkout as a guest or a customer, the order page behind its token, cancelling, my orders."""

import re

import pytest
from sqlalchemy import select

from shop.checkout.cart import Cart
from shop.checkout.models import CartItem, EmailOutbox, Order, OrderStatus
from shop.extensions import db
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider
from shop.places.directory import provinces
from tests.checkout.conftest import CHECKOUT_FORM, order_count, stock_of

pytestmark = pytest.mark.both_databases  # orders placed once, stock, locks


@pytest.fixture
def in_cart(client, make_product, make_batch):
    """A product with a lot, two of it in the client's cart."""
    product = make_product(name="Bánh gai Tứ Trụ", price_vnd=60_000, stock=10)
    make_batch(product, lot="BG10-2611-01", units_left=10)
    client.post("/cart/add", data={"product_id": product.id, "quantity": "2"})
    return product


def form_key(page: str) -> str:
    return re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)


def checkout(client, **changes):
    key = form_key(client.get("/checkout").text)
    return client.post("/checkout", data={**CHECKOUT_FORM, "idempotency_key": key, **changes})


def test_an_empty_cart_goes_back_to_the_cart(client):
    assert client.get("/checkout").location == "/cart"


def test_the_checkout_form_offers_the_34_provinces_and_vietqr(client, in_cart):
    page = client.get("/checkout").text

    select = re.search(r'<select[^>]*name="province".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option (?:selected )?value=\"([^\"]*)\"", select)
    assert sorted(options[1:], key=int) == [
        str(p.code) for p in sorted(provinces(), key=lambda p: p.code)
    ]
    assert len(options) == 35 and options[0] == ""
    commune = re.search(r'<select[^>]*name="commune".*?</select>', page, re.S).group(0)
    assert "Choose the province first" in commune  # filled once a province is chosen
    assert "Since 1 July 2025 Vietnam has 34 provinces" in page
    assert 'value="vietqr"' in page and 'value="stripe"' not in page  # no Stripe keys
    assert "120.000\u00a0₫" in page and 'name="idempotency_key"' in page


def test_a_guest_places_an_order(client, in_cart):
    response = checkout(client)

    order = db.session.scalar(select(Order))
    assert response.status_code == 303
    assert re.fullmatch(rf"/orders/{order.code}\?token=[\w-]+", response.location)
    assert order.user_id is None and order.phone == "0912345678"
    assert order.total_vnd == 120_000 + 20_000
    assert [(line.lot, line.quantity) for line in order.lines] == [("BG10-2611-01", 2)]
    assert stock_of(in_cart.id) == 8
    mail = db.session.scalar(select(EmailOutbox))
    assert mail.sent_at is not None and response.location in mail.body
    page = client.get(response.location).text
    assert order.code in page and "Awaiting payment" in page
    assert client.get("/cart").text.count("Your cart is empty.") == 1


def test_the_delivery_commune_is_stored_with_its_code_and_shown(client, in_cart):
    response = checkout(client, province="38", commune="15520")

    order = db.session.scalar(select(Order))
    assert response.status_code == 303
    assert (order.commune, order.commune_code) == ("Xã Xuân Hòa", 15520)
    assert (order.province, order.province_code) == ("Thanh Hóa", 38)
    assert order.shipping_vnd == 20_000  # Thanh Hóa's own fee, found by code
    assert "Xã Xuân Hòa, Thanh Hóa" in client.get(response.location).text


def test_a_commune_of_another_province_is_refused_and_the_list_follows_the_province(
    client, in_cart
):
    """Without JavaScript: Hà Nội chosen after a Thanh Hóa commune was picked."""
    response = checkout(client, province="Hà Nội", commune="15520")

    assert response.status_code == 400
    page = response.text
    assert "Xã Xuân Hòa is not in Thành phố Hà Nội." in page
    commune = re.search(r'<select[^>]*name="commune".*?</select>', page, re.S).group(0)
    assert "Phường Hoàn Kiếm" in commune and "Xã Xuân Hòa" not in commune
    assert 'value="12 Lê Lợi, phường Hạc Thành"' in page, "nothing typed is lost"
    assert db.session.scalar(select(Order)) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "02373 856 789", "Enter a Vietnamese mobile number"),  # a landline
        ("phone", "12345", "Enter a Vietnamese mobile number"),
        ("phone", "", "Enter a Vietnamese mobile number"),
        ("province", "Tỉnh Không Có", "Choose one of Vietnam's 34 provinces and cities."),
        ("province", "Hà Tây", "Choose one of Vietnam's 34 provinces and cities."),
        ("province", "", "Choose the province or city."),
        ("email", "hoa@", "Enter an e-mail address like ten@example.vn."),
        ("name", "   ", "Enter the name of the person who receives the parcel."),
        ("address", "x" * 301, "Use at most 300 characters."),
        ("payment_method", "stripe", "Choose how you will pay."),
        ("payment_method", "cash", "Choose how you will pay."),
        ("idempotency_key", "<script>", "Please reload the page."),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, in_cart, field, value, message):
    response = checkout(client, **{field: value, "note": "Giao giờ hành chính\x00"})

    assert response.status_code == 400
    assert message in response.text
    assert "Giao giờ hành chính" in response.text  # the note, without its NUL
    assert field == "name" or "Lê Thị Hoa" in response.text
    assert order_count() == 0 and stock_of(in_cart.id) == 10


def test_a_phone_written_the_international_way_is_stored_the_domestic_way(client, in_cart):
    checkout(client, phone="+84 912-345-678")
    assert db.session.scalar(select(Order.phone)) == "0912345678"


def test_a_double_click_places_one_order(client, in_cart):
    key = form_key(client.get("/checkout").text)
    data = {**CHECKOUT_FORM, "idempotency_key": key}

    first = client.post("/checkout", data=data)
    second = client.post("/checkout", data=data)

    assert order_count() == 1 and stock_of(in_cart.id) == 8
    assert second.status_code == 303 and second.location == first.location


def test_a_double_click_by_a_customer_places_one_order(client, login, make_user, make_product):
    user = make_user()
    login(user)
    product = make_product(stock=5)
    client.post("/cart/add", data={"product_id": product.id, "quantity": "1"})
    key = form_key(client.get("/checkout").text)
    data = {**CHECKOUT_FORM, "idempotency_key": key}

    first = client.post("/checkout", data=data)
    second = client.post("/checkout", data=data)  # the cart is empty by now

    assert first.location == second.location and order_count() == 1
    assert db.session.scalar(select(Order.user_id)) == user.id
    assert db.session.scalars(select(CartItem)).all() == []


def test_stock_gone_while_paying_is_a_clear_409(client, in_cart, monkeypatch):
    in_cart.stock = 1  # someone bought the rest a moment ago
    db.session.commit()
    monkeypatch.setattr(Cart, "has_problems", property(lambda self: False))  # the race

    response = checkout(client)

    assert response.status_code == 409
    assert "Only 1 of “Bánh gai Tứ Trụ” are left; you asked for 2." in response.text
    assert "12 Lê Lợi" in response.text  # the form is kept
    assert order_count() == 0 and stock_of(in_cart.id) == 1


def test_a_tampered_price_changes_nothing(client, in_cart):
    checkout(client, price_vnd="1", total_vnd="1", unit_price_vnd="1")
    assert db.session.scalar(select(Order.subtotal_vnd)) == 120_000


def test_a_customer_is_not_asked_twice(client, login, make_user, make_product, place):
    user = make_user(name="Nguyễn Thị Mai", email="mai@example.vn", phone="0987654321")
    login(user)
    product = make_product()
    client.post("/cart/add", data={"product_id": product.id, "quantity": "1"})

    first_time = client.get("/checkout").text
    assert "Nguyễn Thị Mai" in first_time and "mai@example.vn" in first_time
    assert "0987654321" in first_time

    from tests.checkout.conftest import CUSTOMER

    place(
        [(product.id, 1)],
        user=user,
        customer=CUSTOMER.__class__(
            **{**CUSTOMER.__dict__, "address": "5 Trần Phú, phường Hàm Rồng", "province": "Huế"}
        ),
    )
    again = client.get("/checkout").text
    assert "5 Trần Phú, phường Hàm Rồng" in again
    assert '<option selected value="46">Thành phố Huế</option>' in again
    assert "35.000\u00a0₫" in again  # the shipping fee to Huế is shown at once


def test_the_order_page_needs_the_token(client, in_cart):
    location = checkout(client).location
    code = db.session.scalar(select(Order.code))

    assert client.get(location).status_code == 200
    assert client.get(f"/orders/{code}").status_code == 404
    assert client.get(f"/orders/{code}?token=guess").status_code == 404
    assert client.get("/orders/DHNOTHERE2?token=x").status_code == 404
    response = client.get(location)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_order_page_shows_lots_with_their_origin_and_the_payment(client, in_cart):
    page = client.get(checkout(client).location).text
    order = db.session.scalar(select(Order))

    assert f'href="/01/{in_cart.gtin}/10/BG10-2611-01"' in page
    assert "Bánh gai Tứ Trụ" in page and "140.000\u00a0₫" in page
    assert "VietQR" in page and order.code in page
    assert "12 Lê Lợi, phường Hạc Thành, Thanh Hóa" in page


def test_the_owner_sees_their_order_without_the_token_others_do_not(
    client, login, make_user, make_product, place
):
    owner, stranger = make_user(), make_user()
    order, _ = place([(make_product().id, 1)], user=owner)

    login(stranger)
    assert client.get(f"/orders/{order.code}").status_code == 404
    login(owner)
    assert client.get(f"/orders/{order.code}").status_code == 200


def test_a_customer_cancels_an_unpaid_order(client, in_cart):
    location = checkout(client).location
    order = db.session.scalar(select(Order))
    token = location.split("token=")[1]

    response = client.post(f"/orders/{order.code}/cancel", data={"token": token})

    assert response.status_code == 303
    db.session.expire_all()
    assert order.status == OrderStatus.CANCELLED and stock_of(in_cart.id) == 10
    page = client.get(response.location).text
    assert "is cancelled" in page and "Cancel this order" not in page


def test_cancelling_needs_the_token_and_an_unpaid_order(client, in_cart):
    location = checkout(client).location
    order = db.session.scalar(select(Order))
    token = location.split("token=")[1]

    assert client.post(f"/orders/{order.code}/cancel", data={"token": "x"}).status_code == 404
    apply_payment(order, provider=Provider.MANUAL, reference="FT9", amount_vnd=order.total_vnd)
    db.session.commit()
    response = client.post(
        f"/orders/{order.code}/cancel", data={"token": token}, follow_redirects=True
    )
    assert "can no longer be cancelled here" in response.text
    assert db.session.scalar(select(Order.status)) == OrderStatus.PAID


def test_my_orders_lists_only_mine(client, login, make_user, make_product, place):
    me, other = make_user(), make_user()
    product = make_product(stock=10)
    mine, _ = place([(product.id, 2)], user=me)
    theirs, _ = place([(product.id, 1)], user=other)

    assert client.get("/account/orders").status_code == 302  # log in first
    login(me)
    page = client.get("/account/orders").text
    assert mine.code in page and theirs.code not in page
    assert f'href="/orders/{mine.code}"' in page and "2 items" in page


def test_a_database_too_busy_to_lock_keeps_the_form(client, in_cart, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from shop.checkout import views

    def locked(*args, **kwargs):
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    monkeypatch.setattr(views, "place_order", locked)
    response = checkout(client)

    assert response.status_code == 503
    assert "very busy" in response.text and "Lê Thị Hoa" in response.text
    assert order_count() == 0
