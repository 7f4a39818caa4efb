"""The main pages of each role in the seeded demo shop, visited in Chromium: what the checkers see.

Pages without a URL parameter in a role's own areas (farm, trace, back office) are taken from
`app.url_map`, so a new page there is checked without anyone adding it here.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from shop.auth.models import User
from shop.catalogue.models import Product, ProductPhoto
from shop.extensions import db
from shop.trace.models import Batch, BatchEvent, CodeStatus, GrowingArea, PackingHouse

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("anonymous", "consumer", "producer", "staff", "admin")
LOGINS = {
    "consumer": ("khach@ocop.local", "khach-demo-123"),
    "producer": ("nongdan@ocop.local", "nongdan-demo-123"),
    "staff": ("staff@ocop.local", "staff-demo-123"),
    "admin": ("admin@ocop.local", "admin-demo-123"),
}
# A role's own areas: every GET page without parameters under these blueprints is checked.
AREAS = {
    "anonymous": ("auth", "producers"),
    "consumer": ("checkout",),
    "producer": ("farm", "trace"),
    "staff": ("backoffice",),
    "admin": ("backoffice",),
}
SHOPPERS = ("anonymous", "consumer")
# Forms sent empty, so that every field shows its error state to the checkers.
FORMS_SENT_EMPTY = {
    "anonymous": ("/checkout", "/auth/login", "/producers/signup"),
    "consumer": ("/checkout",),
    "producer": ("/farm/products/new", "/trace/areas/new", "/trace/packing-houses/new"),
}
PHONE = {"width": 360, "height": 740}

SMALL_TARGETS_JS = (Path(__file__).parent / "small_targets.js").read_text()


@dataclass
class CheckedPage:
    role: str
    name: str
    url: str
    html_path: Path
    violations: dict[int, list] = field(default_factory=dict)
    small_targets: list[str] = field(default_factory=list)
    header_height: float = 0


def demo_objects(app) -> dict:
    """Paths of the demo's richest product, producer, batch, and of the farmer's own records."""
    with app.app_context():
        product = db.session.scalars(
            select(Product)
            .join(ProductPhoto)
            .group_by(Product.id)
            .order_by(func.count(ProductPhoto.id).desc(), Product.id)
        ).first()
        batch = db.session.scalars(
            select(Batch)
            .join(BatchEvent)
            .join(Batch.growing_area)
            .where(GrowingArea.status == CodeStatus.ACTIVE)
            .group_by(Batch.id)
            .order_by(func.count(BatchEvent.id).desc(), Batch.id)
        ).first()
        farmer = db.session.scalars(select(User).filter_by(email=LOGINS["producer"][0])).one()
        own_batch = db.session.scalars(
            select(Batch).join(Batch.product).where(Product.producer_id == farmer.producer_id)
        ).first()
        own_area = db.session.scalars(
            select(GrowingArea).filter_by(producer_id=farmer.producer_id)
        ).first()
        own_house = db.session.scalars(
            select(PackingHouse).filter_by(producer_id=farmer.producer_id)
        ).first()
        public = {
            "home": "/",
            "search": "/?q=nuoc+mam&stars=4",
            "filters-with-errors": "/?price_min=abc&price_max=-5",
            "product": f"/products/{product.slug}",
            "producer": f"/producers/{product.producer.slug}",
            "scan": f"/01/{batch.product.gtin}/10/{batch.lot}",
            "scan-not-ours": f"/01/{batch.product.gtin}/10/NOT-OURS",
        }
        farm = {
            "farm-product": f"/farm/products/{own_batch.product_id}/edit",
            "trace-batch": f"/trace/batches/{own_batch.id}",
            "trace-new-event": f"/trace/batches/{own_batch.id}/events/new",
            "trace-harvest-form": f"/trace/batches/{own_batch.id}/events/new/harvest",
            "labels": f"/labels/batches/{own_batch.id}",
        }
        if own_area:
            farm["trace-area-form"] = f"/trace/areas/{own_area.id}/edit"
        if own_house:
            farm["trace-packing-house-form"] = f"/trace/packing-houses/{own_house.id}/edit"
        areas = {role: area_pages(app, blueprints) for role, blueprints in AREAS.items()}
        return {"public": public, "farm": farm, "areas": areas, "product_id": product.id}


def area_pages(app, blueprints: tuple[str, ...]) -> dict[str, str]:
    """Every GET route without parameters in these blueprints (CSV and JSON are dropped later)."""
    pages = {}
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.partition(".")[0]
        if blueprint in blueprints and "GET" in rule.methods and not rule.arguments:
            pages[rule.endpoint.replace(".", "-").replace("_", "-")] = rule.rule
    return pages


def place_order(context, base: str, product_id: int) -> tuple[str, str]:
    """An order awaiting payment, through the public API; returns its code and token."""
    answer = context.request.post(
        f"{base}/api/v1/orders",
        data={
            "items": [{"product_id": product_id, "quantity": 1}],
            "customer": {
                "name": "Trần Thị Lan",
                "phone": "0912345678",
                "email": "lan@example.vn",
                "address": "12 Lê Lợi",
                "province": "Thanh Hóa",
            },
            "payment_method": "vietqr",
        },
    )
    assert answer.status == 201, answer.text()
    body = answer.json()
    return body["code"], body["token"]


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def pages_for(role: str, objects: dict, order: tuple[str, str]) -> dict[str, str]:
    public = objects["public"]
    if role in SHOPPERS:
        pages = dict(public)
        code, token = order
        pages["cart"] = "/cart"
        pages["checkout"] = "/checkout"
        pages["order"] = f"/orders/{code}?token={token}"
    else:
        pages = {name: public[name] for name in ("home", "product", "scan")}
    if role == "producer":
        pages.update(objects["farm"])
    if role in ("staff", "admin"):
        pages["transfer-received"] = f"/backoffice/orders/{order[0]}/transfer-received"
    pages.update(objects["areas"][role])
    return pages


def check(page, axe_source: str, widths) -> tuple[dict, list[str], float]:
    """axe at each width; at phone width also the small targets and the sticky header's height."""
    violations, small, header = {}, [], 0.0
    for width in widths:
        page.set_viewport_size({"width": width, "height": PHONE["height"] if width < 600 else 900})
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations[width] = result["violations"]
        if width < 600:
            small = page.evaluate(SMALL_TARGETS_JS)
            header = page.evaluate(
                "() => { const h = document.querySelector('.site-header');"
                " return h ? h.getBoundingClientRect().height : 0; }"
            )
    return violations, small, header


