"""The dashboard: charts with the right points, the figures as tables, warnings, a constant
number of queries as the data grows, and cached charts."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from shop.auth.models import Role
from shop.checkout.models import OrderStatus
from shop.clock import local_today
from shop.dashboard import charts
from shop.extensions import db, utcnow
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider
from shop.scan.models import Scan
from shop.trace.models import CodeStatus
from tests.sales import make_sale

pytestmark = pytest.mark.both_databases  # sums by day in SQL, a constant query count

BAR = 'class="rect reactive tooltip-trigger"'


def figure(page: str, chart_id: str) -> str:
    match = re.search(
        rf'<figure class="dash-chart card" id="{chart_id}">(.*?)</figure>', page, re.S
    )
    assert match, chart_id
    return match.group(1)


def today_noon() -> datetime:
    """Noon today in Vietnam, in UTC: inside today's window whatever the hour of the test."""
    return datetime.combine(local_today(), datetime.min.time(), tzinfo=UTC) + timedelta(hours=5)


@pytest.fixture
def sales(app, make_product, make_batch):
    """Three products of two producers sold today and yesterday, one order cancelled, scans."""
    nem = make_product(name="Nem chua", price_vnd=45_000)
    honey = make_product(name="Mật ong rừng", price_vnd=250_000)
    tea = make_product(name="Chè lam", price_vnd=30_000, producer=nem.producer)
    now = today_noon()
    make_sale([(nem, 2), (honey, 1)], status=OrderStatus.PAID, at=now, province="Hà Nội")
    make_sale([(tea, 1)], status=OrderStatus.DELIVERED, at=now - timedelta(days=1))
    make_sale([(honey, 5)], status=OrderStatus.CANCELLED, at=now)
    batch = make_batch(product=nem)
    db.session.add_all(
        [
            Scan(batch_id=batch.id, scanned_at=now, province="Thanh Hóa"),
            Scan(batch_id=batch.id, scanned_at=now, province=None),
            Scan(batch_id=batch.id, scanned_at=now - timedelta(days=40), province="Hà Nội"),
        ]
    )
    db.session.commit()
    return nem, honey, tea


def test_sales_per_day_has_one_bar_per_day(client, staff, sales):
    page = client.get("/backoffice/dashboard").get_data(as_text=True)
    assert figure(page, "chart-sales").count(BAR) == 30
    page90 = client.get("/backoffice/dashboard?days=90").get_data(as_text=True)
    assert figure(page90, "chart-sales").count(BAR) == 90
    assert figure(page90, "chart-scans").count(BAR) == 90


def test_rankings_have_one_bar_per_item_and_the_figures_as_a_table(client, staff, sales):
    page = client.get("/backoffice/dashboard").get_data(as_text=True)
    products = figure(page, "chart-products")
    assert products.count(BAR) == 3  # the cancelled order's honey does not count
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"num\">(.*?)</td></tr>", products)
    assert rows == [
        ("Mật ong rừng", "250.000\u00a0₫"),
        ("Nem chua", "90.000\u00a0₫"),
        ("Chè lam", "30.000\u00a0₫"),
    ]
    assert figure(page, "chart-producers").count(BAR) == 2
    provinces = figure(page, "chart-provinces")
    assert provinces.count(BAR) == 2 and "Hà Nội" in provinces
    scans = figure(page, "chart-scan-provinces")
    assert scans.count(BAR) == 2 and "Not told" in scans  # the 40-day-old scan is outside


def test_the_charts_need_no_script_and_no_other_site(client, staff, sales):
    page = client.get("/backoffice/dashboard").get_data(as_text=True)
    assert "<script" not in page
    assert "kozea.github.io" not in page and "//cdn" not in page


def test_sales_per_day_adds_up(app, sales):
    from shop.dashboard.figures import Window, sales_per_day

    with app.test_request_context():
        points = dict(sales_per_day(Window(30, local_today())))
    assert points[local_today()] == 2 * 45_000 + 250_000
    assert points[local_today() - timedelta(days=1)] == 30_000
    assert sum(points.values()) == 370_000


