"""A consumer scans a batch label and reads, on a phone, where the food came from."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from shop.catalogue.models import CertificateStatus, OcopCertificate, ProductPhoto, add_months
from shop.extensions import db
from shop.scan.models import Scan
from shop.trace.events import record_event
from shop.trace.models import BatchEvent, CodeStatus, EventType, GapScheme

pytestmark = pytest.mark.both_databases  # event times and their zones, a constant query count


def page(client, batch, **kwargs):
    response = client.get(f"/01/{batch.product.gtin}/10/{batch.lot}", **kwargs)
    assert response.status_code == 200
    return response.text


def squash(html: str) -> str:
    """The page's text with tags and runs of whitespace removed, for phrase assertions."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_product_producer_and_batch_facts(
    client, make_producer, make_product, make_batch, any_hour, today
):
    producer = make_producer(
        name="HTX Bưởi Luận Văn",
        address="Thôn 3",
        commune="Xã Lam Sơn",
        commune_code=15544,
        district="Thọ Xuân",
        phone="0912 345 678",
    )
    product = make_product(
        producer=producer, name="Bưởi Luận Văn", gtin="08931234567897", shelf_life_days=45
    )
    product.photos.append(ProductPhoto(filename="buoi.jpg", position=0))
    db.session.commit()
    batch = make_batch(
        product=product,
        lot="LV2609A",
        harvest_date=date(2026, 9, 1),
        packing_date=date(2026, 9, 3),
        best_before=today + timedelta(days=30),
        quantity=1500,
        quantity_unit="kg",
    )

    html = page(client, batch)
    words = squash(html)

    assert '<h2 class="scan-product-name">Bưởi Luận Văn</h2>' in html
    assert 'src="/media/buoi.jpg"' in html
    assert "HTX Bưởi Luận Văn" in words
    assert "Thôn 3" in words
    assert "Xã Lam Sơn, Thanh Hóa (formerly: Thọ Xuân)" in words
    assert 'href="tel:0912 345 678"' in html
    assert "Lot LV2609A" in words
    assert "Barcode (GTIN) 8931234567897" in words  # the printed form
    assert "Harvested 01/09/2026" in words
    assert "Packed 03/09/2026" in words
    assert f"Best before {(today + timedelta(days=30)):%d/%m/%Y}" in words
    assert "30 days left" in words
    assert "Shelf life 45 days" in words
    assert "Batch size 1,500 kg" in words
    assert f'href="/products/{product.slug}"' in html and "Buy this product" in words


def test_no_buy_link_for_a_product_that_is_not_on_sale(client, make_product, make_batch):
    batch = make_batch(product=make_product(is_active=False))

    html = page(client, batch)

    assert "Buy this product" not in html


def test_page_is_light_phone_first_and_script_free(client, make_batch):
    batch = make_batch(events=12)

    html = page(client, batch)

    assert "<script" not in html.lower()
    assert 'name="viewport"' in html
    assert re.search(r"/static/css/scan\.[0-9a-f]{10}\.css", html)  # fingerprinted, cached
    assert len(html.encode()) < 40_000


def test_vietnamese_is_the_default_language(vi_client, make_batch):
    batch = make_batch(events=1)

    html = vi_client.get(f"/01/{batch.product.gtin}/10/{batch.lot}").text

    assert '<html lang="vi">' in html
    assert "/language/en" in html  # the language switch


def test_ocop_certificate_while_current(client, make_product, make_batch):
    batch = make_batch(product=make_product(stars=4))
    cert = batch.product.certificates[0]

    words = squash(page(client, batch))

    assert "4-star OCOP product" in words
    assert f"Decision No. {cert.decision_number} of {cert.decision_date:%d/%m/%Y}" in words
    assert "Issued by UBND tỉnh Thanh Hóa" in words
    assert f"Valid until {cert.expires_on:%d/%m/%Y}" in words


