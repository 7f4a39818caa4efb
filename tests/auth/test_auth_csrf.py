"""With CSRF protection on, a form posted without its token is refused and changes nothing."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role, User
from shop.catalogue.models import CertificateStatus, OcopCertificate
from shop.extensions import db
from shop.producers.models import ApprovalStatus, Producer
from tests.conftest import PASSWORD


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def user_id_in_session(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


SIGNUP = {
    "name": "Trần Văn Nam",
    "email": "nam@example.vn",
    "password": "mật khẩu dài",
    "confirm": "mật khẩu dài",
}
FARM = {
    **SIGNUP,
    "producer_name": "HTX Cói Nga Sơn",
    "phone": "0912345678",
    "province": "38",  # Thanh Hóa
    "commune": "16093",  # Xã Nga Sơn (Nga Thanh and its neighbours until 2025)
}


def test_login_needs_the_token(client, make_user):
    user = make_user()
    credentials = {"email": user.email, "password": PASSWORD}
    assert client.post("/auth/login", data=credentials).status_code == 400
    assert user_id_in_session(client) is None
    # The same credentials with the page's token work: the refusal was about the token.
    token = csrf_token(client, "/auth/login")
    assert client.post("/auth/login", data={**credentials, "csrf_token": token}).status_code == 302
    assert user_id_in_session(client) == str(user.id)


def test_signup_needs_the_token(client):
    assert client.post("/auth/signup", data=SIGNUP).status_code == 400
    assert count(User) == 0
    token = csrf_token(client, "/auth/signup")
    assert client.post("/auth/signup", data={**SIGNUP, "csrf_token": token}).status_code == 302
    assert count(User) == 1


def test_producer_signup_needs_the_token(client):
    assert client.post("/producers/signup", data=FARM).status_code == 400
    assert count(User) == 0
    assert count(Producer) == 0
    token = csrf_token(client, "/producers/signup")
    response = client.post("/producers/signup", data={**FARM, "csrf_token": token})
    assert response.status_code == 302
    assert count(Producer) == 1


def test_logout_needs_the_token(client, login, make_user):
    user = make_user()
    login(user)
    assert client.post("/auth/logout").status_code == 400
    assert user_id_in_session(client) == str(user.id)


def test_reviews_need_the_token(client, login, make_user, make_product):
    product = make_product(status=ApprovalStatus.PENDING)
    producer = product.producer
    producer.status = ApprovalStatus.PENDING
    certificate = OcopCertificate(
        product=product,
        decision_number="77/QĐ-UBND",
        decision_date=date(2025, 1, 15),
        issuer="UBND tỉnh Thanh Hóa",
        stars=3,
        status=CertificateStatus.PENDING,
    )
    db.session.add(certificate)
    db.session.commit()
    login(make_user(role=Role.STAFF))

    for url, decision in (
        (f"/backoffice/producers/{producer.id}/review", "approve"),
        (f"/backoffice/products/{product.id}/review", "approve"),
        (f"/backoffice/certificates/{certificate.id}/review", "verify"),
    ):
        assert client.post(url, data={"decision": decision}).status_code == 400, url
    for item in (producer, product, certificate):
        db.session.refresh(item)
    assert producer.status == ApprovalStatus.PENDING
    assert product.status == ApprovalStatus.PENDING
    assert certificate.status == CertificateStatus.PENDING

    token = csrf_token(client, "/backoffice/approvals")
    response = client.post(
        f"/backoffice/producers/{producer.id}/review",
        data={"decision": "approve", "csrf_token": token},
    )
    assert response.status_code == 303
    db.session.refresh(producer)
    assert producer.status == ApprovalStatus.APPROVED
