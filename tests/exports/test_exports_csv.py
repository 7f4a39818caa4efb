"""CSV exports: UTF-8 with a BOM, the fixed columns, formulas neutralised, streamed, filtered
by Vietnamese days."""

import csv
import io
from datetime import UTC, datetime

import pytest

from shop.auth.models import Role
from shop.exports.csvfile import csv_lines, neutralise
from tests.sales import make_sale

pytestmark = pytest.mark.both_databases  # money, days filtered in SQL

ORDER_COLUMNS = [
    "order_code",
    "status",
    "placed_at",
    "producer",
    "product",
    "lot",
    "quantity",
    "unit_price_vnd",
    "line_total_vnd",
    "customer_name",
    "province",
]


@pytest.fixture
def staff(client, login, make_user):
    login(make_user(role=Role.STAFF))


def rows_of(response) -> list[dict]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+84912345678", "'+84912345678"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Nước mắm = ngon", "Nước mắm = ngon"),
        (-5000, -5000),  # a number stays a number
        (None, ""),
    ],
)
def test_cells_that_start_like_a_formula_are_neutralised(cell, written):
    assert neutralise(cell) == written


def test_csv_lines_start_with_a_bom_and_end_lines_with_crlf():
    lines = list(csv_lines(["a", "b"], [["x,y", 'say "hi"'], [1, None]]))
    assert lines == ["\ufeffa,b\r\n", '"x,y","say ""hi"""\r\n', "1,\r\n"]


def test_the_orders_export_has_one_row_per_line(client, staff, make_product):
    nem = make_product(name="Nem chua", price_vnd=45_000)
    honey = make_product(name="Mật ong", price_vnd=250_000)
    order = make_sale([(nem, 3), (honey, 1)], customer_name="=cmd|' /C calc'!A0")
    response = client.get("/backoffice/exports/orders.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = rows_of(response)
    assert set(ORDER_COLUMNS) <= set(rows[0])
    assert [(r["order_code"], r["product"], r["quantity"], r["line_total_vnd"]) for r in rows] == [
        (order.code, "Nem chua", "3", "135000"),
        (order.code, "Mật ong", "1", "250000"),
    ]
    assert rows[0]["customer_name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["status"] == "delivered"
    assert rows[0]["placed_at"] == "2026-11-09 10:00"  # 03:00 UTC on 9 Nov is 10:00 in Vietnam
    assert rows[0]["province"] == "Thanh Hóa"


def test_the_orders_export_is_filtered_by_the_day_placed_in_vietnam(client, staff, make_product):
    product = make_product()
    # placed 16:59 UTC on 31 Oct = 23:59 in Vietnam; and 17:00 UTC = 00:00 on 1 Nov
    october = make_sale([(product, 1)], at=datetime(2026, 11, 1, 16, 59, tzinfo=UTC))
    november = make_sale([(product, 1)], at=datetime(2026, 11, 1, 17, 0, tzinfo=UTC))
    codes = [
        r["order_code"]
        for r in rows_of(client.get("/backoffice/exports/orders.csv?from=2026-11-01&to=2026-11-30"))
    ]
    assert codes == [november.code]
    codes = [
        r["order_code"] for r in rows_of(client.get("/backoffice/exports/orders.csv?to=2026-10-31"))
    ]
    assert codes == [october.code]


@pytest.mark.parametrize("query", ["from=2026-02-30", "to=soon", "from=2026-11-30&to=2026-11-01"])
@pytest.mark.parametrize("kind", ["orders", "payouts"])
def test_bad_dates_get_a_message(client, staff, kind, query):
    response = client.get(f"/backoffice/exports/{kind}.csv?{query}")
    assert response.status_code == 400
    assert 'class="field-errors"' in response.get_data(as_text=True)


def test_an_empty_export_is_just_the_header(client, staff):
    body = client.get("/backoffice/exports/orders.csv").get_data(as_text=True)
    assert body.count("\r\n") == 1 and body.startswith("\ufefforder_code,")


def test_the_payouts_export_columns(client, staff):
    body = client.get("/backoffice/exports/payouts.csv?from=2026-11-01&to=2026-11-30")
    header = body.get_data(as_text=True)[1:].split("\r\n")[0].split(",")
    assert {"producer", "gross_vnd", "commission_vnd", "refunds_vnd", "net_vnd"} <= set(header)
    assert "payouts_2026-11-01_2026-11-30.csv" in body.headers["Content-Disposition"]


def test_the_exports_page_speaks_vietnamese(app, make_user):
    client = app.test_client()
    staff = make_user(role=Role.STAFF)
    with client.session_transaction() as session:
        session["_user_id"] = str(staff.id)
    page = client.get("/backoffice/exports").get_data(as_text=True)
    assert "Xuất dữ liệu" in page and "Tiền trả cho từng nhà sản xuất" in page
