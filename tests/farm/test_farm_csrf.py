"""With CSRF protection on (as in production), a farm form only counts with its token."""

import re

import pytest
from sqlalchemy import select

from shop.catalogue.models import Product
from shop.extensions import db


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_product_posted_without_the_token_is_refused(farm, product_data):
    response = farm.post("/farm/products/new", data=product_data())
    assert response.status_code == 400
    assert "Your form expired or was sent from elsewhere." in response.text
    assert db.session.scalar(select(db.func.count(Product.id))) == 0


def test_a_product_posted_with_the_token_is_saved(farm, product_data):
    token = _token(farm.get("/farm/products/new").text)
    response = farm.post("/farm/products/new", data=product_data(csrf_token=token))
    assert response.status_code == 302
    assert db.session.scalar(select(db.func.count(Product.id))) == 1


def test_taking_off_sale_without_the_token_changes_nothing(farm, farmer, make_product):
    product = make_product(producer=farmer.producer)
    assert farm.post(f"/farm/products/{product.id}/deactivate").status_code == 400
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is True

    page = farm.get("/farm/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = farm.post(f"/farm/products/{product.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is False


def test_an_edit_without_the_token_changes_nothing(farm, farmer, make_product, product_data):
    product = make_product(producer=farmer.producer, price_vnd=90_000)
    response = farm.post(f"/farm/products/{product.id}/edit", data=product_data(price_vnd="1"))
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Product, product.id).price_vnd == 90_000


def test_the_profile_without_the_token_changes_nothing(farm, farmer):
    response = farm.post("/farm/profile", data={"name": "Tên giả mạo", "phone": "0912345678"})
    assert response.status_code == 400
    db.session.expire_all()
    assert farmer.producer.name == "HTX Nước mắm Ba Làng"
