"""Order placement under many concurrent buyers (PostgreSQL from BENCH_DATABASE_URL, and SQLite).

run() prints orders per second and median/p95 latency of place_order + commit (no HTTP), each
buyer a process of its own (as gunicorn workers are) with its own app and connection:
  - spread: BENCH_CLIENTS buyers each placing 2-line orders on products picked at random
    from 39, all with ample stock and two lots each;
  - contended: every buyer orders the same product (one row everyone must lock in turn).
SQLite serialises writers (BEGIN IMMEDIATE), so its figure is the single-writer ceiling; it
runs BENCH_SQLITE_CLIENTS buyers (default 4, like `gunicorn -w 4`), PostgreSQL BENCH_CLIENTS
(default 16). BENCH_ORDERS is the number of orders per buyer (default 40).
The PostgreSQL database at BENCH_DATABASE_URL is emptied and recreated.
"""

import multiprocessing
import os
import random
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from shop import create_app
from shop.extensions import db

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SQLITE_CLIENTS = int(os.environ.get("BENCH_SQLITE_CLIENTS", "4"))  # gunicorn -w 4
ORDERS = int(os.environ.get("BENCH_ORDERS", "40"))
PRODUCTS = 40
CUSTOMER = {
    "name": "Người mua thử",
    "phone": "0912345678",
    "email": "bench@example.vn",
    "address": "1 Lê Lợi, phường Hạc Thành",
    "province": "Thanh Hóa",
}


def build_app(url: str, folder: Path):
    """An empty shop with PRODUCTS listed products, each with ample stock in two lots."""
    from shop.catalogue.models import OcopGroup, Product
    from shop.producers.models import ApprovalStatus, Producer
    from shop.trace.models import Batch

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        producer = Producer(
            name="HTX Bench",
            slug="htx-bench",
            district="Thọ Xuân",
            province="Thanh Hóa",
            phone="0912345678",
            status=ApprovalStatus.APPROVED,
        )
        db.session.add(producer)
        for n in range(PRODUCTS):
            product = Product(
                producer=producer,
                name=f"Sản phẩm {n}",
                slug=f"san-pham-{n}",
                ocop_group=OcopGroup.FOOD,
                unit="hộp",
                price_vnd=50_000 + 1_000 * n,
                stock=1_000_000,
                status=ApprovalStatus.APPROVED,
            )
            db.session.add(product)
            for lot in range(2):
                db.session.add(
                    Batch(
                        product=product,
                        lot=f"B{n:02d}-{lot}",
                        packing_date=date(2026, 9, 1) + timedelta(days=lot),
                        quantity=600_000,
                        quantity_unit="hộp",
                        units_left=500_000,
                    )
                )
        db.session.commit()
        ids = list(db.session.scalars(db.select(Product.id).order_by(Product.id)))
    return app, ids


def _buyer(url: str, folder: str, ids: list[int], contended: bool, seed: int, start_at: float):
    """One buyer process: its own app and connection; waits for start_at, then orders."""
    from shop.checkout.orders import Customer, place_order

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(Path(folder) / "uploads"),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    customer = Customer(**CUSTOMER)
    rng = random.Random(seed)
    latencies = []
    with app.test_request_context():
        place_order([(ids[-1], 1)], customer, "vietqr")  # warm up: imports, templates, pool
        db.session.commit()
        time.sleep(max(start_at - time.time(), 0))
        began = time.time()
        for _ in range(ORDERS):
            items = [(ids[0], 1)] if contended else [(i, 1) for i in rng.sample(ids, 2)]
            t0 = time.perf_counter()
            place_order(items, customer, "vietqr")
            db.session.commit()
            latencies.append(time.perf_counter() - t0)
        ended = time.time()
        db.session.remove()
        db.engine.dispose()
    return began, ended, latencies


def buyers(
    url: str, folder: Path, ids: list[int], contended: bool, clients: int
) -> tuple[float, list[float]]:
    """`clients` processes placing ORDERS orders each; (wall seconds, latencies in seconds)."""
    start_at = time.time() + 3 + clients * 0.25  # every process is up and warm by then
    context = multiprocessing.get_context("spawn")
    args = [(url, str(folder), ids, contended, n, start_at) for n in range(clients)]
    with ProcessPoolExecutor(max_workers=clients, mp_context=context) as pool:
        runs = list(pool.map(_buyer, *zip(*args, strict=True)))
    wall = max(r[1] for r in runs) - min(r[0] for r in runs)
    return wall, [latency for run in runs for latency in run[2]]


def report(database: str, clients: int, case: str, wall: float, latencies: list[float]) -> None:
    latencies.sort()
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)]
    print(
        f"{database:<11} {clients:>7} {case:<28} {len(latencies) / wall:>9.0f} "
        f"{statistics.median(latencies) * 1000:>10.1f} {p95 * 1000:>8.1f}"
    )


def run() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ocop-bench-orders-"))
    targets = {"SQLite": f"sqlite:///{folder / 'orders.sqlite3'}"}
    if os.environ.get("BENCH_DATABASE_URL"):
        from shop.config import database_url

        targets["PostgreSQL"] = database_url(os.environ["BENCH_DATABASE_URL"], "")
    print(
        f"\nOrder placement: buyer processes x {ORDERS} orders each "
        "(place_order + commit, no HTTP)\n"
    )
    print(
        f"{'database':<11} {'buyers':>7} {'case':<28} {'orders/s':>9} {'median ms':>10} "
        f"{'p95 ms':>8}"
    )
    for name, url in targets.items():
        app, ids = build_app(url, folder)
        with app.app_context():
            db.engine.dispose()  # the buyers open their own connections
        clients = SQLITE_CLIENTS if url.startswith("sqlite") else CLIENTS
        wall, latencies = buyers(url, folder, ids[:-1], False, clients)
        report(name, clients, "spread: 2 lines, 39 products", wall, latencies)
        wall, latencies = buyers(url, folder, ids[:-1], True, clients)
        report(name, clients, "contended: 1 product", wall, latencies)


if __name__ == "__main__":
    run()
