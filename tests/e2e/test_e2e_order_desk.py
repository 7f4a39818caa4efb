"""The staff's order journey at 1280 px and the farmer's orders at 360 px, in a real Chromium
against the seeded demo shop with two paid orders (screenshots into docs/screenshots/)."""

import os
from pathlib import Path

import pypdfium2
import pytest
from sqlalchemy import select

from shop.auth.models import User
from shop.catalogue.models import Product
from shop.checkout.orders import Customer, place_order
from shop.extensions import db
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider
from tests.e2e.conftest import start_demo_server
from tests.e2e.screenshots import PRODUCER_LOGIN, log_in

pytestmark = pytest.mark.e2e

STAFF_LOGIN = ("staff@ocop.local", "staff-demo-123")
SHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "docs/screenshots")
)
CUSTOMERS = [
    Customer(
        "Nguyễn Thị Hoà", "0912345678", "hoa@example.vn", "12 Lê Lợi, phường Hạc Thành", "Thanh Hóa"
    ),
    Customer(
        "Trần Văn Lân", "0987654321", "lan@example.vn", "8 Nguyễn Trãi, phường Ba Đình", "Hà Nội"
    ),
]


def paid_demo_orders(app) -> tuple[list[str], list[str]]:
    """Two orders of the demo farmer's products, paid by bank transfer; (codes, product names)."""
    with app.app_context(), app.test_request_context():
        farmer = db.session.scalar(select(User).where(User.email == PRODUCER_LOGIN[0]))
        products = db.session.scalars(
            select(Product)
            .where(Product.producer_id == farmer.producer_id, Product.stock > 3)
            .order_by(Product.id)
            .limit(2)
        ).all()
        codes = []
        for i, customer in enumerate(CUSTOMERS):
            order, _ = place_order([(p.id, 1 + i) for p in products], customer, "vietqr")
            db.session.commit()
            apply_payment(
                order,
                provider=Provider.SEPAY,
                reference=f"FT2633500{i}",
                amount_vnd=order.total_vnd,
            )
            db.session.commit()
            codes.append(order.code)
        return codes, [p.name for p in products]


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory) -> Path:
    """Where the screenshots go: SCREENSHOT_DIR (`make screenshots` sets docs/screenshots),
    else a temporary folder, so a test run never rewrites the repository's pictures."""
    chosen = os.environ.get("SCREENSHOT_DIR")
    return Path(chosen) if chosen else tmp_path_factory.mktemp("shots")


@pytest.fixture(scope="module")
def desk_shop(tmp_path_factory):
    app, server, url = start_demo_server(tmp_path_factory.mktemp("desk"))
    codes, names = paid_demo_orders(app)
    yield url, codes, names
    server.shutdown()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def submit(page, selector: str) -> None:
    """Click a form's button and wait for the page the POST redirects to."""
    with page.expect_navigation():
        page.click(selector)


def shot(page, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header lands mid-page
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_the_farmer_sees_what_to_prepare_on_a_phone(browser, desk_shop, shots_dir):
    """First: the staff journey below packs and cancels these orders."""
    base, codes, names = desk_shop
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2)
    page = context.new_page()
    try:
        log_in(page, base, *PRODUCER_LOGIN)
        page.goto(base + "/farm/orders")
        text = page.locator("main").inner_text()
        assert all(name in text for name in names) and all(code in text for code in codes)
        assert "Nguyễn Thị Hoà" not in text and "0912345678" not in text
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, shots_dir, "farm-orders-phone")
    finally:
        context.close()
    staff_phone = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2)
    page = staff_phone.new_page()
    try:
        log_in(page, base, *STAFF_LOGIN)
        page.goto(base + "/backoffice/orders")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, shots_dir, "order-desk-phone")
        page.goto(base + f"/backoffice/orders/{codes[0]}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, shots_dir, "order-phone")
    finally:
        staff_phone.close()


def test_the_staff_journey(desktop, desk_shop, shots_dir):
    base, (first, second), _names = desk_shop
    page = desktop
    log_in(page, base, *STAFF_LOGIN)

    # Find the paid orders on the desk.
    page.goto(base + "/backoffice/orders?status=paid")
    assert page.locator(f"input[name=codes][value={first}]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, shots_dir, "order-desk-desktop")

    # Print the pick list (PDF) for what the farmers bring.
    page.goto(base + "/backoffice/packing")
    shot(page, shots_dir, "packing-desktop")
    href = page.locator("a[href*='pick-list.pdf']").get_attribute("href")
    pdf = page.request.get(base + href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.body())
    try:
        document[0].render(scale=1.5).to_pil().save(shots_dir / "pick-list-pdf.png")
    finally:
        document.close()

    # Packed, shipped with a carrier and tracking number, delivered.
    page.goto(base + f"/backoffice/orders/{first}")
    shot(page, shots_dir, "order-desktop")
    submit(page, "form:has(input[name=status][value=packed]) button[type=submit]")
    page.select_option("select[name=carrier]", "ghn")
    page.fill("input[name=tracking_number]", "GHN5512349")
    submit(page, "form:has(input[name=status][value=shipped]) button[type=submit]")
    assert page.locator("a[href*='donhang.ghn.vn']").count() == 1
    submit(page, "form:has(input[name=status][value=delivered]) button[type=submit]")
    assert page.locator("h1 .badge-order-delivered").count() == 1
    assert (
        page.locator(".desk-timeline li").count() == 5
    )  # placed, paid, packed, shipped, delivered

    # Cancel the other one, with a reason; then record the bank refund sent.
    page.goto(base + f"/backoffice/orders/{second}")
    page.click("text=Hủy đơn này…")
    page.fill("textarea[name=cancel-reason]", "Khách gọi điện xin hủy")
    page.check("input[name=cancel-confirm]")
    submit(page, "form[action$='/cancel'] button.btn-danger")
    assert page.locator("h1 .badge-order-cancelled").count() == 1
    page.fill("input[name=reference]", "FT26335999")
    submit(page, "form[action$='/sent'] button[type=submit]")
    assert "FT26335999" in page.locator("#money").inner_text()
    shot(page, shots_dir, "order-cancelled-desktop")
