"""Screenshots for the README: `make screenshots` (python -m tests.e2e.screenshots OUT_DIR)."""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.conftest import launch_chromium, start_demo_server

WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}
PRODUCER_LOGIN = ("nongdan@ocop.local", "nongdan-demo-123")


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form.auth-form button[type=submit], main form button[type=submit]")
    page.wait_for_load_state()


def scan_pages(app) -> dict[str, str]:
    """The scan page of a demo batch with a full timeline, and of the one whose area was revoked."""
    from sqlalchemy import func, select

    from shop.extensions import db
    from shop.trace.models import Batch, BatchEvent, CodeStatus, GrowingArea

    with app.app_context():
        busiest = db.session.scalars(
            select(Batch)
            .join(BatchEvent)
            .join(Batch.growing_area)
            .where(GrowingArea.status == CodeStatus.ACTIVE)
            .group_by(Batch.id)
            .order_by(func.count(BatchEvent.id).desc(), Batch.id)
            .limit(1)
        ).one()
        revoked = db.session.scalars(
            select(Batch).join(Batch.growing_area).where(GrowingArea.status == CodeStatus.REVOKED)
        ).first()
        return {
            name: f"/01/{batch.product.gtin}/10/{batch.lot}"
            for name, batch in (("scan", busiest), ("scan-revoked", revoked))
        }


def take(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        app, server, base = start_demo_server(Path(folder))
        scans = scan_pages(app)
        browser = launch_chromium(playwright)
        try:
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(base + "/")
                first_product = page.locator("a.product-card-link").first.get_attribute("href")
                shots = {"home": base + "/", "product": base + first_product}
                shots.update({name: base + path for name, path in scans.items()})
                for name, url in shots.items():
                    page.goto(url)
                    path = out_dir / f"{name}-{label}.png"
                    page.screenshot(path=str(path), full_page=False)
                    written.append(path)
                log_in(page, base, *PRODUCER_LOGIN)
                page.goto(base + "/farm/products/new")
                path = out_dir / f"product-form-{label}.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
                context.close()
        finally:
            browser.close()
            server.shutdown()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
