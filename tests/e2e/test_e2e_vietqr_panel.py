"""The VietQR panel in a real Chromium on a 360 px phone: it fits, its copy buttons appear,
and its status turns to "Paid" by itself when the transfer arrives (no reload by the user)."""

import threading

import pytest
from flask import render_template_string
from playwright.sync_api import expect
from werkzeug.serving import make_server

from shop import create_app
from shop.checkout.models import Order
from shop.extensions import db
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider
from tests.payments.bank_requests import ACCOUNT_NO
from tests.payments.orders import order_factory

pytestmark = pytest.mark.e2e

PAGE = """{% extends "base.html" %}{% from "payments/_vietqr.html" import vietqr_panel %}
{% block content %}<h1>{{ order.code }}</h1>{{ vietqr_panel(order, token) }}{% endblock %}"""


@pytest.fixture
def shop(tmp_path, make_product):
    """A shop on a real port with one order awaiting its transfer, shown by a bare order page
    (the checkout's own page includes the same panel)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite3'}",
            "SECRET_KEY": "live",
            "RATELIMIT_ENABLED": False,
            "VIETQR_BANK_BIN": "970436",
            "VIETQR_ACCOUNT_NO": ACCOUNT_NO,
            "VIETQR_ACCOUNT_NAME": "HTX NONG SAN THANH HOA",
        }
    )

    @app.get("/test-order/<code>")
    def order_page(code):
        from flask import request

        order = db.session.scalars(db.select(Order).where(Order.code == code)).one()
        return render_template_string(PAGE, order=order, token=request.args["token"])

    with app.app_context():
        db.create_all()
        order, token = order_factory(make_product)(total_vnd=187_500)
        code = order.code
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}", code, token
    server.shutdown()


@pytest.fixture
def make_product(tmp_path):
    """Products for the live shop's database (the suite's make_product uses the test app)."""
    from shop.catalogue.models import OcopGroup, Product
    from shop.producers.models import ApprovalStatus, Producer

    def _make(**values) -> Product:
        producer = Producer(
            name="HTX Nem chua",
            slug="htx-nem-chua",
            district="Thọ Xuân",
            status=ApprovalStatus.APPROVED,
        )
        product = Product(
            producer=producer,
            slug="nem-chua",
            description="",
            ocop_group=OcopGroup.FOOD,
            unit="hộp",
            stock=10,
            status=ApprovalStatus.APPROVED,
            is_active=True,
            **values,
        )
        db.session.add(product)
        db.session.commit()
        return product

    return _make


def test_the_panel_fits_a_phone_and_turns_paid_by_itself(shop, phone):
    app, base, code, token = shop
    phone.goto(f"{base}/test-order/{code}?token={token}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    image = phone.locator(".vietqr-code img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert phone.locator(".vietqr-copy-btn:visible").count() == 3
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    memo_button = phone.locator("#vietqr-memo + .vietqr-copy-btn")
    memo_button.click()
    expect(memo_button).to_have_text(memo_button.get_attribute("data-copied"))  # waits
    assert phone.evaluate("navigator.clipboard.readText()") == f"{code} OCOP Shop"
    status = phone.locator(".vietqr-status-label")
    initial = status.inner_text()
    with app.app_context():
        order = db.session.scalars(db.select(Order).where(Order.code == code)).one()
        apply_payment(order, provider=Provider.MANUAL, reference="FT1", amount_vnd=187_500)
        db.session.commit()
    phone.wait_for_function(
        "initial => document.querySelector('.vietqr-status-label').textContent !== initial",
        arg=initial,
        timeout=12_000,
    )
    phone.wait_for_selector('.vietqr-status[data-status="paid"]', timeout=8_000)
