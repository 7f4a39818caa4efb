"""The OCOP certificate a farmer copies from the decision: complete, consistent, then checked."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shop.catalogue.models import CertificateStatus, OcopCertificate, Product
from shop.extensions import db

PROVINCE = "UBND tỉnh Thanh Hóa"
MINISTRY = "Bộ Nông nghiệp và Môi trường"


@pytest.fixture
def with_certificate(product_data):
    def _data(**overrides):
        certificate = {
            "cert_number": "1234/QĐ-UBND",
            "cert_date": "2024-03-15",
            "cert_issuer": PROVINCE,
            "cert_stars": "4",
            "cert_score": "75",
        }
        certificate.update(overrides)
        return product_data(**certificate)

    return _data


def test_a_certificate_is_recorded_for_the_cooperative_to_verify(farm, with_certificate):
    response = farm.post("/farm/products/new", data=with_certificate())
    assert response.status_code == 302
    certificate = db.session.scalars(select(OcopCertificate)).one()
    assert certificate.decision_number == "1234/QĐ-UBND"
    assert certificate.decision_date == date(2024, 3, 15)
    assert certificate.issuer == PROVINCE
    assert (certificate.stars, certificate.score) == (4, 75)
    assert certificate.status == CertificateStatus.PENDING
    assert certificate.expires_on == date(2027, 3, 15)
    assert db.session.scalars(select(Product)).one().ocop_stars is None


def test_a_five_star_certificate_from_the_ministry(farm, with_certificate):
    data = with_certificate(cert_stars="5", cert_issuer=MINISTRY, cert_score="92")
    assert farm.post("/farm/products/new", data=data).status_code == 302
    assert db.session.scalars(select(OcopCertificate)).one().stars == 5


def test_the_date_may_be_typed_day_first(farm, with_certificate):
    farm.post("/farm/products/new", data=with_certificate(cert_date="15/03/2024"))
    assert db.session.scalars(select(OcopCertificate)).one().decision_date == date(2024, 3, 15)


def test_without_a_certificate_none_is_recorded(farm, product_data):
    farm.post("/farm/products/new", data=product_data(cert_issuer="", cert_stars=""))
    assert db.session.scalar(select(db.func.count(OcopCertificate.id))) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cert_stars": "5", "cert_score": "95"}, "5★ certificates are decided by the Ministry"),
        (
            {"cert_stars": "3", "cert_issuer": MINISTRY, "cert_score": ""},
            "3★ and 4★ certificates are decided by the province (UBND tỉnh Thanh Hóa).",
        ),
        ({"cert_stars": "4", "cert_score": "95"}, "4★ needs a score from 70 to 89."),
        ({"cert_stars": "3", "cert_score": "45"}, "3★ needs a score from 50 to 69."),
        ({"cert_score": "101"}, "Enter a number from 0 to 100."),
        ({"cert_stars": "2"}, "Not a valid choice."),
        ({"cert_stars": "6"}, "Not a valid choice."),
        ({"cert_issuer": "Tôi tự cấp"}, "Not a valid choice."),
        ({"cert_date": "31/02/2024"}, "Enter the date as day/month/year"),
        ({"cert_date": "2016-05-01"}, "OCOP decisions date from 2018 or later."),
        ({"cert_number": "x" * 81}, "Field cannot be longer than 80 characters."),
    ],
)
def test_an_inconsistent_certificate_is_explained(farm, with_certificate, overrides, message):
    response = farm.post("/farm/products/new", data=with_certificate(**overrides))
    assert response.status_code == 400
    assert message in response.text
    assert "Nước mắm Ba Làng 40 độ đạm" in response.text, "what was typed stays"
    assert db.session.scalar(select(db.func.count(Product.id))) == 0


def test_a_decision_dated_in_the_future_is_refused(farm, with_certificate, any_hour, today):
    tomorrow = (today + timedelta(days=2)).isoformat()
    response = farm.post("/farm/products/new", data=with_certificate(cert_date=tomorrow))
    assert response.status_code == 400
    assert "The decision date cannot be in the future." in response.text


def test_a_half_filled_certificate_asks_for_the_rest(farm, product_data):
    response = farm.post("/farm/products/new", data=product_data(cert_number="88/QĐ-UBND"))
    assert response.status_code == 400
    assert response.text.count("Needed for the certificate.") == 3
    assert 'value="88/QĐ-UBND"' in response.text
    assert '<details class="farm-cert" open>' in response.text


@pytest.mark.both_databases
def test_a_newer_certificate_is_added_on_edit_and_a_repeat_is_refused(
    farm, farmer, make_product, with_certificate
):
    product = make_product(producer=farmer.producer, gtin="08931234567897", stars=3)
    first = product.certificates[0].decision_number
    data = with_certificate(cert_number="77/QĐ-UBND")
    assert farm.post(f"/farm/products/{product.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert sorted(c.decision_number for c in db.session.get(Product, product.id).certificates) == (
        sorted([first, "77/QĐ-UBND"])
    )

    response = farm.post(f"/farm/products/{product.id}/edit", data=data)
    assert response.status_code == 400
    assert "This certificate is already recorded." in response.text
