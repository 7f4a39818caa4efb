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


def shoot(page, path: Path, full_page: bool = False) -> Path:
    page.screenshot(path=str(path), full_page=full_page)
    return path


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
                    written.append(shoot(page, out_dir / f"{name}-{label}.png"))
                page.goto(base + first_product)
                page.goto(base + page.locator("a[href^='/producers/']").last.get_attribute("href"))
                written.append(shoot(page, out_dir / f"producer-{label}.png"))
                page.goto(base + first_product)
                page.click("form.add-to-cart button[type=submit]")
                page.wait_for_load_state()
                page.goto(base + "/cart")
                written.append(shoot(page, out_dir / f"cart-{label}.png"))
                log_in(page, base, *PRODUCER_LOGIN)
                page.goto(base + "/farm/products/new")
                written.append(shoot(page, out_dir / f"product-form-{label}.png", full_page=True))
                # The header's links: folded into the no-JS menu on a phone, inline on a desktop.
                page.goto(base + "/")
                if page.locator(".header-menu > summary").is_visible():
                    page.click(".header-menu > summary")
                written.append(shoot(page, out_dir / f"menu-{label}.png"))
                context.close()
        finally:
            browser.close()
            server.shutdown()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
