"""Screenshots of the dashboard, payouts, audit log and people pages, phone and desktop:
`python -m tests.e2e.money_screenshots docs/screenshots`.

The demo data has no orders, so three months of sales, scans, a refund, a payout and some
audited staff decisions are added first, through the shop's own functions.
"""

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import select

from shop.extensions import db
from tests.e2e.conftest import launch_chromium, start_demo_server
from tests.e2e.screenshots import WIDTHS, log_in

ADMIN_LOGIN = ("admin@ocop.local", "admin-demo-123")
PAGES = {
    "dashboard": "/backoffice/dashboard",
    "payouts": "/backoffice/payouts",
    "audit": "/backoffice/audit",
    "people": "/backoffice/people",
}
PROVINCES = ("Thanh Hóa", "Hà Nội", "Hồ Chí Minh", "Nghệ An", "Ninh Bình", "Hải Phòng", "Huế")


def add_activity(app) -> None:
    """Orders over the last 90 days, scans, a refund, and audited staff decisions."""
    from shop.auth.models import Role, User
    from shop.backoffice import approvals
    from shop.catalogue.models import Product
    from shop.checkout.models import OrderStatus
    from shop.farm.fields import local_today
    from shop.payouts import ledger
    from shop.periods import last_month
    from shop.producers.models import ApprovalStatus, Producer
    from shop.scan.models import Scan
    from shop.trace import areas
    from shop.trace.models import Batch, CodeStatus, GrowingArea
    from tests.sales import make_refund, make_sale

    rng = random.Random(9)
    with app.app_context(), app.test_request_context():
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
        products = list(db.session.scalars(select(Product).where(Product.stock > 0)))
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        orders = []
        for _ in range(220):
            at = now - timedelta(days=rng.randint(0, 89), hours=rng.randint(0, 10))
            picked = rng.sample(products, rng.randint(1, 3))
            status = OrderStatus.DELIVERED if at < now - timedelta(days=4) else OrderStatus.PAID
            items = [(p, rng.randint(1, 3)) for p in picked]
            orders.append(make_sale(items, status=status, at=at, province=rng.choice(PROVINCES)))
        make_refund(orders[3].lines[0], orders[3].lines[0].unit_price_vnd, orders[3].delivered_at)
        batches = list(db.session.scalars(select(Batch).limit(12)))
        for _ in range(400):
            db.session.add(
                Scan(
                    batch_id=rng.choice(batches).id,
                    scanned_at=now - timedelta(days=rng.randint(0, 89), hours=rng.randint(0, 23)),
                    province=rng.choice((*PROVINCES, None, None)),
                )
            )
        for product in products[:2]:
            product.stock = 2
        pending = db.session.scalar(
            select(Producer).where(Producer.status == ApprovalStatus.PENDING)
        )
        if pending is not None:
            approvals.approve_producer(pending, admin, "Hồ sơ đầy đủ")
        area = db.session.scalar(select(GrowingArea).where(GrowingArea.status == CodeStatus.ACTIVE))
        areas.set_code_status(area, CodeStatus.SUSPENDED, "QĐ 45/CCTT&BVTV ngày 20/11", admin)
        first, last = last_month(local_today())
        figures = [f for f in ledger.period_figures(first, last) if f.net_vnd > 0]
        if figures:
            ledger.set_commission(figures[-1].producer, 8, admin)
            ledger.record_payout(
                figures[0].producer, first, last, "FT25120198765", admin, local_today()
            )
        db.session.commit()


def take(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        app, server, base = start_demo_server(Path(folder))
        add_activity(app)
        browser = launch_chromium(playwright)
        try:
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="vi-VN"
                )
                page = context.new_page()
                log_in(page, base, *ADMIN_LOGIN)
                for name, path in PAGES.items():
                    page.goto(base + path)
                    shot = out_dir / f"{name}-{label}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    written.append(shot)
                context.close()
        finally:
            browser.close()
            server.shutdown()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
