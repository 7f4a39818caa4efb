"""`make bench`: how fast the catalogue answers on the demo data (SQLite, and PostgreSQL if set).

Prints requests per second and median/p95 latency for typical consumer requests, measured
in-process with Flask's test client (no network), so the figures are the app's own cost.
Then the QR label benchmark (bench/labels.py): serialised PDF labels per second against the
bare `qrcode` library, and their peak memory; then order placement with many concurrent
buyers (bench/orders.py): orders per second and median/p95 latency; then the orders CSV export
at 20 000 and 200 000 lines (bench/exports.py): time and peak memory, which stays flat.
"""

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench import exports, labels, orders, scan
from shop import create_app
from shop.extensions import db

REQUESTS = {
    "home page": "/",
    "search 'nuoc mam'": "/?q=nuoc+mam",
    "filters + sort": "/?group=food&stars=4&sort=price_asc",
    "page 3": "/?page=3",
    "API product list": "/api/v1/products?q=mat+ong",
}
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def build_app(url: str, folder: Path):
    from seeds import load_demo

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
        load_demo()
        db.session.commit()
    return app


def measure(app, path: str) -> tuple[float, float, float]:
    client = app.test_client()
    for _ in range(10):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - start)
    timings.sort()
    return (
        len(timings) / sum(timings),
        statistics.median(timings) * 1000,
        timings[int(len(timings) * 0.95) - 1] * 1000,
    )


def main() -> None:
    targets = {}
    folder = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    targets["SQLite"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    if os.environ.get("BENCH_DATABASE_URL"):
        from shop.config import database_url

        targets["PostgreSQL"] = database_url(os.environ["BENCH_DATABASE_URL"], "")
    print(f"{ROUNDS} requests each, in-process, demo data\n")
    print(f"{'database':<11} {'request':<22} {'req/s':>8} {'median ms':>10} {'p95 ms':>8}")
    for name, url in targets.items():
        app = build_app(url, folder)
        for label, path in REQUESTS.items():
            rate, median, p95 = measure(app, path)
            print(f"{name:<11} {label:<22} {rate:>8.0f} {median:>10.2f} {p95:>8.2f}")
    scan.run()
    labels.run()
    orders.run()
    exports.run()


if __name__ == "__main__":
    main()
