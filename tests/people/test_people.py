"""Administrators add staff, set roles and switch accounts off; staff cannot raise anyone
(themselves included); no one changes their own account; every change audited."""

import pytest
from flask import g
from sqlalchemy import select

from shop.audit.log import verify_log
from shop.audit.models import AuditEntry
from shop.auth.models import Role, User
from shop.extensions import db


@pytest.fixture
def admin(client, login, make_user):
    user = make_user(role=Role.ADMIN, name="Chị Hạnh")
    login(user)
    return user


def actions() -> list[str]:
    assert verify_log().intact
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


NEW = {"name": "Anh Tuấn", "email": " Tuan@HTX.vn ", "password": "mat-khau-dai", "role": "staff"}


def test_an_admin_adds_a_staff_account(client, admin):
    response = client.post("/backoffice/people", data=NEW)
    assert response.status_code == 303
    created = user("tuan@htx.vn")
    assert (created.name, created.role, created.is_enabled) == ("Anh Tuấn", Role.STAFF, True)
    assert created.check_password("mat-khau-dai")
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.after) == (
        "user.create",
        admin.id,
        {"email": "tuan@htx.vn", "role": "staff"},
    )
    assert "Anh Tuấn" in client.get("/backoffice/people").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid e-mail address"),
        ({"password": "short"}, "Use at least 8 characters"),
        ({"role": "producer"}, "Not a valid choice"),
        ({"name": ""}, "Enter the name"),
    ],
)
def test_a_bad_new_account_is_explained(client, admin, change, message):
    response = client.post("/backoffice/people", data={**NEW, **change})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert actions() == []


def test_an_e_mail_already_used_is_refused(client, admin, make_user):
    make_user(email="tuan@htx.vn")
    response = client.post("/backoffice/people", data=NEW)
    assert response.status_code == 400
    assert "already has an account" in response.get_data(as_text=True)


def test_an_admin_sets_roles_and_switches_accounts_off_and_on(client, admin, make_user):
    shopper = make_user(role=Role.CONSUMER, email="lan@example.vn")
    client.post(f"/backoffice/people/{shopper.id}/role", data={"role": "staff"})
    assert user("lan@example.vn").role == Role.STAFF
    client.post(f"/backoffice/people/{shopper.id}/active", data={"enabled": "0"})
    assert user("lan@example.vn").is_enabled is False
    client.post(f"/backoffice/people/{shopper.id}/active", data={"enabled": "1"})
    assert user("lan@example.vn").is_enabled is True
    assert actions() == ["user.role", "user.deactivate", "user.reactivate"]
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).first()
    assert (entry.target, entry.before, entry.after) == (
        f"user:{shopper.id}",
        {"role": "consumer"},
        {"role": "staff"},
    )


def test_a_switched_off_colleague_is_logged_out(app, client, admin, make_user):
    colleague = make_user(role=Role.STAFF)
    client.post(f"/backoffice/people/{colleague.id}/active", data={"enabled": "0"})
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = str(colleague.id)
    g.pop("_login_user", None)  # the tests share one app context: forget the admin
    assert other.get("/backoffice/dashboard").status_code == 302


@pytest.mark.parametrize(
    ("url", "data"), [("role", {"role": "consumer"}), ("active", {"enabled": "0"})]
)
def test_an_admin_cannot_change_their_own_account(client, admin, url, data):
    response = client.post(f"/backoffice/people/{admin.id}/{url}", data=data)
    assert response.status_code == 409
    assert "your own account" in response.get_data(as_text=True)
    assert (user(admin.email).role, user(admin.email).is_enabled) == (Role.ADMIN, True)
    assert actions() == []


def test_a_producer_account_keeps_its_role(client, admin, make_user, make_producer):
    farmer = make_user(role=Role.PRODUCER, producer=make_producer())
    response = client.post(f"/backoffice/people/{farmer.id}/role", data={"role": "admin"})
    assert response.status_code == 409
    assert user(farmer.email).role == Role.PRODUCER


def test_staff_see_the_team_but_cannot_raise_anyone(client, login, make_user):
    clerk = make_user(role=Role.STAFF, email="clerk@htx.vn")
    shopper = make_user(role=Role.CONSUMER)
    login(clerk)
    page = client.get("/backoffice/people")
    assert page.status_code == 200
    assert "Only an administrator" in page.get_data(as_text=True)
    assert (
        client.post(f"/backoffice/people/{clerk.id}/role", data={"role": "admin"}).status_code
        == 403
    )
    assert (
        client.post(f"/backoffice/people/{shopper.id}/role", data={"role": "admin"}).status_code
        == 403
    )
    assert client.post("/backoffice/people", data={**NEW, "role": "admin"}).status_code == 403
    assert (
        client.post(f"/backoffice/people/{shopper.id}/active", data={"enabled": "0"}).status_code
        == 403
    )
    assert user("clerk@htx.vn").role == Role.STAFF
    assert user("tuan@htx.vn") is None
    assert actions() == []


def test_finding_an_account_by_e_mail(client, admin, make_user):
    make_user(email="ngoc_anh@example.vn", name="Ngọc Anh")
    page = client.get("/backoffice/people?q=NGOC_").get_data(as_text=True)
    assert "ngoc_anh@example.vn" in page
    assert "ngoc_anh@example.vn" not in client.get("/backoffice/people?q=%25").get_data(
        as_text=True
    )


ROUTES = [
    ("GET", "/backoffice/people"),
    ("POST", "/backoffice/people"),
    ("POST", "/backoffice/people/1/role"),
    ("POST", "/backoffice/people/1/active"),
]


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_consumers_and_producers_are_refused(
    client, login, make_user, make_producer, role, method, url
):
    login(make_user(role=role, producer=make_producer() if role == Role.PRODUCER else None))
    response = client.get(url) if method == "GET" else client.post(url, data={"role": "admin"})
    assert response.status_code == 403
