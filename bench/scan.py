"""How fast the scan page answers, and what counting scans costs (SQLite, and PostgreSQL if set).

run() prints requests per second and median latency of one batch's origin page, measured
in-process with Flask's test client (no network), three ways:
  - HEAD of the batch page: the whole page is rendered, no scan is written;
  - GET of the batch page: plus one INSERT of a Scan row and a commit;
  - GET of a serialised unit page: plus the atomic UPDATE of the label's counter.
It also prints the page's size (raw and gzipped) and its number of SQL statements.
BENCH_DATABASE_URL adds PostgreSQL; BENCH_ROUNDS sets the number of requests (default 300).
"""

import gzip
import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, text

from shop import create_app
from shop.clock import local_today
from shop.extensions import db

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))
EVENTS = 12


def build_sample(events: int = EVENTS) -> tuple[str, str]:
    """A producer, a certified product, a surveyed growing area and a batch with a full timeline.

    Returns (batch path, unit path). Call inside an app context on an empty database.
    """
    from shop.catalogue.images import store
    from shop.catalogue.models import (
        CertificateStatus,
        OcopCertificate,
        OcopGroup,
        Product,
        ProductPhoto,
    )
    from shop.labels.models import LabelRun, LabelSerial
    from shop.producers.models import ApprovalStatus, Producer
    from shop.trace.events import record_event
    from shop.trace.models import Batch, EventType, GapScheme, GrowingArea, PackingHouse

    producer = Producer(
        name="HTX Bưởi Luận Văn",
        slug="htx-buoi-luan-van",
        address="Thôn Luận Văn",
        commune="Xã Thọ Xương",
        district="Thọ Xuân",
        phone="0912345678",
        status=ApprovalStatus.APPROVED,
    )
    product = Product(
        producer=producer,
        name="Bưởi Luận Văn",
        slug="buoi-luan-van",
        ocop_group=OcopGroup.FOOD,
        gtin="08930000000019",
        unit="quả",
        price_vnd=80_000,
        stock=120,
        shelf_life_days=45,
        status=ApprovalStatus.APPROVED,
    )
    product.photos.append(ProductPhoto(filename=_sample_photo(store), position=0))
    product.certificates.append(
        OcopCertificate(
            decision_number="1234/QĐ-UBND",
            decision_date=local_today() - timedelta(days=200),
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
            status=CertificateStatus.VERIFIED,
        )
    )
    ring = [[105.4300, 19.9300], [105.4335, 19.9302], [105.4340, 19.9281], [105.4312, 19.9272]]
    area = GrowingArea(
        producer=producer,
        code="VN-TH-TX-0042",
        name="Vùng bưởi Thọ Xương",
        crop="Bưởi Luận Văn",
        area_m2=125_000,
        households=18,
        commune="Xã Thọ Xương",
        district="Thọ Xuân",
        latitude=19.929,
        longitude=105.432,
        polygon={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        gap_scheme=GapScheme.VIETGAP,
        gap_certificate_no="VG-TH-0815",
        gap_expires_on=local_today() + timedelta(days=400),
        issued_on=date(2024, 3, 1),
    )
    house = PackingHouse(producer=producer, code="VN-TH-PH-007", name="Cơ sở đóng gói Thọ Xuân")
    batch = Batch(
        product=product,
        lot="LV2609A",
        growing_area=area,
        packing_house=house,
        harvest_date=local_today() - timedelta(days=10),
        packing_date=local_today() - timedelta(days=8),
        best_before=local_today() + timedelta(days=37),
        quantity=500,
        quantity_unit="kg",
    )
    db.session.add(batch)
    db.session.flush()
    steps = [
        (EventType.PLANTING, {"variety": "Bưởi Luận Văn"}, []),
        (
            EventType.INPUT_APPLIED,
            {"input": "Phân hữu cơ vi sinh", "dose": "2 kg/gốc", "phi_days": 14},
            [],
        ),
        (EventType.HARVEST, {"quantity": "520 kg"}, [_sample_photo(store, (214, 170, 60))]),
        (EventType.PROCESSING, {"method": "Rửa, phân loại"}, []),
        (EventType.PACKING, {"packaging": "Túi lưới 2 quả"}, []),
        (
            EventType.LAB_TEST,
            {"lab": "Trung tâm Kiểm nghiệm Thanh Hóa", "result": "Đạt"},
            [store(b"%PDF-1.4\n%sample report\n", ".pdf")],
        ),
        (EventType.SHIPPING, {"destination": "Kho HTX, TP Thanh Hóa"}, []),
    ]
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=25 * events)
    first = None
    for i in range(events):
        kind, details, attachments = steps[i % len(steps)]
        recorded = record_event(
            batch,
            kind,
            start + timedelta(days=25 * i),
            place="Xã Thọ Xương, Thọ Xuân",
            actor="Lê Văn Bình",
            notes=f"Ghi chép số {i + 1}",
            details=details,
            attachments=attachments,
        )
        first = first or recorded
    if events >= 2:
        record_event(
            batch,
            EventType.PLANTING,
            start + timedelta(hours=2),
            place="Xã Thọ Xương, Thọ Xuân",
            actor="Lê Văn Bình",
            notes="Sửa giờ trồng",
            corrects=first,
        )
    run = LabelRun(batch_id=batch.id, count=1, layout="a4")
    db.session.add(run)
    db.session.flush()
    db.session.add(LabelSerial(batch_id=batch.id, run_id=run.id, serial="Q7XK2M9P4T"))
    db.session.commit()
    base = f"/01/{product.gtin}/10/{batch.lot}"
    return base, f"{base}/21/Q7XK2M9P4T"


