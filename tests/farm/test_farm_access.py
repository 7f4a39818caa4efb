"""Who may use the farm workspace, and that a farmer only ever reaches their own products."""

import pytest

from shop.auth.models import Role
from shop.catalogue.models import Product
from shop.extensions import db
from shop.producers.models import ApprovalStatus

FARM_PAGES = ["/farm/", "/farm/profile", "/farm/products/new"]


@pytest.mark.parametrize("path", FARM_PAGES)
def test_a_visitor_is_sent_to_log_in_first(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.STAFF, Role.ADMIN])
@pytest.mark.parametrize("path", FARM_PAGES)
def test_other_roles_are_not_allowed(client, login, make_user, role, path):
    login(make_user(role=role))
    assert client.get(path).status_code == 403


def test_a_producer_account_without_a_farm_is_not_allowed(client, login, make_user):
    login(make_user(role=Role.PRODUCER))
    assert client.get("/farm/").status_code == 403
    assert client.post("/farm/products/new", data={"name": "x"}).status_code == 403


def test_a_consumer_cannot_post_a_product(client, login, make_user, product_data):
    login(make_user(role=Role.CONSUMER))
    assert client.post("/farm/products/new", data=product_data()).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_a_producer_waiting_for_approval_can_prepare_with_a_clear_banner(
    client, login, make_user, make_producer, product_data
):
    producer = make_producer(status=ApprovalStatus.PENDING)
    login(make_user(role=Role.PRODUCER, producer=producer))

    page = client.get("/farm/").text
    assert "Your farm is awaiting approval." in page
    assert "Nothing is shown in the shop until the cooperative approves your farm." in page

    response = client.post("/farm/products/new", data=product_data())
    assert response.status_code == 302
    assert db.session.scalar(db.select(Product)).producer_id == producer.id


def test_a_rejected_producer_sees_the_review_note(client, login, make_user, make_producer):
    producer = make_producer(
        status=ApprovalStatus.REJECTED, review_note="Thiếu giấy chứng nhận an toàn thực phẩm"
    )
    login(make_user(role=Role.PRODUCER, producer=producer))
    page = client.get("/farm/").text
    assert "The cooperative did not approve your farm." in page
    assert "Thiếu giấy chứng nhận an toàn thực phẩm" in page


def test_an_approved_producer_sees_no_banner(farm):
    page = farm.get("/farm/").text
    assert "awaiting approval" not in page
    assert "did not approve" not in page


@pytest.fixture
def neighbours_product(make_product, make_producer):
    """A product of another farm: its draft and its live product must stay out of reach."""
    return make_product(
        producer=make_producer(name="HTX Chè lam Phủ Quảng"),
        name="Chè lam Phủ Quảng",
        price_vnd=50_000,
        stock=7,
        status=ApprovalStatus.PENDING,
    )


def _unchanged(product: Product, **expected) -> None:
    db.session.expire_all()
    fresh = db.session.get(Product, product.id)
    for key, value in expected.items():
        assert getattr(fresh, key) == value, key


def test_another_farms_product_cannot_be_opened(farm, neighbours_product):
    response = farm.get(f"/farm/products/{neighbours_product.id}/edit")
    assert response.status_code == 404
    assert "Chè lam Phủ Quảng" not in response.text


def test_another_farms_product_cannot_be_edited(farm, neighbours_product, product_data):
    response = farm.post(
        f"/farm/products/{neighbours_product.id}/edit",
        data=product_data(name="Đã bị sửa", price_vnd="1", gtin=""),
    )
    assert response.status_code == 404
    _unchanged(neighbours_product, name="Chè lam Phủ Quảng", price_vnd=50_000, stock=7)


def test_another_farms_product_cannot_be_taken_off_sale(farm, neighbours_product):
    response = farm.post(f"/farm/products/{neighbours_product.id}/deactivate")
    assert response.status_code == 404
    _unchanged(neighbours_product, is_active=True)


def test_another_farms_product_cannot_be_put_on_sale(farm, neighbours_product):
    neighbours_product.is_active = False
    db.session.commit()
    response = farm.post(f"/farm/products/{neighbours_product.id}/activate")
    assert response.status_code == 404
    _unchanged(neighbours_product, is_active=False)


def test_another_farms_products_are_not_listed(farm, neighbours_product, make_product, farmer):
    make_product(producer=farmer.producer, name="Nước mắm cốt")
    page = farm.get("/farm/").text
    assert "Nước mắm cốt" in page
    assert "Chè lam Phủ Quảng" not in page


def test_a_product_that_does_not_exist_is_not_found(farm):
    assert farm.get("/farm/products/999999/edit").status_code == 404
    assert farm.post("/farm/products/999999/deactivate").status_code == 404


def test_products_are_never_deleted_only_taken_off_sale(farm, farmer, make_product):
    product = make_product(producer=farmer.producer)
    assert farm.post(f"/farm/products/{product.id}/delete").status_code in (404, 405)
    assert farm.delete(f"/farm/products/{product.id}/edit").status_code == 405
    assert db.session.get(Product, product.id) is not None
