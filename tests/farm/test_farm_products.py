"""A farmer adds and edits products: GTIN, price as Vietnamese type it, approval, on/off sale."""

import pytest
from sqlalchemy import select

from shop.catalogue.models import OcopGroup, Product, QuantityUnit
from shop.extensions import db
from shop.producers.models import ApprovalStatus
from tests.conftest import make_gtin

pytestmark = pytest.mark.both_databases  # unique GTINs and slugs are constraints


def _only_product() -> Product:
    db.session.expire_all()
    return db.session.scalars(select(Product)).one()


def test_a_new_product_waits_for_approval(farm, farmer, product_data):
    response = farm.post("/farm/products/new", data=product_data())
    assert response.status_code == 302
    assert response.headers["Location"] == "/farm/"

    product = _only_product()
    assert product.producer_id == farmer.producer_id
    assert product.status == ApprovalStatus.PENDING
    assert product.slug == "nuoc-mam-ba-lang-40-do-dam"
    assert product.gtin == "08931234567897"
    assert product.ocop_group == OcopGroup.FOOD
    assert (product.unit, product.net_quantity, product.net_quantity_unit) == (
        "chai",
        500,
        QuantityUnit.MILLILITRE,
    )
    assert (product.price_vnd, product.stock, product.shelf_life_days) == (120_000, 25, 720)
    assert product.is_active
    assert "Product saved." in farm.get("/farm/").text


@pytest.mark.parametrize(
    ("typed", "dong"),
    [
        ("120.000", 120_000),
        ("120000", 120_000),
        ("120,000", 120_000),
        ("120 000 ₫", 120_000),
        ("120.000đ", 120_000),
        ("120k", 120_000),
        ("1.250.000", 1_250_000),
        ("0", 0),
    ],
)
def test_prices_are_read_as_vietnamese_type_them(farm, product_data, typed, dong):
    assert farm.post("/farm/products/new", data=product_data(price_vnd=typed)).status_code == 302
    assert _only_product().price_vnd == dong


def test_gtin_with_spaces_and_in_any_length_is_stored_as_14_digits(farm, product_data):
    farm.post("/farm/products/new", data=product_data(gtin=" 893 1234 567897 "))
    assert _only_product().gtin == "08931234567897"


def test_a_tourism_service_needs_no_gtin(farm, product_data):
    data = product_data(
        name="Homestay Pù Luông 1 đêm",
        ocop_group="tourism",
        gtin="",
        unit="suất",
        net_quantity="",
        shelf_life_days="",
    )
    assert farm.post("/farm/products/new", data=data).status_code == 302
    product = _only_product()
    assert product.gtin is None
    assert product.net_quantity is None and product.net_quantity_unit is None
    assert product.shelf_life_days is None


def test_a_food_product_needs_a_gtin(farm, product_data):
    response = farm.post("/farm/products/new", data=product_data(gtin=""))
    assert response.status_code == 400
    assert "Enter the barcode number printed under the barcode." in response.text


def test_a_gtin_used_by_another_product_is_a_form_error(farm, product_data, make_product):
    make_product(gtin="08931234567897")
    response = farm.post("/farm/products/new", data=product_data(gtin="8931234567897"))
    assert response.status_code == 400
    assert "Another product in the shop already has this barcode number." in response.text
    assert db.session.scalar(select(db.func.count(Product.id))) == 1


def test_two_products_with_the_same_name_get_distinct_slugs(farm, product_data):
    farm.post("/farm/products/new", data=product_data(gtin=make_gtin(1)))
    farm.post("/farm/products/new", data=product_data(gtin=make_gtin(2)))
    farm.post("/farm/products/new", data=product_data(gtin=make_gtin(3)))
    slugs = db.session.scalars(select(Product.slug).order_by(Product.id)).all()
    base = "nuoc-mam-ba-lang-40-do-dam"
    assert slugs == [base, f"{base}-2", f"{base}-3"]


def test_the_edit_form_shows_what_is_stored(farm, farmer, make_product):
    product = make_product(producer=farmer.producer, gtin="08931234567897", price_vnd=85_000)
    page = farm.get(f"/farm/products/{product.id}/edit").text
    assert 'value="8931234567897"' in page
    assert 'value="85000"' in page
    assert 'name="is_active" type="checkbox" value="y"' in page and "checked" in page


def test_editing_an_approved_product_keeps_it_approved(farm, farmer, make_product, product_data):
    product = make_product(producer=farmer.producer, gtin="08931234567897", slug="nuoc-mam-cu")
    response = farm.post(
        f"/farm/products/{product.id}/edit",
        data=product_data(name="Nước mắm Ba Làng loại đặc biệt", price_vnd="135.000"),
    )
    assert response.status_code == 302
    product = _only_product()
    assert product.status == ApprovalStatus.APPROVED
    assert product.price_vnd == 135_000
    assert product.name == "Nước mắm Ba Làng loại đặc biệt"
    assert product.slug == "nuoc-mam-cu", "a product's address never changes"


def test_a_new_gtin_sends_an_approved_product_back_for_approval(
    farm, farmer, make_product, product_data
):
    product = make_product(producer=farmer.producer, gtin=make_gtin(77))
    farm.post(f"/farm/products/{product.id}/edit", data=product_data(gtin="8931234567897"))
    product = _only_product()
    assert product.gtin == "08931234567897"
    assert product.status == ApprovalStatus.PENDING


def test_a_rejected_product_goes_back_for_review_when_corrected(
    farm, farmer, make_product, product_data
):
    product = make_product(
        producer=farmer.producer, gtin="08931234567897", status=ApprovalStatus.REJECTED
    )
    farm.post(f"/farm/products/{product.id}/edit", data=product_data())
    assert _only_product().status == ApprovalStatus.PENDING


def test_a_product_keeps_its_own_gtin_when_edited(farm, farmer, make_product, product_data):
    product = make_product(producer=farmer.producer, gtin="08931234567897")
    response = farm.post(f"/farm/products/{product.id}/edit", data=product_data(stock="3"))
    assert response.status_code == 302
    assert _only_product().stock == 3


def test_unticking_on_sale_saves_the_product_off_sale(farm, product_data):
    farm.post("/farm/products/new", data=product_data(is_active=None))
    assert _only_product().is_active is False


def test_a_product_is_taken_off_sale_and_put_back(farm, farmer, make_product):
    product = make_product(producer=farmer.producer)
    response = farm.post(f"/farm/products/{product.id}/deactivate")
    assert response.status_code == 302
    assert _only_product().is_active is False
    assert "Put on sale" in farm.get("/farm/").text

    farm.post(f"/farm/products/{product.id}/activate")
    assert _only_product().is_active is True
    assert _only_product().status == ApprovalStatus.APPROVED


def test_switching_sale_needs_a_post(farm, farmer, make_product):
    product = make_product(producer=farmer.producer)
    assert farm.get(f"/farm/products/{product.id}/deactivate").status_code == 405
    assert _only_product().is_active is True
