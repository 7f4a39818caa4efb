"""Only the cooperative's staff and administrators reach the back office."""

import pytest

from shop.auth.models import Role
from shop.producers.models import ApprovalStatus


@pytest.fixture
def targets(make_product):
    """Every back-office route, with a real object and a valid decision behind each POST."""
    product = make_product(status=ApprovalStatus.PENDING, stars=3)
    certificate = product.certificates[0]
    return [
        ("GET", "/backoffice/approvals", {}),
        ("POST", f"/backoffice/producers/{product.producer_id}/review", {"decision": "approve"}),
        ("POST", f"/backoffice/products/{product.id}/review", {"decision": "approve"}),
        ("POST", f"/backoffice/certificates/{certificate.id}/review", {"decision": "verify"}),
    ]


def request(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data=data)


def test_anonymous_visitors_are_asked_to_log_in(client, targets):
    for method, url, data in targets:
        response = request(client, method, url, data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/auth/login?next=%2Fbackoffice%2F")


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
def test_shoppers_and_producers_are_refused(client, login, make_user, make_producer, targets, role):
    login(make_user(role=role, producer=make_producer() if role == Role.PRODUCER else None))
    for method, url, data in targets:
        assert request(client, method, url, data).status_code == 403, url


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_may_review(client, login, make_user, targets, role):
    login(make_user(role=role))
    for method, url, data in targets:
        response = request(client, method, url, data)
        assert response.status_code == (200 if method == "GET" else 303), url


def test_a_disabled_staff_account_is_treated_as_logged_out(client, login, make_user):
    login(make_user(role=Role.STAFF, is_enabled=False))
    response = client.get("/backoffice/approvals")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_the_header_shows_staff_the_way_to_approvals(client, login, make_user):
    login(make_user(role=Role.STAFF))
    page = client.get("/backoffice/approvals").get_data(as_text=True)
    assert 'href="/backoffice/approvals"' in page