def test_a_lapsed_certificate_is_said_plainly_and_shows_no_stars(
    client, make_product, make_batch, any_hour, today
):
    product = make_product()
    product.certificates.append(
        OcopCertificate(
            decision_number="77/QĐ-UBND",
            decision_date=add_months(today, -37),
            issuer="UBND tỉnh Thanh Hóa",
            stars=5,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()
    batch = make_batch(product=product)

    html = page(client, batch)

    assert "77/QĐ-UBND" in html and "expired on" in html
    assert "no longer shown as current" in html
    assert "★★★★★" not in html


def test_growing_area_facts_and_map_from_a_polygon(client, make_growing_area, make_batch, today):
    ring = [[105.43, 19.93], [105.434, 19.93], [105.434, 19.927], [105.43, 19.927], [105.43, 19.93]]
    area = make_growing_area(
        code="VN-TH-TX-0042",
        name="Vùng bưởi Thọ Xương",
        crop="Bưởi",
        area_m2=125_000,
        households=18,
        polygon={"type": "Polygon", "coordinates": [ring]},
        gap_scheme=GapScheme.VIETGAP,
        gap_certificate_no="VG-0815",
        gap_expires_on=today + timedelta(days=100),
    )
    batch = make_batch(growing_area=area)

    html = page(client, batch)
    words = squash(html)

    assert "VN-TH-TX-0042 Valid" in words
    assert "Crop Bưởi" in words
    assert "Surface area 12.5 ha" in words
    assert "Households 18" in words
    assert "Xã Xuân Lập, Thanh Hóa (formerly: Thọ Xuân)" in words
    assert "VietGAP · certificate no. VG-0815" in words
    svg = html[
        html.index('<svg viewBox="0 0 320 200"') : html.index("</svg>", html.index("map-area"))
    ]
    assert 'class="map-area"' in svg and 'class="map-north"' in svg and 'class="map-scale"' in svg
    assert "http" not in svg  # nothing fetched: no tiles
    assert "19.92850, 105.43200" in words  # the middle, in text
    assert "4 boundary points" in words
    assert 'href="geo:19.928500,105.432000"' in html


def test_a_point_area_gets_a_marker_and_an_honest_caption(client, make_growing_area, make_batch):
    batch = make_batch(growing_area=make_growing_area(latitude=19.93, longitude=105.43))

    html = page(client, batch)

    assert 'class="map-marker"' in html
    assert "Only a point is registered: 19.93000, 105.43000" in squash(html)
    assert "not its boundary" in html


@pytest.mark.parametrize(
    ("status", "word"), [(CodeStatus.REVOKED, "revoked"), (CodeStatus.SUSPENDED, "suspended")]
)
def test_a_revoked_or_suspended_area_is_never_shown_as_valid(
    client, make_growing_area, make_batch, status, word
):
    area = make_growing_area(code="VN-TH-0099")
    batch = make_batch(growing_area=area, events=2)
    area.status = status
    area.status_reason = "Dư lượng thuốc vượt ngưỡng"
    area.status_changed_at = datetime(2026, 8, 20, 3, 0, tzinfo=UTC)
    db.session.commit()

    html = page(client, batch)
    words = squash(html)

    assert f"This growing-area code was {word} on 20/08/2026." in words
    assert "Reason: Dư lượng thuốc vượt ngưỡng" in words
    assert "VN-TH-0099 Valid" not in words
    assert "badge-valid" not in html.split('id="growing-area"')[1].split("</section>")[0]
    assert "verdict-warning" in html and "verdict-genuine" not in html
    assert "Growing area not valid." in words


def test_an_expired_area_code_is_not_valid_either(
    client, make_growing_area, make_batch, any_hour, today
):
    area = make_growing_area(expires_on=today - timedelta(days=1))
    batch = make_batch(growing_area=area)

    words = squash(page(client, batch))

    assert f"This growing-area code expired on {area.expires_on:%d/%m/%Y}." in words
    assert f"{area.code} Expired" in words


def test_a_suspended_packing_house_is_said_plainly(client, make_packing_house, make_batch):
    house = make_packing_house(code="PH-01", status=CodeStatus.SUSPENDED)
    batch = make_batch(packing_house=house)

    words = squash(page(client, batch))

    assert "PH-01 Suspended" in words
    assert "This packing-house code is suspended." in words


def test_an_intact_batch_has_a_genuine_verdict(client, make_batch, today):
    batch = make_batch(events=3, best_before=today + timedelta(days=9))

    html = page(client, batch)

    assert "verdict-genuine" in html
    assert "Registered batch, records intact" in html
    assert "Record altered" not in html


def test_an_altered_record_is_shown_on_the_event_and_in_a_banner(client, make_batch, today):
    batch = make_batch(events=3, best_before=today + timedelta(days=9))
    target = db.session.scalars(
        select(BatchEvent).where(BatchEvent.batch_id == batch.id, BatchEvent.seq == 2)
    ).one()
    db.session.execute(
        text("UPDATE batch_events SET notes = 'Không phun thuốc' WHERE id = :id"),
        {"id": target.id},
    )
    db.session.commit()
    db.session.expire_all()

    html = page(client, batch)

    assert "verdict-warning" in html
    assert "1 record of this batch was changed after it was entered" in html
    altered = re.findall(r'<li class="event [^"]*is-altered[^"]*" id="event-(\d+)"', html)
    assert altered == ["2"]
    item = html.split('id="event-2"')[1].split("</li>")[0]
    assert "Record altered" in item and "Không phun thuốc" in item


def test_timeline_is_oldest_first_in_vietnam_time(client, make_batch):
    batch = make_batch(events=0)
    late = datetime(2026, 5, 1, 23, 30, tzinfo=UTC)  # 06:30 on 2 May in Vietnam
    record_event(batch, EventType.HARVEST, late, place="Vườn A", actor="Chị Lan")
    record_event(batch, EventType.PLANTING, late - timedelta(days=90), actor="Anh Tú")
    db.session.commit()

    html = page(client, batch)
    words = squash(html.split('id="timeline"')[1])

    assert words.index("Planting") < words.index("Harvest")
    assert "02/05/2026 06:30 (UTC+07:00)" in words
    assert 'datetime="2026-05-02T06:30:00+07:00"' in html
    assert "Place Vườn A" in words and "By Chị Lan" in words


def test_a_corrected_event_is_struck_through_with_its_correction(client, make_batch):
    batch = make_batch(events=2)
    wrong = batch.events[0]
    fix = record_event(
        batch,
        EventType.PLANTING,
        datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        notes="Ngày trồng đúng",
        corrects=wrong,
    )
    db.session.commit()

    html = page(client, batch)

    original = html.split(f'id="event-{wrong.seq}"')[1].split("</li>")[0]
    correction = html.split(f'id="event-{fix.seq}"')[1].split("</li>")[0]
    assert f'is-corrected" id="event-{wrong.seq}"' in html
    assert '<del class="event-body">' in original
    assert f'href="#event-{fix.seq}"' in original
    assert f'href="#event-{wrong.seq}"' in correction and "Ngày trồng đúng" in correction
    assert "<del" not in correction
    assert "verdict-genuine" in html or "Past its best-before date" in html


def test_inputs_photos_and_lab_reports(client, make_batch):
    batch = make_batch(events=0, harvest_date=None)
    applied = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    record_event(
        batch,
        EventType.INPUT_APPLIED,
        applied,
        details={"input": "Phân hữu cơ vi sinh", "dose": "2 kg/gốc", "phi_days": 14},
        attachments=["a1b2.jpg"],
    )
    record_event(batch, EventType.HARVEST, applied + timedelta(days=10))
    record_event(
        batch,
        EventType.LAB_TEST,
        applied + timedelta(days=12),
        details={"lab": "Trung tâm Kiểm nghiệm", "result": "Đạt"},
        attachments=["report9.pdf", "../etc/passwd"],
    )
    db.session.commit()

    html = page(client, batch)
    words = squash(html)

    assert "Input Phân hữu cơ vi sinh" in words
    assert "Dose 2 kg/gốc" in words
    assert "Pre-harvest interval 14 days" in words
    assert "The harvest came 4 days before this input's waiting period ended." in words
    assert "Harvested too early." in words
    assert '<img src="/media/a1b2.jpg"' in html and 'loading="lazy"' in html
    assert "Laboratory Trung tâm Kiểm nghiệm" in words and "Result Đạt" in words
    assert 'href="/media/report9.pdf"' in html and "Lab report (PDF)" in words
    assert "passwd" not in html


def test_standards_applied(client, make_growing_area, make_product, make_batch):
    area = make_growing_area(gap_scheme=GapScheme.GLOBALGAP)
    batch = make_batch(product=make_product(stars=3), growing_area=area)

    words = squash(page(client, batch))

    for standard in ("GlobalG.A.P.", "OCOP 3★", "TCVN 12850:2019", "GS1 Digital Link", "EPCIS 2.0"):
        assert standard in words


def test_the_page_records_a_batch_scan_without_tracking(client, make_batch):
    batch = make_batch(events=1)

    page(client, batch, headers={"User-Agent": "Phone/1.0"})
    client.head(f"/01/{batch.product.gtin}/10/{batch.lot}")  # a link checker: not a scan

    scans = db.session.scalars(select(Scan)).all()
    assert [(s.batch_id, s.serial_id, s.province) for s in scans] == [(batch.id, None, None)]
    assert {c.name for c in Scan.__table__.columns} == {
        "id",
        "batch_id",
        "serial_id",
        "scanned_at",
        "province",
        "province_code",
    }


def test_query_count_is_constant_whatever_the_number_of_events(client, make_batch, count_queries):
    def count(path: str) -> int:
        db.session.close()
        with count_queries() as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few = make_batch(events=2)
    many = make_batch(events=12)
    for batch in (few, many):
        for event in batch.events:
            event.attachments = ["p.jpg", "r.pdf"]
    db.session.commit()
    paths = [f"/01/{b.product.gtin}/10/{b.lot}" for b in (few, many)]

    assert count(paths[0]) == count(paths[1]) <= 6


def test_details_as_the_farm_forms_record_them(client, make_batch, today):
    batch = make_batch(events=0, best_before=today + timedelta(days=30))
    day = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    record_event(batch, EventType.HARVEST, day, details={"quantity": 520, "unit": "kg"})
    record_event(
        batch,
        EventType.INPUT_APPLIED,
        day - timedelta(days=40),
        details={"input": "Vôi bột", "dose": "1 kg", "phi_days": None},
    )
    record_event(
        batch,
        EventType.SHIPPING,
        day + timedelta(days=2),
        details={"destination": "Kho Hà Nội", "carrier": ""},
    )
    record_event(
        batch,
        EventType.LAB_TEST,
        day + timedelta(days=1),
        details={
            "lab": "Trung tâm Kiểm nghiệm",
            "test": "Dư lượng thuốc BVTV",
            "passed": True,
            "result": "Không phát hiện",
            "report": "giay.jpg",
        },
        attachments=["giay.jpg", "anh.jpg"],
    )
    db.session.commit()

    html = page(client, batch)
    words = squash(html)

    assert "Quantity 520 kg" in words and "Unit" not in words.split("What happened")[1]
    assert "Pre-harvest interval" not in words
    assert "Carrier" not in words
    assert "Test result Passed" in words
    assert "giay.jpg" not in words  # the report is linked, not listed as a detail
    assert 'href="/media/giay.jpg">Lab report (JPG)' in html
    assert '<img src="/media/anh.jpg"' in html and '<img src="/media/giay.jpg"' not in html
    assert "verdict-genuine" in html


def test_a_failed_lab_test_is_a_warning(client, make_batch, today):
    batch = make_batch(events=0, best_before=today + timedelta(days=30))
    record_event(
        batch,
        EventType.LAB_TEST,
        datetime(2026, 6, 1, tzinfo=UTC),
        details={"lab": "Trung tâm", "test": "Nitrat", "passed": False, "result": "Vượt ngưỡng"},
    )
    db.session.commit()

    html = page(client, batch)

    assert "verdict-warning" in html
    assert "A lab test failed." in html
    assert "Test result Failed" in squash(html)
