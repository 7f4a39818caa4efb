"""Every GET page of the app, for every role, in Vietnamese and in English: never a 5xx.

The routes come from app.url_map, so a new page cannot escape: a route whose URL arguments
this module cannot fill fails test_every_get_route_is_requested until it is taught how (in
VALUES_BY_ARGUMENT or VALUES_BY_ENDPOINT) or listed in SKIPPED with the reason. The URL
arguments are real objects of the demo data (seeds.load_demo), plus an order, a label run and a
payment to review. One app and one seeded SQLite database serve the whole module.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, url_for
from sqlalchemy import select

from seeds import demo_accounts, load_demo
from shop import create_app
from shop.auth.models import Role, User
from shop.catalogue.models import Product, ProductPhoto
from shop.catalogue.search import listed_clause
from shop.checkout.models import PaymentMethod
from shop.checkout.orders import Customer, place_order
from shop.extensions import db
from shop.labels.serials import issue_serials, run_serials
from shop.payments.models import PaymentReview, Provider, ReviewReason
from shop.trace.models import Batch, EventType

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["anonymous", "consumer", "producer", "staff", "admin"]
LANGUAGES = ["vi", "en"]
# GET routes that are deliberately not requested, with the reason (kept honest by
# test_the_skip_list_is_not_stale). POST-only routes are not GET routes: they are not here.
SKIPPED: dict[str, str] = {}


@dataclass
class Demo:
    """Plain values from the seeded database (no ORM object outlives its session)."""

    users: dict[str, int]
    args: dict[str, object]
    by_endpoint: dict[str, list[dict]]
    headers: dict[str, dict[str, str]]


def _own_records(producer_id: int) -> dict[str, object]:
    """A batch of the demo farmer's (with events, a lot on sale), and what hangs off it."""
    batch = db.session.scalars(
        select(Batch)
        .join(Product)
        .join(Product.producer)
        .where(listed_clause(), Product.stock > 0, Batch.on_sale, Batch.events.any())
        .where(Product.producer_id == producer_id)
        .order_by(Batch.id)
    ).first()
    product = batch.product
    photo = db.session.scalars(select(ProductPhoto).order_by(ProductPhoto.id)).first()
    run = issue_serials(batch, 3, "a4")
    event = batch.events[0]
    return {
        "gtin": product.gtin,
        "lot": batch.lot,
        "serial": run_serials(run)[0],
        "batch_id": batch.id,
        "run_id": run.id,
        "event_id": event.id,
        "product_id": product.id,
        "producer_id": product.producer_id,
        "area_id": batch.growing_area_id,
        "house_id": batch.packing_house_id,
        "product_slug": product.slug,
        "producer_slug": product.producer.slug,
        "name": photo.filename,
        "kind": EventType.HARVEST.value,
    }


def _order_for(consumer: User, product_id: int) -> tuple[str, str]:
    customer = Customer(
        name=consumer.name,
        phone="0983000004",
        email="khach@example.vn",
        address="12 Lê Lợi, phường Hạc Thành",
        province="Thanh Hóa",
    )
    order, token = place_order([(product_id, 1)], customer, PaymentMethod.VIETQR, user=consumer)
    db.session.add(
        PaymentReview(
            provider=Provider.SEPAY,
            reference="151100179",
            reason=ReviewReason.UNMATCHED,
            amount_vnd=order.total_vnd,
            memo=f"{order.code} chuyen khoan",
        )
    )
    return order.code, token


