"""Staff (or the lot's producer) recall a batch: one chained event, off sale, every buyer told."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.catalogue.models import Product
from shop.checkout.models import Order, OrderStatus
from shop.checkout.orders import OutOfStock, cancel_order, place_order
from shop.extensions import db
from shop.recalls.models import RecallNotice
from shop.recalls.recalls import CannotRecall, recall_batch
from shop.trace.events import verify_chain
from shop.trace.models import Batch, BatchEvent, EventType
from tests.recalls.conftest import customer, recall_mails

pytestmark = pytest.mark.both_databases  # locks, guarded updates and the outbox

REASON = "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng (phiếu 45/KQ-TTKT)"
ADVICE = "Không ăn; mang trả lại cửa hàng để được hoàn tiền."
FORM = {"reason": REASON, "advice": ADVICE, "confirm": "y"}


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def stock(product_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Product.stock).where(Product.id == product_id))


def test_staff_recall_appends_one_event_to_the_chain(client, login, staff, lot):
    login(staff)
    response = client.post(f"/recalls/batches/{lot.id}", data=FORM)
    assert response.status_code == 303
    batch = fresh(Batch, lot.id)
    events = batch.events
    assert [e.type for e in events] == [
        EventType.PLANTING,
        EventType.HARVEST,
        EventType.PACKING,
        EventType.RECALL,
    ]
    recall = events[-1]
    assert recall.details == {"reason": REASON, "advice": ADVICE}
    assert recall.prev_hash == events[-2].hash
    assert recall.recorded_by_id == staff.id
    assert verify_chain(events).intact
    assert batch.recalled_at is not None and not batch.on_sale
    page = client.get(response.headers["Location"]).text
    assert "Recalled on" in page and REASON in page


def test_the_lot_stops_being_sold_and_a_product_with_no_other_lot_is_out_of_stock(
    app, lot, product
):
    with app.test_request_context():
        recall_batch(lot, REASON, ADVICE)
        db.session.commit()
    assert stock(product.id) == 0
    assert fresh(Batch, lot.id).units_left == 0
    with app.test_request_context(), pytest.raises(OutOfStock):
        place_order([(product.id, 1)], customer("Hoa", "hoa@example.vn"), "vietqr")
    db.session.rollback()


def test_a_product_with_another_lot_sells_only_from_that_lot(app, make_batch, lot, product):
    other = make_batch(
        product=product, lot="BLV-2410", units_left=5, packing_date=date(2026, 9, 20)
    )
    db.session.execute(db.update(Product).where(Product.id == product.id).values(stock=25))
    db.session.commit()
    with app.test_request_context():
        recall_batch(lot, REASON, ADVICE)
        db.session.commit()
    assert stock(product.id) == 5  # the recalled lot's 20 units left the shelf
    with app.test_request_context():
        order, _token = place_order([(product.id, 3)], customer("Hoa", "h@example.vn"), "vietqr")
        db.session.commit()
    assert [(line.lot, line.quantity) for line in order.lines] == [("BLV-2410", 3)]
    assert fresh(Batch, other.id).units_left == 2


def test_every_buyer_is_told_once_and_staff_see_who_was_told_when(
    client, login, staff, lot, product, order
):
    first = order(product, 2, "Lê Thị Hoa", "hoa@example.vn")
    again = order(product, 1, "Lê Thị Hoa", "HOA@example.vn", status=OrderStatus.DELIVERED)
    unpaid = order(product, 1, "Phạm Văn Nam", "nam@example.vn", status=OrderStatus.PENDING_PAYMENT)
    order(product, 1, "Đỗ Thu", "thu@example.vn", status=OrderStatus.CANCELLED)
    login(staff)
    preview = client.get(f"/recalls/batches/{lot.id}").text
    assert "2 buyers will be e-mailed." in preview

    assert client.post(f"/recalls/batches/{lot.id}", data=FORM).status_code == 303

    mails = recall_mails()
    assert sorted(m.to.lower() for m in mails) == ["hoa@example.vn", "nam@example.vn"]
    hoa = next(m for m in mails if m.to.lower() == "hoa@example.vn")
    assert first.code in hoa.body and again.code in hoa.body and ADVICE in hoa.body
    assert "/01/" in hoa.body and "/10/BLV-2409" in hoa.body  # the lot's public page
    nam = next(m for m in mails if m.to == "nam@example.vn")
    assert unpaid.code in nam.body
    assert all(m.sent_at is not None for m in mails)  # sent after the commit (console backend)
    notices = db.session.scalars(select(RecallNotice).order_by(RecallNotice.id)).all()
    assert [(n.email, n.units, n.unpaid) for n in notices] == [
        ("hoa@example.vn", 3, False),
        ("nam@example.vn", 1, True),
    ]
    assert notices[0].order_codes == [first.code, again.code]
    page = client.get(f"/recalls/batches/{lot.id}").text
    assert "2 buyers told" in page
    assert "hoa@example.vn" in page and "nam@example.vn" in page and "thu@example.vn" not in page
    assert "not paid yet" in page


def test_unpaid_buyers_hear_that_their_order_will_not_bring_this_lot(app, lot, product, order):
    order(product, 1, "Nam", "nam@example.vn", status=OrderStatus.PENDING_PAYMENT)
    order(product, 1, "Hoa", "hoa@example.vn")
    with app.test_request_context():
        recall_batch(lot, REASON, ADVICE)
        db.session.commit()
    mails = {m.to: m.body for m in recall_mails()}
    unpaid_sentence = "không gửi lô này"  # vi: "we will not send you this lot"
    assert unpaid_sentence in mails["nam@example.vn"]
    assert unpaid_sentence not in mails["hoa@example.vn"]


def test_a_second_recall_changes_nothing(client, login, staff, lot, product, order, app):
    order(product, 1, "Hoa", "hoa@example.vn")
    login(staff)
    client.post(f"/recalls/batches/{lot.id}", data=FORM)
    again = client.post(f"/recalls/batches/{lot.id}", data={**FORM, "reason": "Lần hai"})
    assert again.status_code == 409
    assert len(fresh(Batch, lot.id).events) == 4
    assert len(recall_mails()) == 1
    with app.test_request_context(), pytest.raises(CannotRecall):
        recall_batch(fresh(Batch, lot.id), "Lần ba", ADVICE)
    db.session.rollback()


def test_a_recall_needs_a_reason_advice_and_the_confirmation(client, login, staff, lot):
    login(staff)
    for missing in ("reason", "advice", "confirm"):
        data = {k: v for k, v in FORM.items() if k != missing}
        response = client.post(f"/recalls/batches/{lot.id}", data=data)
        assert response.status_code == 400, missing
        assert fresh(Batch, lot.id).recalled_at is None
    unticked = client.post(f"/recalls/batches/{lot.id}", data={**FORM, "confirm": ""})
    assert "Tick the box to confirm the recall." in unticked.text
    assert REASON in unticked.text  # what was typed is kept
    with pytest.raises(CannotRecall):
        recall_batch(lot, "   ", ADVICE)


def test_the_recall_is_in_the_audit_log(client, login, staff, lot):
    login(staff)
    client.post(f"/recalls/batches/{lot.id}", data=FORM)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "batch.recall"))
    assert entry.actor_id == staff.id and entry.target == f"batch:{lot.id}"
    assert entry.after["reason"] == REASON and entry.before["units_left"] == 20
    assert "Recalled a batch" in client.get("/backoffice/audit").text


def test_a_cancelled_order_does_not_put_recalled_units_back(app, lot, product, order):
    placed = order(product, 2, "Hoa", "hoa@example.vn", status=OrderStatus.PENDING_PAYMENT)
    with app.test_request_context():
        recall_batch(lot, REASON, ADVICE)
        db.session.commit()
        cancel_order(fresh(Order, placed.id))
        db.session.commit()
    assert stock(product.id) == 0
    assert fresh(Batch, lot.id).units_left == 0


def test_the_producer_recalls_their_own_batch_but_sees_no_buyer_contacts(
    client, login, farmer, lot, product, order
):
    order(product, 1, "Hoa", "hoa@example.vn")
    login(farmer)
    assert "Recall this batch" in client.get(f"/trace/batches/{lot.id}").text
    assert client.post(f"/recalls/batches/{lot.id}", data=FORM).status_code == 303
    page = client.get(f"/recalls/batches/{lot.id}").text
    assert "1 buyer told" in page and "hoa@example.vn" not in page
    assert "Recall details" in client.get(f"/trace/batches/{lot.id}").text
    assert client.get("/recalls/").status_code == 403


def test_nobody_else_may_recall(client, login, make_user, make_producer, lot):
    assert client.get(f"/recalls/batches/{lot.id}").status_code == 302  # log in first
    neighbour = make_user(role=Role.PRODUCER, producer=make_producer())
    for user in (make_user(role=Role.CONSUMER), neighbour):
        login(user)
        assert client.post(f"/recalls/batches/{lot.id}", data=FORM).status_code == 404
    assert client.get("/recalls/batches/2147483647").status_code == 404
    assert fresh(Batch, lot.id).recalled_at is None


def test_staff_find_a_batch_by_gtin_and_lot_and_list_the_recalls(client, login, staff, lot):
    login(staff)
    page = client.get("/recalls/", query_string={"gtin": lot.product.gtin, "lot": "BLV-2409"})
    assert f'href="/recalls/batches/{lot.id}"' in page.text
    assert "No batch has been recalled." in page.text
    missing = client.get("/recalls/", query_string={"gtin": lot.product.gtin, "lot": "NOPE"})
    assert "No batch has this GTIN and lot." in missing.text
    client.post(f"/recalls/batches/{lot.id}", data=FORM)
    listed = client.get("/recalls/").text
    assert "Recalled batches" in listed and "lot BLV-2409" in listed


def test_the_cli_does_what_the_button_does(runner, lot, product, order):
    order(product, 1, "Hoa", "hoa@example.vn")
    args = ["recall-batch", lot.product.gtin[1:], "BLV-2409", "--reason", REASON]
    result = runner.invoke(args=[*args, "--advice", ADVICE])
    assert result.exit_code == 0, result.output
    assert "1 buyer(s) told" in result.output
    batch = fresh(Batch, lot.id)
    assert batch.recall.details == {"reason": REASON, "advice": ADVICE}
    assert len(recall_mails()) == 1 and stock(product.id) == 0
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "batch.recall"))
    assert audit.actor_id is None
    again = runner.invoke(args=[*args, "--advice", ADVICE])
    assert again.exit_code == 1 and "đã được thu hồi" in again.output  # the default language
    unknown = runner.invoke(
        args=["recall-batch", lot.product.gtin, "X", "--reason", "r", "--advice", "a"]
    )
    assert unknown.exit_code == 1 and "no batch" in unknown.output
    count = db.session.scalar(
        select(func.count(BatchEvent.id)).where(BatchEvent.batch_id == lot.id)
    )
    assert count == 4


def test_recall_and_partner_events_are_not_typed_in_by_the_farmer(client, login, farmer, lot, app):
    with app.test_request_context():
        recall_batch(lot, REASON, ADVICE)
        db.session.commit()
    login(farmer)
    recall = fresh(Batch, lot.id).recall
    assert client.get(f"/trace/batches/{lot.id}/events/new/recall").status_code == 404
    assert client.get(f"/trace/batches/{lot.id}/events/new/partner_step").status_code == 404
    assert client.get(f"/trace/batches/{lot.id}/events/{recall.id}/correct").status_code == 404
    page = client.get(f"/trace/batches/{lot.id}").text
    assert re.search(r"Recalled\.</strong>", page)
