"""Staff approve or reject new producers and products, and verify OCOP certificates."""

from datetime import date

import pytest
from flask import g

from shop.auth.models import Role
from shop.catalogue.models import CertificateStatus, OcopCertificate, ProductPhoto
from shop.clock import local_today
from shop.extensions import db
from shop.producers.models import ApprovalStatus


@pytest.fixture
def staff(login, make_user):
    return login(make_user(role=Role.STAFF))


@pytest.fixture
def newcomer(make_producer, make_user):
    """A farm that signed up and waits, with its owner's account."""
    producer = make_producer(
        name="HTX Bưởi Luận Văn",
        slug="htx-buoi-luan-van",
        commune="Xã Thọ Lập",
        commune_code=15568,
        district="Thọ Xuân",
        phone="0987654321",
        status=ApprovalStatus.PENDING,
    )
    make_user(role=Role.PRODUCER, producer=producer, email="buoi@example.vn")
    return producer


@pytest.fixture
def pending_product(make_product, make_producer):
    product = make_product(
        producer=make_producer(name="HTX Nem chua Thanh Hóa"),
        name="Nem chua Thanh Hóa",
        price_vnd=120_000,
        status=ApprovalStatus.PENDING,
    )
    product.photos.append(ProductPhoto(filename="nem-chua.jpg", position=0))
    db.session.commit()
    return product


@pytest.fixture
def pending_certificate(make_product):
    product = make_product(name="Chè lam Phủ Quảng")
    certificate = OcopCertificate(
        product=product,
        decision_number="1234/QĐ-UBND",
        decision_date=local_today().replace(day=1),
        issuer="UBND tỉnh Thanh Hóa",
        stars=4,
        status=CertificateStatus.PENDING,
    )
    db.session.add(certificate)
    db.session.commit()
    return certificate


def test_the_queue_shows_what_staff_need_to_decide(
    client, staff, newcomer, pending_product, pending_certificate, make_product
):
    make_product(name="Đã duyệt từ trước")
    page = client.get("/backoffice/approvals").get_data(as_text=True)
    # The producer: where, how to call them, whose account.
    assert "HTX Bưởi Luận Văn" in page
    assert "Xã Thọ Lập, Thanh Hóa" in page and "(formerly: Thọ Xuân)" in page
    assert 'href="tel:0987654321"' in page
    assert "buoi@example.vn" in page
    # The product: its producer, price, GTIN and photos.
    assert "Nem chua Thanh Hóa" in page
    assert "HTX Nem chua Thanh Hóa" in page
    assert "120.000\u00a0₫" in page
    assert pending_product.gtin in page
    assert 'src="/media/nem-chua.jpg"' in page
    # The certificate: decision, date, issuer, stars.
    assert "1234/QĐ-UBND" in page
    assert pending_certificate.decision_date.strftime("%d/%m/%Y") in page
    assert "UBND tỉnh Thanh Hóa" in page
    assert "★★★★<" in page
    # Approved things are not in the queue.
    assert "Đã duyệt từ trước" not in page
    for action in (
        f"/backoffice/producers/{newcomer.id}/review",
        f"/backoffice/products/{pending_product.id}/review",
        f"/backoffice/certificates/{pending_certificate.id}/review",
    ):
        assert f'action="{action}"' in page


def test_an_empty_queue_says_so(client, staff):
    page = client.get("/backoffice/approvals").get_data(as_text=True)
    assert "No producer is waiting." in page
    assert "No product is waiting." in page
    assert "No certificate is waiting." in page


