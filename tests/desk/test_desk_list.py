"""The order desk: newest first, filters, status tabs, bad filters answered clearly, and a
constant number of queries per page."""

from datetime import UTC, datetime

import pytest

from shop.checkout.models import OrderStatus
from shop.checkout.orders import Customer
from shop.extensions import db

pytestmark = pytest.mark.both_databases  # filters in SQL, a constant query count

LAN = Customer(
    name="Trần Văn Lân",
    phone="0987654321",
    email="lan@example.vn",
    address="3 Trần Phú",
    province="Nghệ An",
)


def codes(response) -> list[str]:
    """The order codes listed, top to bottom (each row's bulk-action checkbox)."""
    page = response.get_data(as_text=True)
    return [chunk.split('"')[0] for chunk in page.split('name="codes" value="')[1:]]


@pytest.fixture
def three_orders(place, make_product, make_producer):
    farm_a, farm_b = make_producer(name="HTX Chè Lam"), make_producer(name="HTX Nem Chua")
    tea, nem = make_product(producer=farm_a, stock=50), make_product(producer=farm_b, stock=50)
    first = place([(tea.id, 1)])
    second = place([(nem.id, 1)], customer=LAN)
    third = place([(tea.id, 1), (nem.id, 2)], paid=False)
    return first, second, third, farm_a, farm_b


def test_newest_first_with_counts_per_status(client, staff, three_orders):
    first, second, third, *_ = three_orders
    response = client.get("/backoffice/orders")
    assert response.status_code == 200
    assert codes(response) == [third.code, second.code, first.code]
    page = response.get_data(as_text=True)
    assert "3 orders" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=paid", [1, 0]),
        ("q=tran van lan", [1]),  # no diacritics
        ("q=Trần", [1]),
        ("q=0987 654 321", [1]),
        ("province=Nghệ An", [1]),
        ("method=stripe", []),
        ("status=pending_payment", [2]),
    ],
)
def test_filters(client, staff, three_orders, query, expected):
    orders = three_orders[:3]
    response = client.get(f"/backoffice/orders?{query}")
    assert response.status_code == 200
    assert codes(response) == [orders[i].code for i in expected]


def test_search_by_code_and_by_producer(client, staff, three_orders):
    first, second, third, _farm_a, farm_b = three_orders
    assert codes(client.get(f"/backoffice/orders?q={first.code.lower()}")) == [first.code]
    by_b = client.get(f"/backoffice/orders?producer={farm_b.id}")
    assert codes(by_b) == [third.code, second.code]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("from=2026-12-02", True),  # 17:30 UTC on the 1st is 00:30 on the 2nd in Vietnam
        ("to=2026-12-01", False),
        ("from=2026-12-02&to=2026-12-02", True),
        ("to=2026-12-02", True),
        ("from=2026-12-03", False),
    ],
)
def test_the_date_filters_use_vietnam_midnight(client, staff, paid_order, query, found):
    paid_order.created_at = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    db.session.commit()
    assert codes(client.get(f"/backoffice/orders?{query}")) == ([paid_order.code] if found else [])


def test_dates_are_vietnam_dates(client, staff, three_orders):
    first = three_orders[0]
    from shop.localtime import local_date

    day = local_date(first.created_at).isoformat()
    assert len(codes(client.get(f"/backoffice/orders?from={day}&to={day}"))) == 3
    assert codes(client.get("/backoffice/orders?to=2020-01-01")) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=lost", "is not an order status"),
        ("method=cash", "is not a payment method"),
        ("producer=abc", "is not a producer"),
        ("producer=99999999999", "is not a producer"),
        ("from=2026-13-01", "is not a date"),
        ("to=yesterday", "is not a date"),
        ("from=2026-12-02&to=2026-12-01", "end date is before"),
        ("page=-1", "is not a page number"),
        ("page=1e9", "is not a page number"),
        ("q=%00%27%22<script>", None),
    ],
)
def test_bad_filters_get_a_clear_message_never_a_500(client, staff, three_orders, query, message):
    response = client.get(f"/backoffice/orders?{query}")
    page = response.get_data(as_text=True)
    if message:
        assert response.status_code == 400
        assert message in page
        assert len(codes(response)) == 3  # the rest of the desk still works
    else:
        assert response.status_code == 200
        assert "<script>" not in page


def test_vietnamese_by_default(app, staff, three_orders):
    vi = app.test_client()
    with vi.session_transaction() as session:
        session["_user_id"] = str(staff.id)
    page = vi.get("/backoffice/orders?status=lost").get_data(as_text=True)
    assert "Đơn hàng" in page and "không phải là trạng thái đơn hàng" in page


def queries_for_desk(client, count_queries) -> int:
    db.session.expire_all()
    with count_queries() as statements:
        assert client.get("/backoffice/orders").status_code == 200
    return len(statements)


def test_the_desk_runs_a_constant_number_of_queries(
    client, staff, place, make_product, count_queries
):
    """5 orders or 50 (two pages), two lines each: the same handful of queries."""
    products = [make_product(stock=200) for _ in range(3)]

    def orders(n: int) -> None:
        for i in range(n):
            place([(products[i % 3].id, 1), (products[(i + 1) % 3].id, 1)], paid=i % 2 == 0)

    orders(5)
    with_5 = queries_for_desk(client, count_queries)
    orders(45)
    with_50 = queries_for_desk(client, count_queries)
    assert with_5 == with_50 <= 7


def test_pages_of_25(client, staff, place, make_product):
    product = make_product(stock=100)
    placed = [place([(product.id, 1)]) for _ in range(27)]
    second = client.get("/backoffice/orders?page=2")
    assert codes(second) == [placed[1].code, placed[0].code]
    assert "page 2 of 2" in second.get_data(as_text=True)
    assert len(codes(client.get("/backoffice/orders?page=9"))) == 2  # past the end: the last
    assert OrderStatus.PAID in {o.status for o in placed}
