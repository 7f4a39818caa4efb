"""Recalling a batch: one append-only event, the lot off sale at once, every buyer told once.

recall_batch() is what the back-office button and `flask --app shop recall-batch` both call.
It flushes; the view or the command commits (and then sends the queued e-mails).
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from shop.audit.log import record as audit
from shop.catalogue.models import Product
from shop.checkout.models import EmailOutbox, Order, OrderLine, OrderStatus
from shop.extensions import db, lock_for_writing, utcnow
from shop.recalls.models import RecallNotice
from shop.scan.links import batch_url
from shop.trace.events import record_event
from shop.trace.models import Batch, BatchEvent, EventType

MAX_REASON = 500
MAX_ADVICE = 1000
# Orders whose buyers hold (or are about to pay for) the lot; cancelled and expired ones do not.
HOLDING = (
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.PAID,
    OrderStatus.PACKED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
)


class CannotRecall(ValueError):
    """The recall is refused (already recalled, or an empty reason); `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def may_recall(user, batch: Batch) -> bool:
    """Staff recall any batch; a producer only the batches of their own products."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return bool(user.is_producer and user.producer_id == batch.product.producer_id)


@dataclass(frozen=True)
class Buyer:
    """Everyone who ordered from the lot under one e-mail address, with their orders."""

    email: str
    name: str
    phone: str
    orders: list[Order]
    units: int

    @property
    def unpaid(self) -> bool:
        return all(order.status == OrderStatus.PENDING_PAYMENT for order in self.orders)


def buyers_of(batch: Batch) -> list[Buyer]:
    """The buyers of a lot, from the order lines that took units of it (oldest order first)."""
    lines = db.session.scalars(
        select(OrderLine)
        .join(OrderLine.order)
        .where(OrderLine.batch_id == batch.id, Order.status.in_(HOLDING))
        .options(joinedload(OrderLine.order))
        .order_by(Order.created_at, Order.id, OrderLine.id)
    ).all()
    grouped: dict[str, dict] = {}
    for line in lines:
        order = line.order
        key = order.email.strip().lower()
        buyer = grouped.setdefault(
            key, {"name": order.customer_name, "phone": order.phone, "orders": [], "units": 0}
        )
        if order not in buyer["orders"]:
            buyer["orders"].append(order)
        buyer["units"] += line.quantity
    return [Buyer(email=key, **values) for key, values in grouped.items()]


def recall_batch(batch: Batch, reason: str, advice: str, by=None) -> BatchEvent:
    """Recall the lot: the event joins its hash chain, its units leave the shelf, its buyers are
    e-mailed (once each), and the audit log says who did it. CannotRecall if already recalled."""
    reason, advice = " ".join((reason or "").split()), (advice or "").strip()
    if not reason:
        raise CannotRecall(_l("Say why the batch is recalled."))
    lock_for_writing()
    locked = db.session.scalar(
        select(Batch)
        .where(Batch.id == batch.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked.recalled_at is not None:
        raise CannotRecall(_l("This batch was already recalled."))
    now = utcnow()
    event = record_event(
        locked,
        EventType.RECALL,
        now,
        actor=getattr(by, "name", "") or "",
        details={"reason": reason[:MAX_REASON], "advice": advice[:MAX_ADVICE]},
        recorded_by=by,
    )
    withdrawn = withdraw_from_sale(locked, now)
    told = tell_buyers(locked, event)
    audit(
        by,
        "batch.recall",
        f"batch:{locked.id}",
        {"on_sale": True, "units_left": withdrawn},
        {"reason": reason[:MAX_REASON], "advice": advice[:MAX_ADVICE], "told": told},
    )
    return event


def withdraw_from_sale(batch: Batch, at: datetime) -> int:
    """No new order line from this lot; its unsold units leave the product's stock, and a
    product with no other lot on sale goes out of stock. Returns the units withdrawn."""
    units = batch.units_left
    batch.recalled_at, batch.on_sale, batch.units_left = at, False, 0
    db.session.flush()
    others = db.session.scalar(
        select(func.count(Batch.id)).where(
            Batch.product_id == batch.product_id,
            Batch.id != batch.id,
            Batch.on_sale.is_(True),
            Batch.recalled_at.is_(None),
            Batch.units_left > 0,
        )
    )
    stock = case((Product.stock > units, Product.stock - units), else_=0) if others else 0
    db.session.execute(
        update(Product)
        .where(Product.id == batch.product_id)
        .values(stock=stock)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(batch.product, ["stock"])
    return units


def tell_buyers(batch: Batch, event: BatchEvent) -> int:
    """Queue one e-mail per buyer not told yet, and note who was told when. Returns how many."""
    already = set(
        db.session.scalars(select(RecallNotice.email).where(RecallNotice.batch_id == batch.id))
    )
    told = 0
    url = batch_url(batch)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for buyer in buyers_of(batch):
            if buyer.email in already:
                continue
            values = {"buyer": buyer, "batch": batch, "event": event, "url": url}
            message = EmailOutbox(
                order_id=buyer.orders[0].id,
                to=buyer.orders[0].email,
                subject=render_template("recalls/email/recall_subject.txt", **values).strip(),
                body=render_template("recalls/email/recall.txt", **values),
            )
            db.session.add(message)
            db.session.flush()
            db.session.add(
                RecallNotice(
                    batch_id=batch.id,
                    email=buyer.email,
                    name=buyer.name,
                    phone=buyer.phone,
                    order_codes=[order.code for order in buyer.orders],
                    units=buyer.units,
                    unpaid=buyer.unpaid,
                    told_at=utcnow(),
                    outbox_id=message.id,
                )
            )
            told += 1
    db.session.flush()
    return told


def notices_of(batch: Batch) -> list[RecallNotice]:
    """Who was told about this recall and when, in the order they were told."""
    return list(
        db.session.scalars(
            select(RecallNotice)
            .where(RecallNotice.batch_id == batch.id)
            .options(selectinload(RecallNotice.outbox))
            .order_by(RecallNotice.told_at, RecallNotice.id)
        )
    )


def recalled_batches() -> list[Batch]:
    """Every recalled lot, the latest first."""
    return list(
        db.session.scalars(
            select(Batch)
            .where(Batch.recalled_at.is_not(None))
            .options(joinedload(Batch.product).joinedload(Product.producer))
            .order_by(Batch.recalled_at.desc(), Batch.id.desc())
        )
    )
