"""Growing areas, packing houses and batches with their event timelines, for the demo.

origins.json lists the registered codes (matched on the code). batches.json lists each
product's lots (matched on the lot within the product) and, per kind of product, a recipe:
the steps of a timeline, each dated so many days from the lot's harvest or packing day, with
{placeholders} filled from the lot. A batch's events are recorded through record_event, so
they are hash-chained like a farmer's, and only in the run that creates the batch: events
are append-only, and a re-run must add none.
"""

import zlib
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from seeds.data import REFERENCE_DATE, place, read
from seeds.reports import lab_report_pdf
from shop.catalogue.images import store
from shop.catalogue.models import Product
from shop.extensions import db
from shop.producers.models import Producer
from shop.trace.events import record_event
from shop.trace.models import (
    Batch,
    BatchEvent,
    CodeStatus,
    EventType,
    GapScheme,
    GrowingArea,
    PackingHouse,
    normalise_code,
)

if TYPE_CHECKING:
    from seeds.loader import Created

TIMEZONE = "Asia/Ho_Chi_Minh"
LOCAL = ZoneInfo(TIMEZONE)


def load_origins(
    producers: dict[str, Producer], products: dict[str, Product], created: "Created"
) -> None:
    """Create the missing growing areas, packing houses, and batches with their timelines."""
    data = read("origins")
    areas, created.growing_areas = _load_codes(GrowingArea, data["growing_areas"], _area, producers)
    houses, created.packing_houses = _load_codes(
        PackingHouse, data["packing_houses"], _house, producers
    )
    db.session.flush()
    _load_batches(products, areas, houses, created)


def _load_codes(model, rows: list[dict], build, producers: dict[str, Producer]):
    """The rows of a code table by code, and how many were created now.

    A code that is already there is left as it is (staff may have suspended it since), even
    when another producer holds it.
    """
    codes = [normalise_code(r["code"]) for r in rows]
    query = select(model).where(model.code.in_(codes))
    existing = {record.code: record for record in db.session.scalars(query)}
    created = 0
    for row, code in zip(rows, codes, strict=True):
        producer = producers.get(row["producer"])
        if code in existing or producer is None:
            continue
        record = build(row)
        record.code = code
        record.producer = producer
        db.session.add(record)
        existing[code] = record
        created += 1
    return existing, created


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _instant(value: datetime) -> datetime:
    """Stored in UTC, like every time in the shop: SQLite keeps no offset, only the digits."""
    return value.astimezone(UTC)


def _registration(row: dict) -> dict:
    """The columns every registered code has: status with its reason and time, dates, place."""
    changed = row.get("status_changed_at")
    return {
        "status": CodeStatus(row.get("status", "active")),
        "status_reason": row.get("status_reason", ""),
        "status_changed_at": _instant(datetime.fromisoformat(changed)) if changed else None,
        "issued_on": _day(row["issued_on"]),
        "expires_on": _day(row["expires_on"]),
        "district": row["district"],
    }