def _sample_photo(store, colour=(120, 160, 70)) -> str:
    import io

    from PIL import Image

    image = Image.new("RGB", (480, 360), colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return store(out.getvalue())


def build_app(url: str, folder: Path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "SCAN_SUSPICIOUS_COUNT": 10**9,
        }
    )
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        paths = build_sample()
    return app, paths


def measure(app, method: str, path: str) -> tuple[float, float]:
    client = app.test_client(use_cookies=False)
    call = client.head if method == "HEAD" else client.get
    for _ in range(10):
        assert call(path).status_code == 200, path
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call(path)
        timings.append(time.perf_counter() - start)
    return len(timings) / sum(timings), statistics.median(timings) * 1000


def page_facts(app, path: str) -> tuple[int, int, int]:
    """(bytes, gzipped bytes, SQL statements) of one GET of the page."""
    statements = []
    with app.app_context():
        engine = db.engine

        def count(*args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            body = app.test_client(use_cookies=False).get(path).data
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return len(body), len(gzip.compress(body)), len(statements)


def run() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ocop-bench-scan-"))
    targets = {"SQLite": f"sqlite:///{folder / 'scan.sqlite3'}"}
    if os.environ.get("BENCH_DATABASE_URL"):
        from shop.config import database_url

        targets["PostgreSQL"] = database_url(os.environ["BENCH_DATABASE_URL"], "")
    print(f"Scan page: {ROUNDS} requests each, in-process, a batch with {EVENTS} events\n")
    print(f"{'database':<11} {'request':<34} {'req/s':>8} {'median ms':>10}")
    for name, url in targets.items():
        app, (batch_path, unit_path) = build_app(url, folder)
        cases = {
            "batch page, HEAD (no counting)": ("HEAD", batch_path),
            "batch page, GET (scan row)": ("GET", batch_path),
            "unit page, GET (serial counted)": ("GET", unit_path),
        }
        for label, (method, path) in cases.items():
            rate, median = measure(app, method, path)
            print(f"{name:<11} {label:<34} {rate:>8.0f} {median:>10.2f}")
        size, zipped, statements = page_facts(app, unit_path)
        print(
            f"{name:<11} unit page: {size:,} bytes ({zipped:,} gzipped), "
            f"{statements} SQL statements"
        )


if __name__ == "__main__":
    run()
