"""The farmer's overview: their products with price, stock, approval and stars."""

from datetime import date

import pytest

from shop.catalogue.models import CertificateStatus, OcopCertificate, ProductPhoto
from shop.extensions import db
from shop.producers.models import ApprovalStatus


def test_an_empty_farm_invites_the_first_product(farm):
    page = farm.get("/farm/").text
    assert "You have no products yet." in page
    assert 'href="/farm/products/new"' in page
    assert 'href="/farm/profile"' in page


def test_each_product_shows_price_stock_status_and_stars(farm, farmer, make_product):
    make_product(
        producer=farmer.producer, name="Nước mắm cốt", price_vnd=120_000, stock=25, stars=4
    )
    make_product(
        producer=farmer.producer,
        name="Mắm tép",
        status=ApprovalStatus.REJECTED,
        review_note="Ảnh bị mờ, xin chụp lại",
    )
    make_product(producer=farmer.producer, name="Mắm chua", status=ApprovalStatus.PENDING)
    make_product(producer=farmer.producer, name="Mắm ruốc", is_active=False)

    page = farm.get("/farm/").text
    assert 'My products <span class="muted">(4)</span>' in page
    assert "120.000\u00a0₫" in page
    assert "Stock: 25" in page
    assert "★★★★" in page
    assert "Rejected" in page and "Ảnh bị mờ, xin chụp lại" in page
    assert "Awaiting approval" in page
    assert "Off sale" in page and "Put on sale" in page


def test_a_pending_certificate_shows_no_stars_yet(farm, farmer, make_product):
    product = make_product(producer=farmer.producer)
    product.certificates.append(
        OcopCertificate(
            decision_number="12/QĐ-UBND",
            decision_date=date(2024, 5, 1),
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
            status=CertificateStatus.PENDING,
        )
    )
    db.session.commit()
    page = farm.get("/farm/").text
    assert "★★★★" not in page
    assert "Certificate being checked" in page


def _product_with_photos_and_certificate(make_product, producer, n):
    product = make_product(producer=producer, stars=3)
    product.photos.append(ProductPhoto(filename=f"{n:032x}.jpg"))
    db.session.commit()
    return product


@pytest.mark.both_databases
def test_the_page_costs_the_same_queries_for_one_or_many_products(
    farm, farmer, make_product, count_queries
):
    _product_with_photos_and_certificate(make_product, farmer.producer, 1)
    with count_queries() as one:
        assert farm.get("/farm/").status_code == 200
    for n in range(2, 8):
        _product_with_photos_and_certificate(make_product, farmer.producer, n)
    with count_queries() as seven:
        page = farm.get("/farm/").text
    assert page.count("farm-product-body") == 7
    assert len(seven) == len(one)