def test_scan_to_purchase_shows_scans_and_orders_side_by_side(client, staff, sales):
    page = client.get("/backoffice/dashboard").get_data(as_text=True)
    row = re.search(r"<td data-label=\"Product\">Nem chua</td>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'class="num">([^<]*)<', row) == ["2", "1", "50.0"]


def test_warnings(client, staff, make_product, make_growing_area):
    product = make_product(name="Bánh gai", stock=2)
    make_product(name="Còn nhiều", stock=50)
    make_product(name="Chè Sen", stars=4)
    cert = product.certificates  # none: the certificate below is the expiring one
    assert cert == []
    expiring = make_product(name="Mắm tép", stars=3)
    expiring.certificates[0].expires_on = local_today() + timedelta(days=20)
    make_growing_area(code="VN-TH-SUSP", status=CodeStatus.SUSPENDED)
    make_growing_area(code="VN-TH-SOON", expires_on=local_today() + timedelta(days=10))
    make_growing_area(code="VN-TH-FINE", expires_on=local_today() + timedelta(days=400))
    soon = make_sale([(product, 1)], status=OrderStatus.PENDING_PAYMENT, at=today_noon())
    soon.expires_at = utcnow() + timedelta(minutes=4)
    make_sale([(product, 1)], status=OrderStatus.PAID, at=today_noon())
    apply_payment(None, provider=Provider.SEPAY, reference="T1", amount_vnd=1)
    db.session.commit()
    page = client.get("/backoffice/dashboard").get_data(as_text=True)
    assert "Bánh gai" in page and "Còn nhiều" not in page
    assert "Mắm tép" in page and "Chè Sen" not in page
    assert "VN-TH-SUSP" in page and "VN-TH-SOON" in page and "VN-TH-FINE" not in page
    assert soon.code in page
    assert "1 transfer waits for review" in page
    assert "Paid, not yet packed" in page and "1 line" in page


def test_query_count_stays_the_same_as_data_grows(
    client, staff, sales, make_product, count_queries
):
    def queries() -> int:
        charts.cache.clear()
        with count_queries() as statements:
            assert client.get("/backoffice/dashboard?days=90").status_code == 200
        return len(statements)

    small = queries()
    products = [make_product(name=f"Sản phẩm {n}", stock=1) for n in range(12)]
    for n in range(30):
        make_sale(
            [(products[n % 12], 1), (products[(n + 1) % 12], 2)],
            status=OrderStatus.DELIVERED,
            at=today_noon() - timedelta(days=n),
            province=f"Tỉnh {n % 7}",
        )
    assert queries() == small


def test_drawn_charts_are_reused_until_the_data_changes(client, staff, sales, monkeypatch):
    drawn = []
    original = charts.ranking
    monkeypatch.setattr(charts, "ranking", lambda *a: drawn.append(1) or original(*a))
    client.get("/backoffice/dashboard")
    first = len(drawn)
    client.get("/backoffice/dashboard")
    assert len(drawn) == first  # the same data: the same charts
    nem, _honey, _tea = sales
    make_sale([(nem, 1)], status=OrderStatus.PAID, at=today_noon())
    page = client.get("/backoffice/dashboard").get_data(as_text=True)
    assert len(drawn) == 2 * first
    assert "135.000\u00a0₫" in figure(page, "chart-products")  # 3 nem chua now


def test_the_cache_forgets_after_its_time(monkeypatch):
    cache = charts.ChartCache()
    clock = [100.0]
    monkeypatch.setattr(charts.time, "monotonic", lambda: clock[0])
    assert cache.get_or_draw(("k",), 60, lambda: "first") == "first"
    assert cache.get_or_draw(("k",), 60, lambda: "second") == "first"
    clock[0] += 61
    assert cache.get_or_draw(("k",), 60, lambda: "third") == "third"


def test_the_dashboard_speaks_vietnamese(app, make_user, sales):
    client = app.test_client()
    staff = make_user(role=Role.STAFF)
    with client.session_transaction() as session:
        session["_user_id"] = str(staff.id)
    page = client.get("/backoffice/dashboard").get_data(as_text=True)
    assert "Bảng điều khiển" in page and "Doanh số theo ngày" in page


def test_an_empty_shop_has_a_calm_dashboard(client, staff):
    page = client.get("/backoffice/dashboard?days=7").get_data(as_text=True)  # 7: back to 30
    assert figure(page, "chart-sales").count(BAR) == 30
    assert "Nothing needs attention right now." in page


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
def test_consumers_and_producers_are_refused(client, login, make_user, make_producer, role):
    login(make_user(role=role, producer=make_producer() if role == Role.PRODUCER else None))
    assert client.get("/backoffice/dashboard").status_code == 403


def test_short_amounts_on_the_axis():
    assert [charts.short_vnd(n) for n in (500, 45_000, 1_000_000, 1_250_000)] == [
        "500",
        "45 N",
        "1 tr",
        "1,2 tr",
    ]
