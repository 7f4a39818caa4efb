"""Cancel with a reason (stock and lots back, money to refund), partial refunds per line, bank
refunds recorded with their reference."""

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.catalogue.models import Product
from shop.checkout.models import OrderStatus
from shop.extensions import db
from shop.payments.models import PaymentReview, Refund, RefundStatus, ReviewReason
from shop.trace.models import Batch

pytestmark = pytest.mark.both_databases  # money, stock and lots given back

CANCEL = {"cancel-reason": "Khách gọi điện xin hủy", "cancel-confirm": "y"}


@pytest.fixture
def lot_order(place, make_product, make_batch):
    product = make_product(stock=10, price_vnd=50_000)
    batch = make_batch(product=product, units_left=10, on_sale=True)
    return place([(product.id, 4)]), product, batch


def test_cancel_puts_stock_and_lots_back_and_the_refund_is_due(client, staff, lot_order):
    order, product, batch = lot_order
    assert db.session.get(Batch, batch.id).units_left == 6
    response = client.post(f"/backoffice/orders/{order.code}/cancel", data=CANCEL)
    assert response.status_code == 303
    db.session.expire_all()
    assert order.status == OrderStatus.CANCELLED
    assert db.session.get(Product, product.id).stock == 10
    assert db.session.get(Batch, batch.id).units_left == 10
    (refund,) = order.refunds
    assert refund.status == RefundStatus.DUE and refund.amount_vnd == order.total_vnd
    assert refund.order_line_id is None and refund.reason == CANCEL["cancel-reason"]
    assert order.status_changes[-1].note == CANCEL["cancel-reason"]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "order.cancel" and entry.after["reason"] == CANCEL["cancel-reason"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cancel-confirm": "y"}, "Say why the order is cancelled"),
        ({"cancel-reason": "x"}, "Tick the box to confirm"),
    ],
)
def test_cancel_needs_a_reason_and_a_confirmation(client, staff, paid_order, data, message):
    response = client.post(f"/backoffice/orders/{paid_order.code}/cancel", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert paid_order.status == OrderStatus.PAID


def test_a_shipped_order_cannot_be_cancelled(client, staff, paid_order):
    paid_order.status = OrderStatus.SHIPPED
    db.session.commit()
    response = client.post(f"/backoffice/orders/{paid_order.code}/cancel", data=CANCEL)
    assert response.status_code == 409 and "can no longer be cancelled" in response.text
    assert db.session.scalars(select(Refund)).all() == []


def test_bank_refund_is_recorded_sent_with_its_reference(client, staff, paid_order):
    client.post(f"/backoffice/orders/{paid_order.code}/cancel", data=CANCEL)
    (refund,) = paid_order.refunds
    (review,) = db.session.scalars(
        select(PaymentReview).where(PaymentReview.reason == ReviewReason.REFUND_DUE)
    ).all()
    url = f"/backoffice/orders/{paid_order.code}/refunds/{refund.id}/sent"
    assert client.post(url, data={"reference": ""}).status_code == 400
    assert client.post(url, data={"reference": "FT26335001"}).status_code == 303
    db.session.expire_all()
    assert refund.status == RefundStatus.DONE and refund.reference == "FT26335001"
    assert refund.refunded_at is not None
    assert refund.payment.refunded_vnd == paid_order.total_vnd
    assert review.resolved_at is not None and "FT26335001" in review.resolution_note
    assert client.post(url, data={"reference": "FT2"}).status_code == 409  # once only


def test_partial_refund_of_a_damaged_item_is_attached_to_its_line(client, staff, lot_order):
    order, _product, _batch = lot_order
    (line,) = order.lines
    url = f"/backoffice/orders/{order.code}/refunds"
    data = {
        "refund-line_id": str(line.id),
        "refund-amount_vnd": "50.000",
        "refund-reason": "Một hũ bị vỡ",
        "refund-confirm": "y",
    }
    assert client.post(url, data=data).status_code == 303
    db.session.expire_all()
    (refund,) = order.refunds
    assert (refund.order_line_id, refund.amount_vnd, refund.status) == (
        line.id,
        50_000,
        RefundStatus.DUE,
    )
    assert order.status == OrderStatus.PAID  # the rest of the order goes on
    # More than what is left on the line is refused, and nothing is recorded.
    too_much = {**data, "refund-amount_vnd": str(line.total_vnd)}
    response = client.post(url, data=too_much)
    assert response.status_code == 409 and "At most" in response.text
    assert len(db.session.scalars(select(Refund)).all()) == 1
    assert db.session.scalars(select(AuditEntry.action)).all() == ["order.refund"]


def test_a_refund_needs_a_line_of_this_order(client, staff, paid_order, place, make_product):
    other = place([(make_product().id, 1)])
    data = {
        "refund-line_id": str(other.lines[0].id),
        "refund-amount_vnd": "1000",
        "refund-reason": "x",
        "refund-confirm": "y",
    }
    response = client.post(f"/backoffice/orders/{paid_order.code}/refunds", data=data)
    assert response.status_code == 409 and "not part of order" in response.text
    assert db.session.scalars(select(Refund)).all() == []


def test_a_paid_order_page_shows_no_pay_before_and_no_transfer_form(client, staff, paid_order):
    """Issue 7 §5: the paid order's staff pages."""
    page = client.get(f"/backoffice/orders/{paid_order.code}/transfer-received").text
    assert "Pay before" not in page and 'name="reference"' not in page
    assert "btn-danger" not in page  # no red button under the transfer form any more
    order_page = client.get(f"/backoffice/orders/{paid_order.code}").text
    assert "desk-danger" in order_page and 'name="cancel-reason"' in order_page
    assert "Record a transfer received" not in order_page


def test_a_refund_sent_from_the_payments_queue_settles_the_orders_refund(client, staff, paid_order):
    """Staff may record the bank refund on the payments page instead of the order's: the
    order's Refund is then done too, and the money is counted back once."""
    client.post(f"/backoffice/orders/{paid_order.code}/cancel", data=CANCEL)
    (review,) = db.session.scalars(
        select(PaymentReview).where(PaymentReview.reason == ReviewReason.REFUND_DUE)
    ).all()
    response = client.post(
        f"/backoffice/payments/{review.id}/refund", data={"reference": "FT26335777"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    (refund,) = paid_order.refunds
    assert refund.status == RefundStatus.DONE and refund.reference == "FT26335777"
    assert refund.payment.refunded_vnd == paid_order.total_vnd
    page = client.get(f"/backoffice/orders/{paid_order.code}").text
    assert 'action="/backoffice/orders/' + paid_order.code + "/refunds/" not in page
