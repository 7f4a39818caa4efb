"""Logging in and out: who lands where, and what nobody can get past."""

import pytest

from shop.auth.models import Role
from tests.conftest import PASSWORD


def logged_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_the_login_page_asks_for_email_and_password(client):
    response = client.get("/auth/login?next=/cart")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="email"' in page
    assert 'name="password"' in page
    assert 'action="/auth/login?next=/cart"' in page
    assert 'href="/auth/signup?next=/cart"' in page


def test_a_shopper_logs_in_with_a_messy_email_and_lands_on_the_catalogue(client, make_user):
    user = make_user(email="lan@example.vn")
    response = client.post("/auth/login", data={"email": "  LAN@Example.VN ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert logged_in_user_id(client) == str(user.id)


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.STAFF, "/backoffice/approvals"),
        (Role.ADMIN, "/backoffice/approvals"),
        (Role.PRODUCER, "/farm/"),
    ],
)
def test_staff_and_producers_start_at_their_desk(client, make_user, make_producer, role, landing):
    producer = make_producer() if role == Role.PRODUCER else None
    user = make_user(role=role, producer=producer)
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == landing
    # The header's log-in link on the front page carries next=/?, which is not a destination.
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/?", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == landing


def test_the_page_you_were_heading_for_comes_after_logging_in(client, make_user):
    user = make_user(role=Role.STAFF)
    response = client.post(
        "/auth/login?next=/producers/htx-ba-lang", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/producers/htx-ba-lang"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/steal", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_leads_off_the_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client, make_user):
    user = make_user(email="hoa@example.vn")
    wrong_password = client.post(
        "/auth/login", data={"email": user.email, "password": "not the password"}
    )
    unknown_email = client.post(
        "/auth/login", data={"email": "nobody@example.vn", "password": PASSWORD}
    )
    for response in (wrong_password, unknown_email):
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "The e-mail or password is not correct." in page
        assert "no account" not in page.lower()
    assert 'value="hoa@example.vn"' in wrong_password.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_an_empty_form_says_what_is_missing(client):
    response = client.post("/auth/login", data={})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter your e-mail address." in page
    assert "Enter your password." in page


def test_a_disabled_account_cannot_log_in(client, make_user):
    user = make_user(is_enabled=False)
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This account has been disabled" in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_someone_logged_in_is_sent_on_from_the_login_page(client, login, make_user):
    login(make_user(role=Role.STAFF))
    response = client.get("/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/backoffice/approvals"


def test_logout_is_a_post(client, login, make_user):
    user = make_user()
    login(user)
    assert client.get("/auth/logout").status_code == 405
    assert logged_in_user_id(client) == str(user.id)
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert logged_in_user_id(client) is None


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_guessing_passwords_is_stopped_after_the_limit(self, client, make_user):
        user = make_user()
        for _ in range(3):
            response = client.post("/auth/login", data={"email": user.email, "password": "guess"})
            assert response.status_code == 400
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 429
        assert logged_in_user_id(client) is None
        # Reading the page is not limited: only attempts are.
        assert client.get("/auth/login").status_code == 200
