"""The demo's origins: growing areas, packing houses, and batches with believable timelines."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shop.catalogue.models import OcopGroup, Product
from shop.extensions import db
from shop.places.directory import commune
from shop.producers.models import ApprovalStatus
from shop.text import fold
from shop.trace.events import corrected_ids, record_event, verify_chain
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

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
LOT = re.compile(r"^[A-Z0-9-]{1,20}$")
# Thanh Hóa, generously: its land and the coastal waters its fishing grounds lie in.
LATITUDES, LONGITUDES = (19.3, 20.7), (104.4, 106.1)


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def all_batches() -> list[Batch]:
    query = (
        select(Batch)
        .options(
            selectinload(Batch.events),
            selectinload(Batch.product).selectinload(Product.producer),
            selectinload(Batch.growing_area),
            selectinload(Batch.packing_house),
        )
        .order_by(Batch.id)
    )
    return db.session.scalars(query).all()


def local(moment: datetime) -> datetime:
    """Stored times come back naive (UTC) from SQLite and aware from PostgreSQL."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(LOCAL)


def test_every_listed_physical_product_has_two_or_more_batches_and_the_summary_counts(seeded):
    products = db.session.scalars(select(Product).options(selectinload(Product.batches))).all()
    listed = [p for p in products if p.is_listed]
    physical = [p for p in listed if p.ocop_group != OcopGroup.TOURISM]
    assert len(physical) >= 40
    for product in physical:
        assert len(product.batches) >= 2, product.slug
    for product in listed:
        if product.ocop_group == OcopGroup.TOURISM:
            assert product.batches == [], "a stay or a tour has no lot to trace"
    for product in products:
        if not product.is_listed:
            assert product.batches == [], f"{product.slug} is not sold, so it has no lots"
    assert db.session.scalar(select(func.count(Batch.id))) >= 90
    for model, words in (
        (GrowingArea, "growing areas"),
        (PackingHouse, "packing houses"),
        (Batch, "batches"),
        (BatchEvent, "events"),
    ):
        count = db.session.scalar(select(func.count()).select_from(model))
        assert f"{count} {words}" in seeded.output


@pytest.mark.both_databases  # hashes over stored times
def test_every_batch_has_a_full_timeline_in_order_with_an_intact_hash_chain(seeded):
    for batch in all_batches():
        events = batch.events
        assert len(events) >= 4, batch.lot
        assert verify_chain(events).intact, batch.lot
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        times = [local(e.occurred_at) for e in events]
        assert times == sorted(times), f"{batch.lot}: events out of order"
        kinds = {e.type for e in events}
        assert {EventType.PACKING, EventType.SHIPPING} <= kinds, batch.lot
        assert kinds & {EventType.HARVEST, EventType.PROCESSING}, batch.lot
        for event in events:
            assert event.timezone == "Asia/Ho_Chi_Minh"
            assert event.place and event.actor and event.notes
            assert fold(event.notes) != event.notes.lower(), f"{event.notes!r} lacks diacritics"
        shipped = next(e for e in events if e.type == EventType.SHIPPING)
        assert shipped.details["destination"].startswith("Kho")


def test_the_timelines_fit_the_products_and_fish_sauce_lab_tests_carry_a_report(app, seeded):
    batches = {b.lot: b for b in all_batches()}

    fish_sauce = [e.type for e in batches["BL40-2605-01"].events]
    assert fish_sauce[0] == EventType.HARVEST
    assert EventType.LAB_TEST in fish_sauce and fish_sauce.count(EventType.PROCESSING) == 2
    rice = batches["NCHV-2610-01"].events
    assert rice[0].type == EventType.PLANTING
    spray = next(e for e in rice if e.details.get("phi_days") == 7)
    assert spray.type == EventType.INPUT_APPLIED and spray.details["dose"]
    lab = next(e for e in rice if e.type == EventType.LAB_TEST)
    assert lab.details["result"] == "Đạt" and lab.details["lab"] and lab.details["test"]
    harvest = next(e for e in rice if e.type == EventType.HARVEST)
    assert harvest.details == {"quantity": 4500, "unit": "kg"}
    packing = next(e for e in rice if e.type == EventType.PACKING)
    assert packing.details == {"quantity": 1600, "unit": "túi"}

    folder = Path(app.config["UPLOAD_FOLDER"])
    with_reports = [
        event
        for batch in batches.values()
        for event in batch.events
        if event.type == EventType.LAB_TEST and event.attachments
    ]
    assert len(with_reports) == 7
    for event in with_reports:
        assert event.batch.product.producer.slug == "htx-nuoc-mam-ba-lang"
        [name] = event.attachments
        assert name.endswith(".pdf") and "/" not in name
        pdf = pypdfium2.PdfDocument(folder / name)
        try:
            text = pdf[0].get_textpage().get_text_range()
        finally:
            pdf.close()
        assert event.batch.lot in text and event.details["report_no"] in text


