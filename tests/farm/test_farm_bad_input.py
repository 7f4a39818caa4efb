"""Whatever a farmer (or a bot) types, the answer is a form that explains, never a 500."""

import pytest
from sqlalchemy import select

from shop.catalogue.models import Product
from shop.extensions import db

pytestmark = pytest.mark.both_databases  # numbers and ids beyond what a column holds

KEPT = {
    "name": 'value="Nước mắm Ba Làng 40 độ đạm"',
    "description": "Cá cơm ủ chượp 12 tháng trong thùng gỗ.",
    "gtin": 'value="8931234567897"',
    "unit": 'value="chai"',
    "price_vnd": 'value="120.000"',
    "stock": 'value="25"',
}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("gtin", "8931234567890", "Check digit is wrong: the last digit should be 7"),
        ("gtin", "08931234567891", "Check digit is wrong: the last digit should be 7"),
        ("gtin", "89312345678AB", "A barcode number has digits only."),
        ("gtin", "８９３１２３４５６７８９７", "A barcode number has digits only."),
        ("gtin", "893123456", "A barcode number has 8, 12, 13 or 14 digits."),
        ("price_vnd", "-5", "This cannot be negative."),
        ("price_vnd", "-120.000", "This cannot be negative."),
        ("price_vnd", "abc", "Enter a whole number, for example 120000 or 120.000."),
        ("price_vnd", "12.5", "Enter a whole number, for example 120000 or 120.000."),
        ("price_vnd", "1e9", "Enter a whole number, for example 120000 or 120.000."),
        ("price_vnd", "100.000.001", "Enter a number from 0 to 100.000.000."),
        ("price_vnd", "9" * 5000, "Enter a whole number, for example 120000 or 120.000."),
        ("price_vnd", "", "Enter the price."),
        ("stock", str(10**12), "Enter a number from 0 to 1,000,000."),
        ("stock", "-1", "This cannot be negative."),
        ("stock", "", "Enter how many you have."),
        ("shelf_life_days", "0", "Enter a number from 1 to 3,650."),
        ("net_quantity", "1.5", "Enter a whole number, for example 120000 or 120.000."),
        ("name", "", "This field is required."),
        ("name", "Đ" * 5000, "Field must be between 2 and 160 characters long."),
        ("description", "mắm " * 2000, "Field cannot be longer than 5000 characters."),
        ("unit", "", "Say how it is sold, for example chai, hộp or kg."),
        ("unit", "hũ" * 100, "Field cannot be longer than 40 characters."),
        ("ocop_group", "spaceship", "Not a valid choice."),
        ("net_quantity_unit", "furlong", "Not a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_that_keeps_what_was_typed(
    farm, product_data, field, typed, message
):
    data = product_data(**{field: typed})
    response = farm.post("/farm/products/new", data=data)
    assert response.status_code == 400
    assert message in response.text
    for other, shown in KEPT.items():
        if other != field:
            assert shown in response.text, f"{other} was lost"
    assert db.session.scalar(select(db.func.count(Product.id))) == 0


def test_the_bad_value_itself_is_shown_back_to_be_corrected(farm, product_data):
    response = farm.post(
        "/farm/products/new", data=product_data(price_vnd="12o.000", gtin="8931234567890")
    )
    assert response.status_code == 400
    assert 'value="12o.000"' in response.text
    assert 'value="8931234567890"' in response.text
    assert 'value="Nước mắm Ba Làng 40 độ đạm"' in response.text
    assert 'value="25"' in response.text
    assert "Cá cơm ủ chượp 12 tháng trong thùng gỗ." in response.text


def test_a_quantity_needs_its_unit(farm, product_data):
    response = farm.post("/farm/products/new", data=product_data(net_quantity_unit=""))
    assert response.status_code == 400
    assert "Choose the unit of the net quantity." in response.text


def test_an_empty_post_is_a_form_with_errors(farm):
    response = farm.post("/farm/products/new", data={})
    assert response.status_code == 400
    assert "Enter the price." in response.text


def test_an_edit_with_bad_input_changes_nothing(farm, farmer, make_product, product_data):
    product = make_product(producer=farmer.producer, gtin="08931234567897", price_vnd=90_000)
    response = farm.post(
        f"/farm/products/{product.id}/edit", data=product_data(name="Tên mới", price_vnd="-1")
    )
    assert response.status_code == 400
    assert 'value="Tên mới"' in response.text
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.price_vnd == 90_000
    assert product.name != "Tên mới"


@pytest.mark.parametrize("product_id", ["abc", "-1", "99999999999999999999"])
def test_odd_product_addresses_are_not_found(farm, product_id):
    assert farm.get(f"/farm/products/{product_id}/edit").status_code == 404
