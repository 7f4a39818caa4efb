"""Every staff action already in the back office writes its audit entry, in its transaction."""

import pytest
from sqlalchemy import select

from shop.audit.log import verify_log
from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.checkout.models import OrderStatus
from shop.extensions import db
from shop.payments.fulfil import apply_payment
from shop.payments.models import PaymentReview, Provider
from shop.producers.models import ApprovalStatus


@pytest.fixture
def staff(client, login, make_user):
    user = make_user(role=Role.STAFF)
    login(user)
    return user


def the_entry() -> AuditEntry:
    db.session.expire_all()
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert verify_log().intact
    return entry


def test_approving_a_producer(client, staff, make_producer):
    producer = make_producer(status=ApprovalStatus.PENDING)
    client.post(f"/backoffice/producers/{producer.id}/review", data={"decision": "approve"})
    entry = the_entry()
    assert (entry.actor_id, entry.action, entry.target) == (
        staff.id,
        "producer.approve",
        f"producer:{producer.id}",
    )
    assert (entry.before["status"], entry.after["status"]) == ("pending", "approved")


def test_rejecting_a_product_with_a_note(client, staff, make_product):
    product = make_product(status=ApprovalStatus.PENDING)
    client.post(
        f"/backoffice/products/{product.id}/review", data={"decision": "reject", "note": "Mờ"}
    )
    entry = the_entry()
    assert (entry.action, entry.target, entry.after) == (
        "product.reject",
        f"product:{product.id}",
        {"status": "rejected", "note": "Mờ"},
    )


def test_verifying_a_certificate(client, staff, make_product):
    certificate = make_product(stars=4).certificates[0]
    client.post(f"/backoffice/certificates/{certificate.id}/review", data={"decision": "reject"})
    entry = the_entry()
    assert (entry.action, entry.before, entry.after["status"]) == (
        "certificate.reject",
        {"status": "verified"},
        "rejected",
    )


def test_suspending_a_growing_area_code(client, staff, make_growing_area):
    area = make_growing_area()
    client.post(
        f"/backoffice/codes/areas/{area.id}/status",
        data={"status": "suspended", "reason": "QĐ 12/CCTT"},
    )
    entry = the_entry()
    assert (entry.action, entry.target) == ("code.status", f"area:{area.id}")
    assert entry.after == {"status": "suspended", "reason": "QĐ 12/CCTT", "code": area.code}


def test_a_transfer_staff_saw_on_the_statement(client, staff, make_order):
    order, _token = make_order(total_vnd=135_000)
    client.post(
        f"/backoffice/orders/{order.code}/transfer-received",
        data={"amount_vnd": "135.000", "reference": "FT123"},
    )
    entry = the_entry()
    assert (entry.action, entry.target) == ("transfer.received", f"order:{order.code}")
    assert (entry.before, entry.after["status"], entry.after["reference"]) == (
        {"status": "pending_payment"},
        "paid",
        "FT123",
    )


def unmatched_transfer(amount_vnd: int) -> PaymentReview:
    apply_payment(None, provider=Provider.SEPAY, reference="T9", amount_vnd=amount_vnd)
    db.session.commit()
    return db.session.scalars(select(PaymentReview)).one()


def test_matching_a_reviewed_transfer_to_its_order(client, staff, make_order):
    order, _token = make_order(total_vnd=135_000)
    review = unmatched_transfer(135_000)
    client.post(f"/backoffice/payments/{review.id}/apply", data={"order_code": order.code})
    entry = the_entry()
    assert (entry.action, entry.target) == ("review.apply", f"review:{review.id}")
    assert entry.after["order"] == order.code and entry.after["order_status"] == "paid"


def test_a_failed_match_leaves_no_entry(client, staff):
    review = unmatched_transfer(135_000)
    response = client.post(
        f"/backoffice/payments/{review.id}/apply", data={"order_code": "DH00000000"}
    )
    assert response.status_code == 409
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_cancelling_an_order(client, staff, make_order):
    order, _token = make_order(status=OrderStatus.PAID)
    data = {"cancel-reason": "Khách xin hủy", "cancel-confirm": "y"}
    client.post(f"/backoffice/orders/{order.code}/cancel", data=data)
    entry = the_entry()
    assert (entry.action, entry.target, entry.before) == (
        "order.cancel",
        f"order:{order.code}",
        {"status": "paid"},
    )


def test_an_account_made_on_the_command_line_is_audited_as_the_system(runner):
    result = runner.invoke(
        args=["create-user", "ke.toan@htx.vn", "--role", "staff", "--password", "mat-khau-123"]
    )
    assert result.exit_code == 0, result.output
    entry = the_entry()
    assert (entry.actor_id, entry.action, entry.after) == (
        None,
        "user.create",
        {"email": "ke.toan@htx.vn", "role": "staff"},
    )
