"""The dashboard, payouts and audit log in a real Chromium: a clerk records a payout at 1280 px
and finds it in the audit log; on a 360 px phone every page fits without sideways scrolling."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import start_demo_server
from tests.e2e.money_screenshots import add_activity
from tests.e2e.screenshots import log_in

pytestmark = pytest.mark.e2e

STAFF_LOGIN = ("staff@ocop.local", "staff-demo-123")
PAGES = ("/backoffice/dashboard", "/backoffice/payouts", "/backoffice/audit", "/backoffice/exports")


@pytest.fixture(scope="module")
def busy_shop():
    """The demo shop with three months of orders, scans and staff decisions."""
    with tempfile.TemporaryDirectory() as folder:
        app, server, base = start_demo_server(Path(folder))
        add_activity(app)
        yield base
        server.shutdown()


def test_a_clerk_records_a_payout_and_finds_it_in_the_audit_log(browser, busy_shop):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, busy_shop, *STAFF_LOGIN)
    page.goto(busy_shop + "/backoffice/dashboard")
    expect(page.locator("h1")).to_have_text("Bảng điều khiển")
    expect(page.locator("#chart-sales svg")).to_be_visible()
    page.goto(busy_shop + "/backoffice/payouts")
    form = page.locator("form.payout-form").first
    producer_row = page.locator("tr", has=form)
    producer_name = producer_row.locator("strong").first.inner_text()
    form.locator("input[name=bank_reference]").fill("FT26E2E0001")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text(producer_name)
    page.goto(busy_shop + "/backoffice/audit?action=payout.paid")
    expect(page.locator(".audit-ok")).to_be_visible()
    expect(page.locator("table.audit-table")).to_contain_text("FT26E2E0001")
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_each_page_fits_a_phone(phone, busy_shop, path):
    log_in(phone, busy_shop, *STAFF_LOGIN)
    phone.goto(busy_shop + path)
    expect(phone.locator("h1")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide"
