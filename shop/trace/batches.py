"""Batches and their events: what may be recorded, and how a batch's timeline reads.

Functions that write flush; the views commit.
"""

from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.catalogue.models import Product
from shop.clock import utcnow
from shop.extensions import db
from shop.trace.events import record_event
from shop.trace.fields import lot_error
from shop.trace.models import (
    Batch,
    BatchEvent,
    CodeStatus,
    EventType,
    GrowingArea,
    PackingHouse,
)

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER: a larger id cannot exist
FUTURE_GRACE = timedelta(minutes=5)  # a phone clock a little ahead is not "the future"
PAGE_SIZE = 30


class Refused(ValueError):
    """A record the rules do not allow; `field` names the form field the message belongs to.

    The message stays lazy (verbs also run from the CLI, outside any request): read it with
    str() in a request, which also lets templates escape the code it quotes.
    """

    def __init__(self, field: str, message):
        super().__init__(field)
        self.field, self.message = field, message


def unusable_reason(code: GrowingArea | PackingHouse, today: date) -> str | None:
    """Why no new batch may name this code today, in words for the farmer (None: it may)."""
    if code.status == CodeStatus.SUSPENDED:
        return _l(
            "Code %(code)s is suspended by the authority: no new batch can be recorded against it.",
            code=code.code,
        )
    if code.status == CodeStatus.REVOKED:
        return _l(
            "Code %(code)s has been revoked: no new batch can be recorded against it.",
            code=code.code,
        )
    if not code.is_valid(today):
        return _l(
            "Code %(code)s expired on %(day)s: no new batch can be recorded against it.",
            code=code.code,
            day=code.expires_on.strftime("%d/%m/%Y"),
        )
    return None


def create_batch(
    producer_id: int,
    *,
    product: Product,
    lot: str,
    quantity: int,
    quantity_unit: str,
    today: date,
    growing_area: GrowingArea | None = None,
    packing_house: PackingHouse | None = None,
    harvest_date: date | None = None,
    packing_date: date | None = None,
    best_before: date | None = None,
    units_left: int = 0,
) -> Batch:
    """A new lot of the producer's own product; suspended, revoked or expired codes are refused.

    Best-before defaults to the packing date plus the product's shelf life. `units_left` is how
    many sale units of this lot the shop may sell (orders take from the oldest lot first).
    """
    if product.producer_id != producer_id or not product.gtin:
        raise Refused("product", _l("Choose one of your products."))
    lot = (lot or "").strip().upper()
    error = lot_error(lot)
    if error is not None:
        raise Refused("lot", error)
    for name, code in (("growing_area", growing_area), ("packing_house", packing_house)):
        if code is None:
            continue
        if code.producer_id != producer_id:
            raise Refused(name, _l("Choose one of your own codes."))
        reason = unusable_reason(code, today)
        if reason is not None:
            raise Refused(name, reason)
    if best_before is None and packing_date is not None and product.shelf_life_days:
        best_before = packing_date + timedelta(days=product.shelf_life_days)
    batch = Batch(
        product=product,
        lot=lot,
        growing_area=growing_area,
        packing_house=packing_house,
        harvest_date=harvest_date,
        packing_date=packing_date,
        best_before=best_before,
        quantity=quantity,
        quantity_unit=quantity_unit.strip(),
        units_left=max(units_left or 0, 0),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def add_event(
    batch: Batch,
    type: EventType,
    occurred_at: datetime,
    *,
    corrects: BatchEvent | None = None,
    recorded_by=None,
    **content,
) -> BatchEvent:
    """Append an event (never an update); a correction points at the event it corrects."""
    if occurred_at > utcnow() + FUTURE_GRACE:
        raise Refused("time", _l("The time cannot be in the future."))
    if corrects is not None:
        if corrects.batch_id != batch.id:
            raise Refused("corrects", _l("A correction must be about an event of this batch."))
        if corrected_by(batch, corrects) is not None:
            raise Refused("corrects", _l("This record was already corrected."))
    # Stored in UTC: SQLite keeps no offset, and the hash is taken over the UTC instant.
    # The event's `timezone` column says on which clock to show it.
    occurred_at = occurred_at.astimezone(UTC)
    return record_event(
        batch, type, occurred_at, corrects=corrects, recorded_by=recorded_by, **content
    )


def corrected_by(batch: Batch, event: BatchEvent) -> BatchEvent | None:
    """The later event that corrects this one, if any."""
    return db.session.scalar(
        select(BatchEvent)
        .where(BatchEvent.batch_id == batch.id, BatchEvent.corrects_id == event.id)
        .limit(1)
    )


def last_area_id(producer_id: int) -> int | None:
    """The growing area of the producer's latest batch: the sensible default for the next one."""
    return db.session.scalar(
        select(Batch.growing_area_id)
        .join(Product, Batch.product_id == Product.id)
        .where(Product.producer_id == producer_id, Batch.growing_area_id.is_not(None))
        .order_by(Batch.created_at.desc(), Batch.id.desc())
        .limit(1)
    )


def own_batch(producer_id: int, batch_id: int) -> Batch | None:
    """A batch with everything its page shows, in three queries whatever its number of events."""
    return db.session.scalar(
        select(Batch)
        .join(Product, Batch.product_id == Product.id)
        .where(Batch.id == batch_id, Product.producer_id == producer_id)
        .options(
            joinedload(Batch.product),
            joinedload(Batch.growing_area),
            joinedload(Batch.packing_house),
            selectinload(Batch.events),
        )
    )


def producer_batches(producer_id: int, page: int = 1) -> tuple[list[Batch], bool]:
    """One page of the producer's batches, newest first, and whether older ones follow."""
    rows = db.session.scalars(
        select(Batch)
        .join(Product, Batch.product_id == Product.id)
        .where(Product.producer_id == producer_id)
        .options(
            joinedload(Batch.product),
            joinedload(Batch.growing_area),
            selectinload(Batch.events),
        )
        .order_by(Batch.created_at.desc(), Batch.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE
