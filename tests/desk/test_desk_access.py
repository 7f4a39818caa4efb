"""Every order-desk and packing route: staff and admin in, everyone else out."""

import pytest

from shop.auth.models import Role
from shop.extensions import db

GETS = [
    "/backoffice/orders",
    "/backoffice/orders/{code}",
    "/backoffice/orders/{code}/slip.pdf",
    "/backoffice/packing",
    "/backoffice/packing/pick-list.pdf",
    "/backoffice/packing/by-customer.pdf",
]
POSTS = [
    ("/backoffice/orders/{code}/status", {"status": "packed"}),
    ("/backoffice/orders/bulk", {"action": "packed", "codes": "{code}"}),
    ("/backoffice/orders/{code}/cancel", {"cancel-reason": "x", "cancel-confirm": "y"}),
    (
        "/backoffice/orders/{code}/refunds",
        {"refund-line_id": "1", "refund-amount_vnd": "1000", "refund-reason": "x"},
    ),
    ("/backoffice/orders/{code}/refunds/send", {}),
    ("/backoffice/orders/{code}/refunds/1/sent", {"reference": "FT1"}),
]


def as_role(role, make_user, make_producer, login):
    if role == "producer":
        return login(make_user(role=Role.PRODUCER, producer=make_producer()))
    return login(make_user(role=Role(role)))


@pytest.mark.parametrize("path", GETS)
@pytest.mark.parametrize("role", ["anonymous", "consumer", "producer", "staff", "admin"])
def test_pages_are_for_staff_and_admin(
    client, paid_order, role, path, make_user, make_producer, login
):
    if role != "anonymous":
        as_role(role, make_user, make_producer, login)
    response = client.get(path.format(code=paid_order.code))
    expected = {"anonymous": 302, "consumer": 403, "producer": 403}.get(role, 200)
    assert response.status_code == expected
    if role == "anonymous":
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("path", "data"), POSTS)
@pytest.mark.parametrize("role", ["anonymous", "consumer", "producer"])
def test_actions_are_refused_to_everyone_else_and_change_nothing(
    client, paid_order, role, path, data, make_user, make_producer, login
):
    if role != "anonymous":
        as_role(role, make_user, make_producer, login)
    form = {key: value.format(code=paid_order.code) for key, value in data.items()}
    response = client.post(path.format(code=paid_order.code), data=form)
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert paid_order.status.value == "paid" and paid_order.refunds == []


@pytest.mark.parametrize("role", ["anonymous", "consumer", "staff", "admin"])
def test_the_farm_orders_page_is_for_producers(client, role, make_user, login):
    if role != "anonymous":
        login(make_user(role=Role(role)))
    response = client.get("/farm/orders")
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_an_unknown_order_is_404(client, staff):
    assert client.get("/backoffice/orders/DH00000000").status_code == 404
    assert client.get("/backoffice/orders/DH00000000/slip.pdf").status_code == 404
    assert (
        client.post("/backoffice/orders/DH00000000/status", data={"status": "packed"}).status_code
        == 404
    )


@pytest.mark.parametrize(("path", "data"), POSTS)
def test_every_action_needs_the_csrf_token(app, client, staff, paid_order, path, data):
    app.config["WTF_CSRF_ENABLED"] = True
    form = {key: value.format(code=paid_order.code) for key, value in data.items()}
    response = client.post(path.format(code=paid_order.code), data=form)
    assert response.status_code == 400
    db.session.expire_all()
    assert paid_order.status.value == "paid" and paid_order.refunds == []
