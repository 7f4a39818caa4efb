"""`make lighthouse`: Lighthouse (mobile) scores of five pages of a freshly seeded demo shop.

A measurement, not a test: the demo is served by gunicorn as in production, and Lighthouse
(installed by the Makefile under .lighthouse/) drives Debian's Chromium. Prints, per page, the
four category scores, total blocking time, largest contentful paint and bytes transferred.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from shop import create_app
from shop.catalogue.models import Product, ProductPhoto
from shop.extensions import db
from shop.trace.models import Batch, BatchEvent

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def pages(env: dict) -> dict[str, str]:
    """Paths of the measured pages: the demo product with most photos, its producer, a batch."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]})
    with app.app_context():
        product = db.session.scalars(
            select(Product)
            .join(ProductPhoto)
            .group_by(Product.id)
            .order_by(func.count(ProductPhoto.id).desc(), Product.id)
        ).first()
        batch = db.session.scalars(
            select(Batch).join(BatchEvent).group_by(Batch.id).order_by(func.count().desc())
        ).first()
        return {
            "home": "/",
            "product": f"/products/{product.slug}",
            "scan": f"/01/{batch.product.gtin}/10/{batch.lot}",
            "cart": "/cart",
            "producer": f"/producers/{product.producer.slug}",
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the demo server did not answer at {url}")


def measure(url: str, out: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--form-factor=mobile",
            "--output=json",
            f"--output-path={out}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "TBT ms": round(audits["total-blocking-time"]["numericValue"]),
        "LCP ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "KiB": round(audits["total-byte-weight"]["numericValue"] / 1024),
    }


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"no Lighthouse at {LIGHTHOUSE}: run `make lighthouse`")
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "UPLOAD_FOLDER": f"{folder}/uploads",
            "SECRET_KEY": "lighthouse",
        }
        flask = [sys.executable, "-m", "flask", "--app", "shop"]
        subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*flask, "seed-demo"], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            env=env,
            cwd=ROOT,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz")
            print(f"{'page':10} " + " ".join(f"{c[:11]:>11}" for c in CATEGORIES), end="")
            print(f" {'TBT ms':>7} {'LCP ms':>7} {'KiB':>5}")
            for name, path in pages(env).items():
                row = measure(base + path, Path(folder) / f"{name}.json")
                print(f"{name:10} " + " ".join(f"{row[c]:>11}" for c in CATEGORIES), end="")
                print(f" {row['TBT ms']:>7} {row['LCP ms']:>7} {row['KiB']:>5}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
