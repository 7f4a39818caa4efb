"""Rules that live on the models: certificate validity, stars, listing, search text."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from shop.catalogue.models import CertificateStatus, OcopCertificate, add_months
from shop.extensions import db
from shop.producers.models import ApprovalStatus, Producer

pytestmark = pytest.mark.both_databases  # constraints


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 5, 10), 36, date(2026, 5, 10)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),
        (date(2023, 12, 31), 2, date(2024, 2, 29)),
        (date(2023, 11, 30), 1, date(2023, 12, 30)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def certificate(**overrides):
    values = {
        "decision_number": "123/QĐ-UBND",
        "decision_date": date(2024, 3, 15),
        "issuer": "UBND tỉnh Thanh Hóa",
        "stars": 4,
        "status": CertificateStatus.VERIFIED,
    }
    values.update(overrides)
    return OcopCertificate(**values)


def test_certificate_is_valid_for_36_months_from_the_decision():
    cert = certificate()
    assert cert.expires_on == date(2027, 3, 15)
    assert not cert.is_current(date(2024, 3, 14))
    assert cert.is_current(date(2024, 3, 15))
    assert cert.is_current(date(2027, 3, 14))
    assert not cert.is_current(date(2027, 3, 15))


def test_changing_the_decision_date_moves_the_expiry():
    cert = certificate()
    cert.decision_date = date(2025, 1, 1)
    assert cert.expires_on == date(2028, 1, 1)


def test_unverified_certificate_is_never_current():
    assert not certificate(status=CertificateStatus.PENDING).is_current(date(2024, 6, 1))
    assert not certificate(status=CertificateStatus.REJECTED).is_current(date(2024, 6, 1))


def test_product_shows_stars_only_while_a_certificate_is_current(make_product, any_hour, today):
    product = make_product()
    product.certificates.append(certificate(decision_date=date(2019, 1, 10), stars=5))
    db.session.commit()
    assert product.ocop_stars is None  # lapsed in 2022

    product.certificates.append(certificate(decision_date=today, stars=3))
    db.session.commit()
    assert product.ocop_stars == 3
    assert product.current_certificate().stars == 3


def test_best_current_certificate_wins(make_product, today):
    product = make_product(stars=3)
    product.certificates.append(certificate(decision_date=today, stars=5))
    db.session.commit()
    assert product.ocop_stars == 5


def test_stars_outside_3_to_5_are_refused_by_the_database(make_product):
    product = make_product()
    product.certificates.append(certificate(stars=2))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_negative_price_is_refused_by_the_database(make_product):
    product = make_product()
    product.price_vnd = -1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_duplicate_gtin_is_refused_by_the_database(make_product):
    first = make_product()
    with pytest.raises(IntegrityError):
        make_product(gtin=first.gtin)
    db.session.rollback()


def test_search_text_follows_the_name(make_product):
    product = make_product(name="Nước mắm cá cơm", description="Đậm đà")
    assert product.search_text == "nuoc mam ca com dam da"
    product.name = "Mắm tép"
    db.session.commit()
    assert product.search_text.startswith("mam tep")


def test_product_is_listed_only_when_everyone_said_yes(make_producer, make_product):
    producer = make_producer(status=ApprovalStatus.PENDING)
    product = make_product(producer=producer)
    assert not product.is_listed
    producer.status = ApprovalStatus.APPROVED
    assert product.is_listed
    product.is_active = False
    assert not product.is_listed
    product.is_active = True
    product.status = ApprovalStatus.PENDING
    assert not product.is_listed


def test_producer_location_reads_like_a_vietnamese_address(make_producer):
    producer = make_producer(
        commune="Phường Hải Bình", commune_code=16645, district="Tĩnh Gia", province="Thanh Hóa"
    )
    assert producer.location == "Phường Hải Bình, Thanh Hóa"  # the district is only "formerly"
    assert "hai binh" in producer.search_text and "tinh gia" in producer.search_text


def test_a_producer_without_a_place_yet_is_still_searchable_by_name(app):
    producer = Producer(name="HTX Chưa có địa chỉ", slug="htx-chua-co", phone="0912345678")
    db.session.add(producer)
    db.session.commit()
    assert producer.search_text == "htx chua co dia chi"