def test_lots_and_dates_are_valid_and_nothing_lies_in_the_future(seeded, demo_day):
    now = datetime.now(UTC)
    reference = datetime.combine(demo_day, datetime.min.time(), LOCAL)
    for batch in all_batches():
        product = batch.product
        assert LOT.match(batch.lot), batch.lot
        assert batch.quantity > 0 and batch.quantity_unit == product.unit
        assert batch.packing_date < demo_day
        if batch.harvest_date is not None:
            assert batch.harvest_date <= batch.packing_date, batch.lot
            harvests = [e for e in batch.events if e.type == EventType.HARVEST]
            assert {local(e.occurred_at).date() for e in harvests} == {batch.harvest_date}
        if product.shelf_life_days:
            shelf_life = timedelta(days=product.shelf_life_days)
            assert batch.best_before == batch.packing_date + shelf_life, batch.lot
        else:
            assert batch.best_before is None
        if batch.best_before is not None and batch.best_before < demo_day:
            assert not batch.on_sale, f"{batch.lot} is past its date but on sale"
        packings = [e for e in batch.events if e.type == EventType.PACKING]
        assert [local(e.occurred_at).date() for e in packings] == [batch.packing_date]
        for event in batch.events:
            assert local(event.occurred_at) < reference and local(event.occurred_at) < now


def test_batches_use_registered_areas_and_houses_of_their_own_producer(seeded, demo_day):
    batches = all_batches()
    for batch in batches:
        area, house = batch.growing_area, batch.packing_house
        if area is not None:
            assert area.producer_id == batch.product.producer_id, batch.lot
            assert area.issued_on <= batch.harvest_date <= area.expires_on, batch.lot
        if house is not None:
            assert house.producer_id == batch.product.producer_id, batch.lot
            assert house.issued_on <= batch.packing_date <= house.expires_on, batch.lot
    assert sum(b.growing_area is not None for b in batches) >= 0.8 * len(batches)
    assert sum(b.packing_house is not None for b in batches) >= 0.8 * len(batches)

    houses = db.session.scalars(select(PackingHouse)).all()
    assert len(houses) >= 12
    packing = {b.packing_house_id for b in batches}
    for house in houses:
        assert house.code == normalise_code(house.code)
        assert house.name and house.address and house.district
        assert house.province_code == 38 and commune(house.commune_code).name == house.commune
        assert house.status == CodeStatus.ACTIVE and house.is_valid(demo_day)
        assert house.id in packing, f"{house.code} packs nothing"


def test_one_area_is_revoked_and_one_suspended_after_their_batches(seeded, demo_day):
    areas = db.session.scalars(select(GrowingArea).options(selectinload(GrowingArea.batches)))
    by_status = {status: [] for status in CodeStatus}
    for area in areas:
        by_status[area.status].append(area)
    assert len(by_status[CodeStatus.REVOKED]) == 1
    assert len(by_status[CodeStatus.SUSPENDED]) == 1
    assert len(by_status[CodeStatus.ACTIVE]) >= 15

    for area in by_status[CodeStatus.REVOKED] + by_status[CodeStatus.SUSPENDED]:
        assert not area.is_valid(demo_day)
        assert (
            fold(area.status_reason) != area.status_reason.lower() and len(area.status_reason) > 40
        )
        changed = local(area.status_changed_at).date()
        assert area.issued_on < changed < demo_day
        assert area.batches, f"{area.code} has a batch recorded before its status changed"
        for batch in area.batches:
            assert batch.packing_date < changed, batch.lot
    for area in by_status[CodeStatus.ACTIVE]:
        assert area.status_reason == "" and area.status_changed_at is None
        assert area.is_valid(demo_day)