def _area(row: dict) -> GrowingArea:
    area = GrowingArea(
        name=row["name"],
        crop=row["crop"],
        area_m2=row["area_m2"],
        households=row["households"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        polygon=row["polygon"],
        gap_scheme=GapScheme(row["gap_scheme"]) if row["gap_scheme"] else None,
        gap_certificate_no=row["gap_certificate_no"],
        gap_expires_on=_day(row["gap_expires_on"]),
        expected_yield_kg=row["expected_yield_kg"],
        **_registration(row),
    )
    area.set_place(*place(row))
    return area


def _house(row: dict) -> PackingHouse:
    house = PackingHouse(name=row["name"], address=row["address"], **_registration(row))
    house.set_place(*place(row))
    return house


def _load_batches(
    products: dict[str, Product],
    areas: dict[str, GrowingArea],
    houses: dict[str, PackingHouse],
    created: "Created",
) -> None:
    data = read("batches")
    entries = [e for e in data["products"] if e["product"] in products]
    product_ids = [products[e["product"]].id for e in entries]
    query = select(Batch.product_id, Batch.lot).where(Batch.product_id.in_(product_ids))
    known = {(product_id, lot) for product_id, lot in db.session.execute(query)}
    for entry in entries:
        product = products[entry["product"]]
        recipe = data["recipes"][entry["recipe"]]
        new_lots = 0
        for row in entry["batches"]:
            if (product.id, row["lot"]) in known:
                continue
            area = _own(areas.get(normalise_code(row.get("area"))), product)
            house = _own(houses.get(normalise_code(row.get("house"))), product)
            batch = _new_batch(product, row, area, house)
            context = _context(data, entry, row, batch)
            created.events += _record_timeline(batch, recipe, row, context)
            created.batches += 1
            created.lab_reports += sum(1 for step in recipe if step.get("attach_report"))
            new_lots += 1
        if new_lots:
            _stock_lots(product)


def _stock_lots(product: Product) -> None:
    """Put the product's stock into its lots on sale, oldest packed first (each up to its
    quantity), so that every order records the lot it sold. Only while none of its lots holds
    any units: after that, orders and farmers decide, and a re-run changes nothing."""
    if any(batch.units_left for batch in product.batches):
        return
    lots = sorted(
        (batch for batch in product.batches if batch.on_sale),
        key=lambda batch: (batch.packing_date is None, batch.packing_date, batch.id),
    )
    remaining = product.stock
    for batch in lots:
        batch.units_left = min(remaining, batch.quantity)
        remaining -= batch.units_left


def _own(record, product: Product):
    """An area or house is used only by its own producer's batches."""
    return record if record is not None and record.producer_id == product.producer_id else None


def _new_batch(
    product: Product, row: dict, area: GrowingArea | None, house: PackingHouse | None
) -> Batch:
    packing = date.fromisoformat(row["packing"])
    shelf_life = product.shelf_life_days
    best_before = packing + timedelta(days=shelf_life) if shelf_life else None
    batch = Batch(
        product=product,
        lot=row["lot"],
        growing_area=area,
        packing_house=house,
        harvest_date=_day(row.get("harvest")),
        packing_date=packing,
        best_before=best_before,
        quantity=row["quantity"],
        quantity_unit=product.unit,
        on_sale=row.get("on_sale", best_before is None or best_before >= REFERENCE_DATE),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def _context(data: dict, entry: dict, row: dict, batch: Batch) -> dict[str, Any]:
    """What a recipe's {placeholders} may name: the lot, its places, and the data's vars.

    Without its area or house (a code someone else already held) a step happened at the
    producer's own address.
    """
    producer = batch.product.producer
    farm = f"{producer.address}, {producer.location}"
    area, house = batch.growing_area, batch.packing_house
    return {
        "lot": batch.lot,
        "quantity": batch.quantity,
        "unit": batch.quantity_unit,
        "warehouse": data["warehouse"],
        "farm": farm,
        "area": f"{area.name}, {area.commune}" if area else farm,
        "house": f"{house.name}, {house.address}, {house.commune}" if house else farm,
        "report": _report_number(batch),
        **entry.get("vars", {}),
        **row.get("vars", {}),
    }


def _report_number(batch: Batch) -> str:
    """A lab report number that looks issued, the same on every run."""
    number = zlib.crc32(batch.lot.encode()) % 9000 + 1000
    return f"{number}/{batch.packing_date.year}/PKQ-KN"


def _record_timeline(batch: Batch, recipe: list[dict], row: dict, context: dict) -> int:
    """Record the recipe's steps in time order; returns how many events were recorded."""
    correction = row.get("correct")
    recorded = 0
    for when, step in _schedule(batch, recipe, row.get("days", {})):
        mistyped = correction is not None and step.get("id") == correction["step"]
        typed = context | correction["typed"] if mistyped else context
        event = _record_step(batch, step, when, typed)
        recorded += 1
        if mistyped:  # the farmer noticed the slip: a correction pointing at the wrong record
            _record_step(batch, step, when, context, notes=correction["notes"], corrects=event)
            recorded += 1
    return recorded


def _schedule(batch: Batch, recipe: list[dict], days: dict[str, int]):
    """Each step with its time: a day from the harvest or packing day, at a set local hour.

    The minutes shift a little from lot to lot (always the same for one lot), so that two
    lots of one product do not read as copies of each other.
    """
    anchors = {"harvest": batch.harvest_date, "packing": batch.packing_date}
    shift = timedelta(minutes=zlib.crc32(batch.lot.encode()) % 20)
    timed = []
    for index, step in enumerate(recipe):
        anchor = anchors[step["from"]]
        if anchor is None:
            raise ValueError(f"lot {batch.lot}: a step counts from a {step['from']} date it lacks")
        day = anchor + timedelta(days=days.get(step.get("id"), step["day"]))
        when = datetime.combine(day, time.fromisoformat(step["at"]), LOCAL) + shift
        timed.append((_instant(when), index, step))
    return [(when, step) for when, _, step in sorted(timed, key=lambda t: t[:2])]


def _record_step(
    batch: Batch,
    step: dict,
    when: datetime,
    context: dict,
    notes: str | None = None,
    corrects: BatchEvent | None = None,
) -> BatchEvent:
    """One recipe step as a hash-chained event (with the lab's report where the step says)."""
    details = _fill(step["details"], context)
    attachments = [_lab_report(batch, details, when)] if step.get("attach_report") else []
    return record_event(
        batch,
        EventType(step["type"]),
        when,
        place=_fill(step["place"], context),
        actor=_fill(step["actor"], context),
        notes=notes if notes is not None else _fill(step["notes"], context),
        details=details,
        attachments=attachments,
        corrects=corrects,
        timezone=TIMEZONE,
    )


def _lab_report(batch: Batch, details: dict, when: datetime) -> str:
    """The lab's result sheet, stored like an upload; returns its file name."""
    product = batch.product
    day = when.astimezone(LOCAL).date()
    pdf = lab_report_pdf(details, product.name, batch.lot, product.producer.name, day)
    return store(pdf, ".pdf")


def _fill(value: Any, context: dict) -> Any:
    """Fill {placeholders}; a value that is one placeholder for a number stays a number."""
    if isinstance(value, dict):
        return {key: _fill(item, context) for key, item in value.items()}
    if not isinstance(value, str):
        return value
    name = value[1:-1]
    if value == f"{{{name}}}" and isinstance(context.get(name), int):
        return context[name]
    return value.format_map(context)