def _seed(app: Flask) -> Demo:
    with app.test_request_context():  # the order's e-mail holds links
        db.create_all()
        load_demo()
        accounts = {}
        for account in demo_accounts():  # the first of each role: the approved farmer
            accounts.setdefault(account["role"], account["email"])
        users = {
            role: db.session.scalar(select(User).where(User.email == accounts[role]))
            for role in ("consumer", "producer", "staff", "admin")
        }
        args = _own_records(users["producer"].producer_id)
        db.session.commit()  # place_order starts its own write transaction
        code, token = _order_for(users["consumer"], args["product_id"])
        db.session.commit()
        args["code"] = code
        css = sorted((ROOT / "static/css").glob("*.css"))[0]
        by_endpoint = {
            "catalogue.product": [{"slug": args.pop("product_slug")}],
            "producers.show": [{"slug": args.pop("producer_slug")}],
            "site.set_language": [{"code": lang} for lang in LANGUAGES],
            "static": [{"filename": f"css/{css.name}"}],
            "scan.unmatched": [{"rest": "08931234567897/10/x/99/y"}],
            "scan.compressed": [{"token": "CxA-7iCtssZauo"}],  # GS1 DL compression
            "places.communes": [{"code": 38}],  # Thanh Hóa
            "trace.new_event": [{"batch_id": args["batch_id"], "kind": k.value} for k in EventType],
            "epcis.job": [{"capture_id": "00000000-0000-0000-0000-000000000000"}],  # no key: 401
        }
        headers = {"api.order": {"X-Order-Token": token}}
        return Demo({r: u.id for r, u in users.items()}, args, by_endpoint, headers)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> tuple[Flask, Demo]:
    folder = tmp_path_factory.mktemp("smoke")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "smoke-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'smoke.sqlite3'}",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
        }
    )
    demo = _seed(app)
    yield app, demo
    with app.app_context():
        db.engine.dispose()


def get_rules(app: Flask) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in SKIPPED),
        key=lambda r: r.rule,
    )


def urls(app: Flask, demo: Demo) -> list[tuple[str, str]]:
    """(endpoint, url) for every GET route, each variant of its arguments."""
    found = []
    with app.test_request_context():
        for rule in get_rules(app):
            variants = demo.by_endpoint.get(rule.endpoint)
            if variants is None and all(a in demo.args for a in rule.arguments):
                variants = [{a: demo.args[a] for a in rule.arguments}]
            for values in variants or []:
                found.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_5xx(smoke, role, language):
    app, demo = smoke
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = language
        if role != "anonymous":
            session["_user_id"] = str(demo.users[role])
            session["_fresh"] = True
    failures = []
    for endpoint, url in urls(app, demo):
        try:
            response = client.get(url, headers=demo.headers.get(endpoint, {}))
            status = response.status_code
            response.close()  # files (media, static) are streamed
        except Exception as exc:  # TESTING propagates the view's exception: that is a 500
            status = f"500 ({type(exc).__name__}: {exc})"
        if not isinstance(status, int) or status >= 500:
            failures.append(f"GET {url} as {role} in {language}: {status}")
        if endpoint == "site.set_language":
            with client.session_transaction() as session:
                session["lang"] = language  # that page switched the language: switch back
    assert failures == [], "\n".join(failures)


def test_every_get_route_is_requested(smoke):
    app, demo = smoke
    requested = {endpoint for endpoint, _ in urls(app, demo)}
    missing = sorted(r.endpoint for r in get_rules(app) if r.endpoint not in requested)
    assert missing == [], (
        "teach tests/test_smoke.py the URL arguments of these routes (or skip them, with a "
        f"reason): {missing}"
    )


def test_the_skip_list_and_the_special_cases_are_not_stale(smoke):
    """Every route named here (skipped, given its own URL values or headers) is a GET route."""
    app, demo = smoke
    get_endpoints = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    named = set(SKIPPED) | set(demo.by_endpoint) | set(demo.headers)
    assert named - get_endpoints == set(), "these routes are gone or no longer answer GET"
    assert not set(SKIPPED) & (set(demo.by_endpoint) | set(demo.headers))


def test_the_roles_are_who_they_claim(smoke):
    """The producer owns the objects in the URLs, so the smoke test reaches their real pages."""
    app, demo = smoke
    with app.app_context():
        roles = {name: db.session.get(User, uid).role for name, uid in demo.users.items()}
        farmer = db.session.get(User, demo.users["producer"])
        batch = db.session.get(Batch, demo.args["batch_id"])
        assert batch.product.producer_id == farmer.producer_id
    assert roles == {
        "consumer": Role.CONSUMER,
        "producer": Role.PRODUCER,
        "staff": Role.STAFF,
        "admin": Role.ADMIN,
    }
