"""A consumer opens a product: photos, price, stock, OCOP certificate and who made it."""

from datetime import date, timedelta

import pytest

from shop.auth.models import Role
from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    ProductPhoto,
    QuantityUnit,
    add_months,
)
from shop.extensions import db
from shop.producers.models import ApprovalStatus


def test_product_page_shows_what_a_buyer_needs(client, make_producer, make_product):
    producer = make_producer(
        name="HTX Nước mắm Ba Làng",
        slug="ba-lang",
        commune="Phường Tĩnh Gia",
        commune_code=16561,
        district="Nghi Sơn",
        story="Làng nghề nước mắm hơn 100 năm bên bờ biển.",
    )
    product = make_product(
        producer=producer,
        name="Nước mắm cốt nhĩ",
        slug="nuoc-mam-cot-nhi",
        description="Cá cơm ủ chượp 12 tháng.\nKhông chất bảo quản.",
        price_vnd=185_000,
        unit="chai",
        net_quantity=500,
        net_quantity_unit=QuantityUnit.MILLILITRE,
        gtin="08931234567897",
        stock=40,
    )
    product.photos.extend(
        [ProductPhoto(filename="one.jpg", position=0), ProductPhoto(filename="two.jpg", position=1)]
    )
    db.session.commit()

    response = client.get("/products/nuoc-mam-cot-nhi")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Nước mắm cốt nhĩ</h1>" in page
    assert "185.000\u00a0₫" in page
    assert "/ chai · 500 ml" in page
    assert "In stock" in page
    assert "<p>Cá cơm ủ chượp 12 tháng.</p>" in page
    assert "<p>Không chất bảo quản.</p>" in page
    assert page.index("/media/one.jpg") < page.index("/media/two.jpg")
    assert '<dd class="gtin">8931234567897</dd>' in page, "printed as GTIN-13"
    assert "HTX Nước mắm Ba Làng" in page
    assert "Phường Tĩnh Gia, Thanh Hóa" in page and "(formerly: Nghi Sơn)" in page
    assert "Làng nghề nước mắm hơn 100 năm" in page
    assert 'href="/producers/ba-lang"' in page


@pytest.mark.parametrize(
    ("stock", "text"), [(0, "Out of stock"), (3, "Only 3 left"), (11, "In stock")]
)
def test_stock_status(client, make_product, stock, text):
    product = make_product(stock=stock)

    assert text in client.get(f"/products/{product.slug}").get_data(as_text=True)


def test_a_product_without_photos_gets_a_placeholder(client, make_product):
    product = make_product()

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)

    assert "gallery-placeholder" in page
    assert "/media/" not in page


def test_a_current_provincial_certificate(client, make_product):
    product = make_product(stars=4)
    cert = product.certificates[0]

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)

    assert "★★★★<" in page
    assert "4-star OCOP product" in page
    assert cert.decision_number in page
    assert cert.decision_date.strftime("%d/%m/%Y") in page
    assert "UBND tỉnh Thanh Hóa" in page
    assert "provincial People's Committee" in page or "provincial People&#39;s Committee" in page
    assert f"Valid until</dt><dd>{cert.expires_on:%d/%m/%Y}" in page


def test_a_five_star_certificate_is_the_ministry_s(client, make_product):
    product = make_product()
    product.certificates.append(
        OcopCertificate(
            decision_number="1234/QĐ-BNN-KTHT",
            decision_date=date.today() - timedelta(days=30),
            issuer="Bộ Nông nghiệp và Phát triển nông thôn",
            stars=5,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)

    assert "★★★★★" in page
    assert "Bộ Nông nghiệp và Phát triển nông thôn" in page
    assert "decided by the Ministry" in page


def test_a_lapsed_certificate_is_said_plainly_without_stars(client, make_product):
    product = make_product()
    decided = add_months(date.today(), -40)
    product.certificates.append(
        OcopCertificate(
            decision_number="88/QĐ-UBND",
            decision_date=decided,
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)

    assert "★" not in page
    assert "88/QĐ-UBND" in page
    assert f"expired on {add_months(decided, 36):%d/%m/%Y}" in page
    assert "no longer shown as current" in page


def test_an_unverified_certificate_is_not_shown(client, make_product):
    product = make_product()
    product.certificates.append(
        OcopCertificate(
            decision_number="99/QĐ-UBND",
            decision_date=date.today(),
            issuer="UBND tỉnh Thanh Hóa",
            stars=5,
            status=CertificateStatus.PENDING,
        )
    )
    db.session.commit()

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)

    assert "★" not in page
    assert "99/QĐ-UBND" not in page
    assert "no current OCOP certificate" in page


@pytest.mark.parametrize("slug", ["khong-co", "a%00b", "x" * 500, "%C4%91%E1%BA%ADu"])
def test_an_unknown_slug_is_a_friendly_404(client, slug):
    response = client.get(f"/products/{slug}")

    assert response.status_code == 404
    assert "Back to the catalogue" in response.get_data(as_text=True)


@pytest.fixture(params=["pending", "inactive", "producer pending"])
def unlisted_product(request, make_producer, make_product):
    if request.param == "pending":
        return make_product(status=ApprovalStatus.PENDING)
    if request.param == "inactive":
        return make_product(is_active=False)
    return make_product(producer=make_producer(status=ApprovalStatus.PENDING))


def test_an_unlisted_product_is_a_404_for_visitors(client, unlisted_product):
    assert client.get(f"/products/{unlisted_product.slug}").status_code == 404


def test_an_unlisted_product_is_a_404_for_another_producer_and_a_consumer(
    client, login, make_user, make_producer, unlisted_product
):
    login(make_user(role=Role.PRODUCER, producer=make_producer()))
    assert client.get(f"/products/{unlisted_product.slug}").status_code == 404

    login(make_user(role=Role.CONSUMER))
    assert client.get(f"/products/{unlisted_product.slug}").status_code == 404


def test_its_producer_previews_an_unlisted_product(client, login, make_user, unlisted_product):
    login(make_user(role=Role.PRODUCER, producer=unlisted_product.producer))

    response = client.get(f"/products/{unlisted_product.slug}")

    assert response.status_code == 200
    assert "Not listed yet." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_preview_an_unlisted_product(client, login, make_user, unlisted_product, role):
    login(make_user(role=role))

    response = client.get(f"/products/{unlisted_product.slug}")

    assert response.status_code == 200
    assert "Not listed yet." in response.get_data(as_text=True)


def test_a_listed_product_has_no_preview_notice(client, login, make_user, make_product):
    product = make_product()
    login(make_user(role=Role.STAFF))

    assert "Not listed yet." not in client.get(f"/products/{product.slug}").get_data(as_text=True)
