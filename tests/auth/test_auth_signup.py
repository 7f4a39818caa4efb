"""A shopper creates an account; mistakes are explained and nothing typed is lost."""

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role, User
from shop.extensions import db

GOOD = {
    "name": "Nguyễn Thị Lan",
    "email": "Lan.Nguyen@Example.vn",
    "phone": "+84 912 345 678",
    "password": "mật khẩu dài",
    "confirm": "mật khẩu dài",
}


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_a_shopper_signs_up_and_is_logged_in(client):
    response = client.post("/auth/signup", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.scalar(select(User))
    assert user.email == "lan.nguyen@example.vn"
    assert user.name == "Nguyễn Thị Lan"
    assert user.phone == "0912345678"
    assert user.role == Role.CONSUMER
    assert user.check_password("mật khẩu dài")
    with client.session_transaction() as session:
        assert session["_user_id"] == str(user.id)


def test_the_phone_is_optional(client):
    response = client.post("/auth/signup", data={**GOOD, "phone": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(User.phone)) is None


def test_signing_up_returns_to_a_page_on_this_site_only(client):
    response = client.post("/auth/signup?next=/products/che-lam", data=GOOD)
    assert response.headers["Location"] == "/products/che-lam"
    client.post("/auth/logout")
    response = client.post(
        "/auth/signup?next=https://evil.example/", data={**GOOD, "email": "b@example.vn"}
    )
    assert response.headers["Location"] == "/"


@pytest.mark.both_databases
def test_an_email_already_registered_is_a_form_error_not_a_crash(client, make_user):
    make_user(email="lan.nguyen@example.vn")
    response = client.post("/auth/signup", data=GOOD)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "An account with this e-mail already exists." in page
    assert 'value="Nguyễn Thị Lan"' in page
    assert 'value="Lan.Nguyen@Example.vn"' in page
    assert user_count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short", "confirm": "short"}, "Use at least 8 characters."),
        ({"confirm": "something else"}, "The two passwords are not the same."),
        ({"phone": "12345"}, "Enter a Vietnamese phone number"),
        ({"phone": "+84 12"}, "Enter a Vietnamese phone number"),
        ({"email": "not-an-address"}, "Enter a valid e-mail address"),
        ({"name": "   "}, "Enter your name."),
    ],
)
def test_a_mistake_is_explained_and_the_typed_values_are_kept(client, changes, message):
    data = {**GOOD, **changes}
    response = client.post("/auth/signup", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'value="{data["email"]}"' in page
    # A wrong number comes back as typed; a right one in the form it will be stored in.
    assert f'value="{changes.get("phone", "0912345678")}"' in page
    assert "mật khẩu dài" not in page  # passwords are never sent back
    assert user_count() == 0


def test_the_signup_page_links_producers_to_their_own_form(client):
    page = client.get("/auth/signup").get_data(as_text=True)
    assert 'href="/producers/signup"' in page
    assert 'name="confirm"' in page


def test_someone_logged_in_does_not_sign_up_again(client, login, make_user):
    login(make_user())
    response = client.get("/auth/signup")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