def test_one_event_corrects_another_and_one_harvest_came_too_early(seeded):
    """The two slips the farmer pages and the scan page must show: a correction, a PHI."""
    corrections = db.session.scalars(
        select(BatchEvent).where(BatchEvent.corrects_id.is_not(None))
    ).all()
    assert len(corrections) == 1
    correction = corrections[0]
    original = correction.corrects
    assert original.batch_id == correction.batch_id
    assert original.seq < correction.seq and original.type == correction.type
    assert original.details["quantity"] != correction.details["quantity"]
    assert corrected_ids(correction.batch.events) == {original.id}

    early = []
    for batch in all_batches():
        for event in batch.events:
            days = event.details.get("phi_days")
            if event.type != EventType.INPUT_APPLIED or days is None:
                continue
            assert isinstance(days, int) and days >= 0
            if local(event.occurred_at).date() + timedelta(days=days) > batch.harvest_date:
                early.append(batch)
    assert len(early) == 1
    assert early[0].growing_area.status == CodeStatus.REVOKED  # the reason it was revoked


def test_growing_areas_are_plausible_places_in_thanh_hoa(seeded, demo_day):
    areas = db.session.scalars(
        select(GrowingArea).options(selectinload(GrowingArea.producer))
    ).all()
    assert len(areas) >= 15
    assert len({a.producer_id for a in areas}) >= 10
    for area in areas:
        assert area.code == normalise_code(area.code)
        assert area.producer.status == ApprovalStatus.APPROVED
        assert area.district and area.province == "Thanh Hóa" and area.province_code == 38
        assert commune(area.commune_code).name == area.commune
        assert area.name and area.crop and area.area_m2 > 0 and area.households >= 1
        assert LATITUDES[0] < area.latitude < LATITUDES[1], area.code
        assert LONGITUDES[0] < area.longitude < LONGITUDES[1], area.code
        assert area.issued_on < area.expires_on
        if area.gap_scheme is not None:
            assert area.gap_certificate_no and area.gap_expires_on
    schemes = Counter(a.gap_scheme for a in areas)
    assert schemes[GapScheme.VIETGAP] >= 3 and schemes[GapScheme.GLOBALGAP] >= 1
    assert any(not a.gap_is_current(demo_day) for a in areas if a.gap_scheme)

    polygons = [a for a in areas if a.polygon is not None]
    assert len(polygons) >= 8
    for area in polygons:
        assert area.polygon["type"] == "Polygon"
        ring = area.polygon["coordinates"][0]
        assert len(ring) >= 4 and ring[0] == ring[-1]
        longitudes, latitudes = [p[0] for p in ring], [p[1] for p in ring]
        assert min(longitudes) < area.longitude < max(longitudes), "[lon, lat] order"
        assert min(latitudes) < area.latitude < max(latitudes), "[lon, lat] order"
        assert max(latitudes) - min(latitudes) < 0.05, "a small ring around the point"


@pytest.mark.both_databases  # the seeds' idempotency
def test_a_rerun_keeps_what_farmers_and_staff_did_and_adds_no_events(runner, seeded):
    batch = db.session.scalar(select(Batch).where(Batch.lot == "BLV-2611-01"))
    record_event(
        batch,
        EventType.SHIPPING,
        datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
        place="Kho hợp tác xã",
        notes="Chuyển 200 kg cho cửa hàng ở Sầm Sơn.",
    )
    area = db.session.scalar(select(GrowingArea).where(GrowingArea.code == "VN-TH-TT-0007"))
    area.status = CodeStatus.SUSPENDED
    db.session.commit()
    events = db.session.scalar(select(func.count(BatchEvent.id)))

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(BatchEvent.id))) == events
    assert verify_chain(db.session.get(Batch, batch.id).events).intact
    assert db.session.get(GrowingArea, area.id).status == CodeStatus.SUSPENDED


@pytest.mark.both_databases  # the seeds' idempotency
def test_a_code_someone_already_holds_stays_theirs(runner, make_producer, make_growing_area):
    stranger = make_growing_area(producer=make_producer(), code="VN-TH-TX-0012")

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(GrowingArea, stranger.id).producer_id == stranger.producer_id
    assert stranger.batches == []
    batch = db.session.scalar(select(Batch).where(Batch.lot == "BLV-2611-01"))
    assert batch.growing_area is None
    harvest = next(e for e in batch.events if e.type == EventType.HARVEST)
    assert harvest.place == "Làng Luận Văn, Xã Lam Sơn, Thanh Hóa"
    assert verify_chain(batch.events).intact
