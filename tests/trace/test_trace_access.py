"""Producers only, and only their own areas, packing houses, batches and events."""

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.extensions import db
from shop.trace.models import Batch, BatchEvent, GrowingArea, PackingHouse

PAGES = [
    "/trace/",
    "/trace/areas",
    "/trace/areas/new",
    "/trace/packing-houses",
    "/trace/packing-houses/new",
    "/trace/batches",
    "/trace/batches/new",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_is_sent_to_log_in_first(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.STAFF, Role.ADMIN])
@pytest.mark.parametrize("path", PAGES)
def test_other_roles_are_not_allowed(client, login, make_user, role, path):
    login(make_user(role=role))
    assert client.get(path).status_code == 403


def test_a_consumer_cannot_post_anything(client, login, make_user, batch_data, rows):
    login(make_user(role=Role.CONSUMER))
    assert client.post("/trace/batches/new", data=batch_data()).status_code == 403
    assert client.post("/trace/areas/new", data={"code": "X"}).status_code == 403
    assert rows(Batch) == 0


def test_a_producer_account_without_a_farm_is_not_allowed(client, login, make_user):
    login(make_user(role=Role.PRODUCER))
    assert client.get("/trace/batches").status_code == 403


def test_the_farm_dashboard_links_to_the_origin_pages(farm):
    page = farm.get("/farm/").text
    for path in ("/trace/batches", "/trace/areas", "/trace/packing-houses"):
        assert f'href="{path}"' in page


# Someone else's records ------------------------------------------------------------------------


@pytest.fixture
def theirs(make_product, make_growing_area, make_packing_house, make_batch, neighbour):
    """A neighbour's area, packing house, and a batch with two events."""
    product = make_product(producer=neighbour, name="Chè lam Phủ Quảng")
    area = make_growing_area(producer=neighbour, code="VN-HANG-XOM", name="Đồi chè")
    house = make_packing_house(producer=neighbour, code="VN-HANG-XOM-DG", name="Xưởng chè")
    batch = make_batch(product=product, growing_area=area, lot="HX-1", events=2)
    event = db.session.scalars(select(BatchEvent).where(BatchEvent.batch_id == batch.id)).first()
    return {"area": area, "house": house, "batch": batch, "event": event}


def _snapshot() -> tuple:
    db.session.expire_all()
    return (
        [(a.code, a.name) for a in db.session.scalars(select(GrowingArea))],
        [(h.code, h.name) for h in db.session.scalars(select(PackingHouse))],
        [(b.lot, b.quantity) for b in db.session.scalars(select(Batch))],
        [(e.id, e.notes, e.hash) for e in db.session.scalars(select(BatchEvent))],
    )


def test_nothing_of_a_neighbour_can_be_opened_or_changed(farm, theirs, today):
    area, house = theirs["area"].id, theirs["house"].id
    batch, event = theirs["batch"].id, theirs["event"].id
    before = _snapshot()
    edit = {"code": "VN-DA-SUA", "name": "Đã bị sửa", "crop": "x", "province": "Thanh Hóa"}
    event_post = {"day": today.isoformat(), "time": "07:00", "what": "x", "notes": "giả"}
    requests = [
        ("GET", f"/trace/areas/{area}/edit", None),
        ("POST", f"/trace/areas/{area}/edit", edit),
        ("GET", f"/trace/packing-houses/{house}/edit", None),
        ("POST", f"/trace/packing-houses/{house}/edit", edit),
        ("GET", f"/trace/batches/{batch}", None),
        ("GET", f"/trace/batches/{batch}/events/new", None),
        ("GET", f"/trace/batches/{batch}/events/new/packing", None),
        ("POST", f"/trace/batches/{batch}/events/new/packing", event_post),
        ("GET", f"/trace/batches/{batch}/events/{event}/correct", None),
        ("POST", f"/trace/batches/{batch}/events/{event}/correct", event_post),
    ]
    for method, url, data in requests:
        response = farm.get(url) if method == "GET" else farm.post(url, data=data)
        assert response.status_code == 404, (method, url)
        for secret in ("VN-HANG-XOM", "Chè lam", "HX-1", "Đồi chè"):
            assert secret not in response.text, (method, url)
    assert _snapshot() == before


def test_a_neighbours_records_are_not_listed(farm, theirs):
    for path in ("/trace/areas", "/trace/packing-houses", "/trace/batches", "/trace/batches/new"):
        page = farm.get(path).text
        assert "VN-HANG-XOM" not in page and "HX-1" not in page, path


def test_an_event_of_another_batch_of_mine_is_not_found_under_this_batch(
    farm, make_batch, product, today
):
    first, second = make_batch(product=product, events=1), make_batch(product=product, events=1)
    event = db.session.scalars(select(BatchEvent).where(BatchEvent.batch_id == first.id)).one()
    url = f"/trace/batches/{second.id}/events/{event.id}/correct"
    assert farm.get(url).status_code == 404
    response = farm.post(url, data={"day": today.isoformat(), "time": "07:00"})
    assert response.status_code == 404
    assert db.session.scalar(select(db.func.count(BatchEvent.id))) == 2


@pytest.mark.both_databases
@pytest.mark.parametrize(
    "path",
    [
        "/trace/areas/999999/edit",
        "/trace/areas/99999999999999999999/edit",
        "/trace/areas/2147483648/edit",
        "/trace/areas/-1/edit",
        "/trace/areas/abc/edit",
        "/trace/packing-houses/99999999999999999999/edit",
        "/trace/batches/99999999999999999999",
        "/trace/batches/2147483648/events/new",
        "/trace/batches/1/events/99999999999999999999/correct",
        "/trace/batches/%00",
        "/trace/batches/１",
    ],
)
def test_ids_that_cannot_exist_are_not_found(farm, path):
    assert farm.get(path).status_code == 404
    assert farm.post(path).status_code in (404, 405)


@pytest.mark.both_databases
@pytest.mark.parametrize("page", ["0", "-5", "abc", "99999999999999999999", "10001"])
def test_odd_page_numbers_in_the_batch_list_are_harmless(farm, page):
    assert farm.get(f"/trace/batches?page={page}").status_code == 200


@pytest.mark.both_databases
def test_a_product_preselected_in_the_url_must_be_mine(farm, product, make_product, neighbour):
    theirs = make_product(producer=neighbour, name="Chè lam")
    assert (
        f'<option selected value="{product.id}">'
        in farm.get(f"/trace/batches/new?product={product.id}").text
    )
    page = farm.get(f"/trace/batches/new?product={theirs.id}").text
    assert "Chè lam" not in page
    assert farm.get("/trace/batches/new?product=99999999999999999999").status_code == 200
