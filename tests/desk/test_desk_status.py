"""Staff move orders along: the transition table decides, every pair; shipped tells the customer."""

import itertools

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.checkout.models import TRANSITIONS, Carrier, EmailOutbox, OrderStatus
from shop.extensions import db

pytestmark = pytest.mark.both_databases  # status changes under row locks

MOVES = ["packed", "shipped", "delivered"]
SHIP = {"carrier": "ghn", "tracking_number": "GHN123 456"}


@pytest.mark.parametrize(("start", "to"), list(itertools.product(list(OrderStatus), MOVES)))
def test_every_pair_follows_the_transition_table(client, staff, paid_order, start, to):
    """Rows set straight to `start`; the desk allows exactly what TRANSITIONS says."""
    paid_order.status = start
    db.session.commit()
    history = len(paid_order.status_changes)
    response = client.post(
        f"/backoffice/orders/{paid_order.code}/status", data={"status": to, **SHIP}
    )
    db.session.expire_all()
    if OrderStatus(to) in TRANSITIONS[start]:
        assert response.status_code == 303
        assert paid_order.status == to
        assert paid_order.status_changes[-1].changed_by_id == staff.id
    else:
        assert response.status_code == 409
        assert "Nothing was changed" in response.get_data(as_text=True)
        assert paid_order.status == start
        assert len(paid_order.status_changes) == history


def test_an_order_goes_to_the_door_with_its_history(client, staff, paid_order):
    url = f"/backoffice/orders/{paid_order.code}/status"
    assert client.post(url, data={"status": "packed"}).status_code == 303
    assert client.post(url, data={"status": "shipped", **SHIP}).status_code == 303
    assert client.post(url, data={"status": "delivered"}).status_code == 303

    db.session.expire_all()
    assert paid_order.status == OrderStatus.DELIVERED and paid_order.delivered_at
    assert [c.to_status for c in paid_order.status_changes] == [
        OrderStatus.PAID,
        OrderStatus.PACKED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    ]
    assert paid_order.status_changes[0].changed_by_id is None  # the bank webhook
    page = client.get(f"/backoffice/orders/{paid_order.code}").get_data(as_text=True)
    assert page.count("Lê Văn Kho") == 3
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions == ["order.status"] * 3


def test_shipped_mails_the_customer_the_tracking_link(client, staff, paid_order, login):
    client.post(f"/backoffice/orders/{paid_order.code}/status", data={"status": "packed"})
    client.post(f"/backoffice/orders/{paid_order.code}/status", data={"status": "shipped", **SHIP})
    db.session.expire_all()
    assert paid_order.carrier == Carrier.GHN and paid_order.tracking_number == "GHN123 456"
    link = "https://donhang.ghn.vn/?order_code=GHN123%20456"
    assert paid_order.tracking_url == link
    mail = db.session.scalars(select(EmailOutbox).order_by(EmailOutbox.id.desc())).first()
    assert mail.to == paid_order.email and paid_order.code in mail.subject
    assert link in mail.body and "GHN" in mail.body


def test_the_customer_sees_the_carrier_and_link_on_their_order_page(app, client, paid_order):
    paid_order.status, paid_order.carrier = OrderStatus.SHIPPED, Carrier.VIETTEL_POST
    paid_order.tracking_number = "VTP999"
    db.session.commit()
    # The customer's own page: opened with the order's token is not possible here (only its
    # hash is kept), so log in as the customer who placed it.
    from shop.auth.models import Role, User

    customer = User(email="khach2@example.vn", name="Hoà", role=Role.CONSUMER)
    customer.set_password("x" * 12)
    db.session.add(customer)
    db.session.flush()
    paid_order.user_id = customer.id
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(customer.id)
    page = client.get(f"/orders/{paid_order.code}").get_data(as_text=True)
    assert "Viettel Post" in page and "orderNumber=VTP999" in page


@pytest.mark.parametrize("carrier", list(Carrier))
def test_every_carrier_has_a_label_and_a_tracking_page_but_our_own(carrier):
    url = carrier.tracking_url("AB 12/3")
    if carrier == Carrier.OWN:
        assert url is None
    else:
        assert url.startswith("https://") and "AB%2012%2F3" in url
    assert str(carrier.label)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "shipped"}, "Choose the carrier"),
        ({"status": "shipped", "carrier": "ghtk"}, "tracking number"),
        ({"status": "lost"}, "Not a valid choice"),
        ({}, "Choose the new status"),
    ],
)
def test_bad_status_forms_say_why_and_change_nothing(client, staff, paid_order, data, message):
    paid_order.status = OrderStatus.PACKED
    db.session.commit()
    response = client.post(f"/backoffice/orders/{paid_order.code}/status", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert paid_order.status == OrderStatus.PACKED


def test_own_delivery_needs_no_tracking_number(client, staff, paid_order):
    paid_order.status = OrderStatus.PACKED
    db.session.commit()
    data = {"status": "shipped", "carrier": "own"}
    assert client.post(f"/backoffice/orders/{paid_order.code}/status", data=data).status_code == 303
    db.session.expire_all()
    assert paid_order.carrier == Carrier.OWN and paid_order.tracking_url is None


def test_the_status_form_needs_the_csrf_token(app, client, staff, paid_order):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        f"/backoffice/orders/{paid_order.code}/status", data={"status": "packed"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert paid_order.status == OrderStatus.PAID


def test_bulk_marks_what_it_may_and_names_the_rest(client, staff, place, make_product):
    product = make_product(stock=50)
    paid = [place([(product.id, 1)]) for _ in range(3)]
    unpaid = place([(product.id, 1)], paid=False)
    codes = [order.code for order in [*paid, unpaid]]
    response = client.post(
        "/backoffice/orders/bulk", data={"action": "packed", "codes": codes}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "3 orders are now" in page and unpaid.code in page
    db.session.expire_all()
    assert [o.status for o in paid] == [OrderStatus.PACKED] * 3
    assert unpaid.status == OrderStatus.PENDING_PAYMENT

    client.post(
        "/backoffice/orders/bulk", data={"action": "shipped", "codes": codes, "carrier": "own"}
    )
    db.session.expire_all()
    assert {o.status for o in paid} == {OrderStatus.SHIPPED}
    assert {o.carrier for o in paid} == {Carrier.OWN}
    assert len(db.session.scalars(select(AuditEntry)).all()) == 6


def test_bulk_without_orders_ticked_says_so(client, staff):
    response = client.post(
        "/backoffice/orders/bulk", data={"action": "packed"}, follow_redirects=True
    )
    assert "Tick at least one order" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_the_page_offers_only_the_moves_the_table_allows(client, staff, paid_order, status):
    paid_order.status = status
    db.session.commit()
    page = client.get(f"/backoffice/orders/{paid_order.code}").text
    for move in MOVES:
        offered = f'name="status" value="{move}"' in page
        assert offered == (OrderStatus(move) in TRANSITIONS[status]), move
    assert ('name="cancel-reason"' in page) == (OrderStatus.CANCELLED in TRANSITIONS[status])