def test_approving_a_producer_opens_its_page(client, staff, newcomer):
    assert client.get("/producers/htx-buoi-luan-van").status_code == 200  # staff preview
    response = client.post(
        f"/backoffice/producers/{newcomer.id}/review", data={"decision": "approve"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/backoffice/approvals#producers"
    db.session.refresh(newcomer)
    assert newcomer.status == ApprovalStatus.APPROVED
    assert newcomer.reviewed_at is not None
    client.post("/auth/logout")
    assert client.get("/producers/htx-buoi-luan-van").status_code == 200


def test_rejecting_a_producer_keeps_the_note(client, staff, newcomer):
    client.post(
        f"/backoffice/producers/{newcomer.id}/review",
        data={"decision": "reject", "note": "  Thiếu giấy phép kinh doanh.  "},
    )
    db.session.refresh(newcomer)
    assert newcomer.status == ApprovalStatus.REJECTED
    assert newcomer.review_note == "Thiếu giấy phép kinh doanh."
    assert newcomer.reviewed_at is not None
    page = client.get("/backoffice/approvals").get_data(as_text=True)
    assert "Rejected producer “HTX Bưởi Luận Văn”." in page
    assert "No producer is waiting." in page


def test_approving_a_product_lists_it(client, staff, pending_product):
    assert not pending_product.is_listed
    client.post(f"/backoffice/products/{pending_product.id}/review", data={"decision": "approve"})
    db.session.refresh(pending_product)
    assert pending_product.status == ApprovalStatus.APPROVED
    assert pending_product.is_listed


def test_rejecting_a_product_keeps_the_note(client, staff, pending_product):
    client.post(
        f"/backoffice/products/{pending_product.id}/review",
        data={"decision": "reject", "note": "Ảnh bị mờ"},
    )
    db.session.refresh(pending_product)
    assert pending_product.status == ApprovalStatus.REJECTED
    assert pending_product.review_note == "Ảnh bị mờ"


def test_a_verified_certificate_shows_its_stars(client, staff, pending_certificate):
    product = pending_certificate.product
    assert product.ocop_stars is None
    response = client.post(
        f"/backoffice/certificates/{pending_certificate.id}/review", data={"decision": "verify"}
    )
    assert response.headers["Location"] == "/backoffice/approvals#certificates"
    db.session.refresh(pending_certificate)
    assert pending_certificate.status == CertificateStatus.VERIFIED
    assert product.ocop_stars == 4


def test_a_rejected_certificate_shows_no_stars(client, staff, pending_certificate):
    client.post(
        f"/backoffice/certificates/{pending_certificate.id}/review", data={"decision": "reject"}
    )
    db.session.refresh(pending_certificate)
    assert pending_certificate.status == CertificateStatus.REJECTED
    assert pending_certificate.product.ocop_stars is None


@pytest.mark.both_databases
@pytest.mark.parametrize("kind", ["producers", "products", "certificates"])
@pytest.mark.parametrize("missing_id", [987654, 2**31, 10**30])
def test_an_unknown_id_is_not_found(client, staff, kind, missing_id):
    response = client.post(f"/backoffice/{kind}/{missing_id}/review", data={"decision": "reject"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"decision": "delete"},
        {"decision": "verify"},  # a certificate word, not a producer one
        {"decision": "reject", "note": "x" * 501},
    ],
)
def test_a_malformed_producer_review_changes_nothing(client, staff, newcomer, data):
    response = client.post(f"/backoffice/producers/{newcomer.id}/review", data=data)
    assert response.status_code == 400
    db.session.refresh(newcomer)
    assert newcomer.status == ApprovalStatus.PENDING
    assert newcomer.reviewed_at is None


@pytest.mark.parametrize("decision", ["", "approve", "maybe"])
def test_a_malformed_certificate_review_changes_nothing(
    client, staff, pending_certificate, decision
):
    response = client.post(
        f"/backoffice/certificates/{pending_certificate.id}/review", data={"decision": decision}
    )
    assert response.status_code == 400
    db.session.refresh(pending_certificate)
    assert pending_certificate.status == CertificateStatus.PENDING


def test_a_malformed_product_review_changes_nothing(client, staff, pending_product):
    response = client.post(
        f"/backoffice/products/{pending_product.id}/review", data={"decision": "publish"}
    )
    assert response.status_code == 400
    db.session.refresh(pending_product)
    assert pending_product.status == ApprovalStatus.PENDING


@pytest.mark.both_databases
def test_the_queue_costs_the_same_queries_however_long_it_is(
    client, staff, make_producer, make_product, make_user, count_queries
):
    def add_waiting(n: int) -> None:
        for _ in range(n):
            producer = make_producer(status=ApprovalStatus.PENDING)
            make_user(role=Role.PRODUCER, producer=producer)
            product = make_product(producer=producer, status=ApprovalStatus.PENDING)
            product.photos.append(ProductPhoto(filename=f"p{product.id}.jpg"))
            product.certificates.append(
                OcopCertificate(
                    decision_number=f"{product.id}/QĐ-UBND",
                    decision_date=date(2025, 3, 1),
                    issuer="UBND tỉnh Thanh Hóa",
                    stars=3,
                )
            )
        db.session.commit()

    def start_afresh() -> None:
        """As a new request would: nothing loaded yet, the staff user not yet looked up."""
        db.session.expunge_all()
        g.pop("_login_user", None)

    add_waiting(1)
    start_afresh()
    with count_queries() as few:
        assert client.get("/backoffice/approvals").status_code == 200
    add_waiting(5)
    start_afresh()
    with count_queries() as many:
        assert client.get("/backoffice/approvals").status_code == 200
    assert len(few) == len(many)