def crawl_role(browser, demo_shop, role: str, axe_source: str, widths, folder: Path):
    """Visit the role's pages; returns CheckedPage for every HTML page answered."""
    app, base = demo_shop
    objects = demo_objects(app)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()

    def record(html: str, name: str, path: str) -> CheckedPage:
        """Save the served HTML, then check the page as the browser shows it."""
        html_path = folder / f"{role}-{name}-{hashlib.sha1(path.encode()).hexdigest()[:6]}.html"
        html_path.write_text(html)
        violations, small, header = check(page, axe_source, widths)
        return CheckedPage(role, name, path, html_path, violations, small, header)

    try:
        if role in LOGINS:
            log_in(page, base, *LOGINS[role])
        order = place_order(context, base, objects["product_id"])
        if role in SHOPPERS:  # something in the cart, so the cart and checkout pages show it
            page.goto(base + objects["public"]["product"])
            with page.expect_navigation():
                page.locator("form.add-to-cart button[type=submit]").click()
        checked = []
        for name, path in pages_for(role, objects, order).items():
            response = page.goto(base + path)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            assert response.status < 500, f"{role} {path} answered {response.status}"
            checked.append(record(response.text(), name, path))
        for path in FORMS_SENT_EMPTY.get(role, ()):  # every field then says what is wrong
            page.goto(base + path)
            page.set_viewport_size(PHONE)
            form = page.locator("main form[method=post]").first
            form.evaluate("form => { form.noValidate = true; }")
            with page.expect_navigation() as sent:
                form.locator("button[type=submit]").last.click()
            html = sent.value.text()
            assert 'aria-invalid="true"' in html, f"{path} sent empty, yet no field is invalid"
            name = path.strip("/").replace("/", "-") + "-with-errors"
            checked.append(record(html, name, path))
        return checked
    finally:
        context.close()
