"""The orders export streams: memory stays flat however many order lines it writes.

Fills a database with N order lines (40 000 orders × 5 lines for N = 200 000), then downloads
GET /backoffice/exports/orders.csv through the test client, reading the body chunk by chunk as
a browser would, and reports the time, the bytes written, tracemalloc's peak (Python objects
allocated while streaming) and the process's resident memory before and after. Run at two
sizes: a flat export has about the same peak at both.

    .venv/bin/python -m bench.exports                 # SQLite, 20 000 and 200 000 lines
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python -m bench.exports   # PostgreSQL too
"""

import os
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from shop import create_app
from shop.auth.models import Role, User
from shop.checkout.models import Order, OrderLine
from shop.extensions import db
from shop.producers.models import Producer

LINES_PER_ORDER = 5
SIZES = [int(n) for n in os.environ.get("BENCH_EXPORT_LINES", "20000,200000").split(",")]


def rss_mib() -> float:
    """Resident memory now (Linux), in MiB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def fill(lines: int) -> None:
    """`lines` order lines from 8 producers, inserted in bulk (the ORM would take minutes)."""
    db.drop_all()
    db.create_all()
    producers = [
        Producer(name=f"HTX số {i}", slug=f"htx-{i}", district="Thọ Xuân") for i in range(8)
    ]
    db.session.add_all(producers)
    db.session.flush()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    orders = lines // LINES_PER_ORDER
    chunk = 2000
    for first in range(0, orders, chunk):
        ids = range(first + 1, min(first + chunk, orders) + 1)
        db.session.execute(
            insert(Order),
            [
                {
                    "id": i,
                    "code": f"DH{i:08d}",
                    "token_hash": "0" * 64,
                    "status": "delivered",
                    "payment_method": "vietqr",
                    "customer_name": "=Nguyễn Thị Lan" if i % 100 == 0 else "Nguyễn Thị Lan",
                    "phone": "0912345678",
                    "email": "lan@example.vn",
                    "address": "12 Lê Lợi, phường Hạc Thành",
                    "province": "Thanh Hóa",
                    "note": "",
                    "subtotal_vnd": 5 * 45_000,
                    "shipping_vnd": 20_000,
                    "total_vnd": 5 * 45_000 + 20_000,
                    "created_at": start + timedelta(minutes=i),
                    "expires_at": start + timedelta(minutes=i + 30),
                    "delivered_at": start + timedelta(minutes=i, days=2),
                }
                for i in ids
            ],
        )
        db.session.execute(
            insert(OrderLine),
            [
                {
                    "order_id": i,
                    "producer_id": producers[(i + n) % 8].id,
                    "product_name": f"Nem chua Thanh Hóa loại {n}",
                    "producer_name": producers[(i + n) % 8].name,
                    "gtin": "08931234567897",
                    "lot": f"L{i % 97:03d}",
                    "unit": "hộp",
                    "unit_price_vnd": 45_000,
                    "quantity": 1,
                    "commission_vnd": 4_500,
                }
                for i in ids
                for n in range(LINES_PER_ORDER)
            ],
        )
    staff = User(email="staff@bench.vn", name="Staff", role=Role.STAFF, password_hash="x")
    db.session.add(staff)
    db.session.commit()


def download(app) -> tuple[float, int, int, float, float]:
    """(seconds, bytes, rows, tracemalloc peak MiB, RSS growth MiB) of one full download."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(db.session.scalar(db.select(User.id)))
    db.session.remove()  # no transaction left open (PostgreSQL would hold its locks)
    rss_before = rss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/backoffice/exports/orders.csv", buffered=False)
    size = rows = 0
    for chunk in response.response:
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    return seconds, size, rows - 1, peak / 2**20, rss_mib() - rss_before


def run() -> None:
    targets = {"SQLite": None}
    folder = Path(tempfile.mkdtemp(prefix="ocop-bench-exports-"))
    if os.environ.get("BENCH_DATABASE_URL"):
        from shop.config import database_url

        targets["PostgreSQL"] = database_url(os.environ["BENCH_DATABASE_URL"], "")
    print("\nOrders export (GET /backoffice/exports/orders.csv), streamed")
    columns = ("lines", "seconds", "MiB out", "peak MiB", "RSS +MiB")
    print(f"{'database':<11} " + " ".join(f"{c:>9}" for c in columns))
    for name, url in targets.items():
        for lines in SIZES:
            database = url or f"sqlite:///{folder / f'export-{lines}.sqlite3'}"
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": database,
                    "SECRET_KEY": "bench",
                    "RATELIMIT_ENABLED": False,
                    "UPLOAD_FOLDER": str(folder / "uploads"),
                }
            )
            with app.app_context():
                fill(lines)
                db.session.remove()
                seconds, size, rows, peak, rss = download(app)
                assert rows == lines, (rows, lines)
                db.session.remove()
                db.drop_all()
                db.engine.dispose()
            figures = (
                f"{lines}",
                f"{seconds:.2f}",
                f"{size / 2**20:.1f}",
                f"{peak:.2f}",
                f"{rss:.1f}",
            )
            print(f"{name:<11} " + " ".join(f"{f:>9}" for f in figures))
            sys.stdout.flush()


if __name__ == "__main__":
    run()
