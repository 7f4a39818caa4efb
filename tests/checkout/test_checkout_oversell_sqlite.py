"""Never oversold on SQLite served by several gunicorn worker processes, as `make run` serves it.

Four workers, thirty buyers at once over real HTTP on the loopback, seven units: exactly seven
orders, every other buyer told 409, never a 500 ("database is locked" included).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shop.catalogue.models import Product
from shop.checkout.models import Order, OrderLine
from shop.extensions import db
from shop.trace.models import Batch
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
BUYERS = 30
STOCK = 7


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: a file the gunicorn workers open too."""
    return f"sqlite:///{tmp_path / 'shop.sqlite3'}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 2) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except (urllib.error.URLError, OSError):
        return 0


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """`gunicorn -w 4 wsgi:app` on 127.0.0.1:<free port> against the test's database file."""
    executable = Path(sys.executable).parent / "gunicorn"
    if not executable.exists():
        skip_or_fail("gunicorn is not installed in the environment")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "oversell-test",
        "MAIL_BACKEND": "console",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(executable), "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while get(f"{base}/healthz") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()


def post_order(base: str, product_id: int) -> tuple[int, dict]:
    body = {
        "items": [{"product_id": product_id, "quantity": 1}],
        "customer": {
            "name": "Khách hàng",
            "phone": "0912345678",
            "email": "khach@example.vn",
            "address": "1 Lê Lợi",
            "province": "Thanh Hóa",
        },
        "payment_method": "vietqr",
    }
    request = urllib.request.Request(
        f"{base}/api/v1/orders",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_thirty_buyers_four_workers_seven_units(app, make_product, make_batch, gunicorn):
    product = make_product(name="Nem chua Thanh Hóa", stock=STOCK)
    older = make_batch(product, units_left=4)
    newer = make_batch(product, units_left=3, packing_date=older.packing_date.replace(day=20))

    product_id = product.id  # read here: the threads have no application context
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        results = list(pool.map(lambda _: post_order(gunicorn, product_id), range(BUYERS)))

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * STOCK + [409] * (BUYERS - STOCK), statuses
    assert all("Nem chua Thanh Hóa" in body["detail"] for s, body in results if s == 409)
    db.session.rollback()  # a fresh snapshot: the workers wrote since this session last read
    assert db.session.get(Product, product.id).stock == 0
    assert db.session.get(Batch, older.id).units_left == 0
    assert db.session.get(Batch, newer.id).units_left == 0
    sold = select(func.sum(OrderLine.quantity)).where(OrderLine.product_id == product.id)
    assert db.session.scalar(sold) == STOCK
    assert db.session.scalar(select(func.count()).select_from(Order)) == STOCK
