"""Growing areas and packing houses: codes as issued, unique, located in Vietnam."""

import json

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.trace.models import CodeStatus, GapScheme, GrowingArea, PackingHouse

pytestmark = pytest.mark.both_databases  # unique codes, stored geometry


@pytest.fixture
def area_data():
    def _data(**overrides) -> dict:
        data = {
            "code": "  vn-thor-0123 ",
            "name": "Vùng bưởi Xuân Minh",
            "crop": "Bưởi Luận Văn",
            "area_hectares": "12,5",
            "households": "18",
            "province": "38",  # Thanh Hóa
            "commune": "15592",  # Xã Xuân Lập (Xuân Minh and its neighbours until 2025)
            "district": "Thọ Xuân",
            "latitude": "19.93",
            "longitude": "105.43",
            "polygon": "",
            "gap_scheme": "vietgap",
            "gap_certificate_no": "VG-2024-118",
            "gap_expires_on": "2027-03-01",
            "issued_on": "2024-03-01",
            "expires_on": "2029-03-01",
            "expected_yield_kg": "40.000",
        }
        data.update(overrides)
        return data

    return _data


def only_area() -> GrowingArea:
    db.session.expire_all()
    return db.session.scalars(select(GrowingArea)).one()


def test_a_farmer_registers_a_growing_area(farm, farmer, area_data):
    response = farm.post("/trace/areas/new", data=area_data())
    assert response.status_code == 302
    assert response.headers["Location"] == "/trace/areas"

    area = only_area()
    assert area.producer_id == farmer.producer_id
    assert area.code == "VN-THOR-0123"
    assert area.status == CodeStatus.ACTIVE
    assert area.area_m2 == 125_000
    assert area.households == 18
    assert (area.latitude, area.longitude) == (19.93, 105.43)
    assert area.gap_scheme == GapScheme.VIETGAP
    assert area.gap_certificate_no == "VG-2024-118"
    assert area.expected_yield_kg == 40_000
    assert (area.commune, area.commune_code) == ("Xã Xuân Lập", 15592)
    assert (area.province, area.province_code, area.district) == ("Thanh Hóa", 38, "Thọ Xuân")
    listing = farm.get("/trace/areas").text
    assert "Xã Xuân Lập, Thanh Hóa" in listing and "(formerly: Thọ Xuân)" in listing

    page = farm.get("/trace/areas").text
    assert "VN-THOR-0123" in page
    assert "Active" in page
    assert "12.5 ha" in page


@pytest.mark.parametrize(
    ("typed", "square_metres"),
    [("1,5", 15_000), ("1.5", 15_000), ("0,25 ha", 2_500), ("3", 30_000)],
)
def test_hectares_are_read_with_a_comma_or_a_dot(farm, area_data, typed, square_metres):
    assert farm.post("/trace/areas/new", data=area_data(area_hectares=typed)).status_code == 302
    assert only_area().area_m2 == square_metres


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("code", "", "Enter the code as the authority issued it."),
        ("code", "X" * 65, "Field cannot be longer than 64 characters."),
        ("area_hectares", "1,5,0", "Enter the area in hectares, for example 1,5 or 1.5."),
        ("area_hectares", "abc", "Enter the area in hectares, for example 1,5 or 1.5."),
        ("area_hectares", "0", "Enter an area from 0.0001 to 100,000 hectares."),
        ("area_hectares", "-2", "Enter an area from 0.0001 to 100,000 hectares."),
        ("area_hectares", "9" * 400, "Enter the area in hectares, for example 1,5 or 1.5."),
        ("latitude", "48.85", "This is outside Vietnam: enter a value from 8 to 24."),
        ("longitude", "2.35", "This is outside Vietnam: enter a value from 102 to 110."),
        ("latitude", "19°55'N", "Enter decimal degrees, for example 19.93."),
        ("longitude", "", "Enter both latitude and longitude, or neither."),
        ("households", "-3", "This cannot be negative."),
        ("gap_certificate_no", "", "Enter the certificate number."),
        ("gap_scheme", "organic", "Not a valid choice."),
        ("commune", "Xã Xuân Minh", "Choose a commune or ward of Thanh Hóa from the list."),
        ("commune", "70", "Phường Hoàn Kiếm is not in Thanh Hóa."),
        ("province", "Hà Tây", "Choose one of Vietnam's 34 provinces and cities."),
        ("issued_on", "2999-01-01", "The issue date cannot be in the future."),
        ("expires_on", "2020-01-01", "The code cannot expire before it was issued."),
        ("issued_on", "31/02/2024", "Enter the date as day/month/year, for example 15/03/2024."),
        ("name", "\x00", "This field is required."),
    ],
)
def test_bad_input_is_a_form_error_that_keeps_what_was_typed(
    farm, area_data, rows, field, typed, message
):
    response = farm.post("/trace/areas/new", data=area_data(**{field: typed}))
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Vùng bưởi Xuân Minh"' in response.text or field == "name"
    assert rows(GrowingArea) == 0


def test_a_map_app_pair_pasted_in_the_latitude_box_fills_both(farm, area_data):
    data = area_data(latitude="19.930512, 105.431207", longitude="")
    assert farm.post("/trace/areas/new", data=data).status_code == 302
    area = only_area()
    assert (area.latitude, area.longitude) == (19.930512, 105.431207)


def test_coordinates_can_be_left_out(farm, area_data):
    assert (
        farm.post("/trace/areas/new", data=area_data(latitude="", longitude="")).status_code == 302
    )
    assert only_area().latitude is None


SQUARE = [[105.43, 19.93], [105.44, 19.93], [105.44, 19.94], [105.43, 19.94], [105.43, 19.93]]


def test_a_geojson_polygon_is_stored_as_its_geometry(farm, area_data):
    feature = {
        "type": "Feature",
        "properties": {"name": "vườn"},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    response = farm.post("/trace/areas/new", data=area_data(polygon=json.dumps(feature)))
    assert response.status_code == 302
    assert only_area().polygon == {"type": "Polygon", "coordinates": [SQUARE]}
    page = farm.get(f"/trace/areas/{only_area().id}/edit").text
    assert "105.43" in page and "Polygon" in page


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ("not json", "This is not GeoJSON."),
        ("[[[[[[", "This is not GeoJSON."),
        ("[" * 100_000, "This is not GeoJSON."),
        ({"type": "Point", "coordinates": [105.43, 19.93]}, "Paste one GeoJSON Polygon"),
        ({"type": "Polygon", "coordinates": []}, "The polygon has no coordinates."),
        ({"type": "Polygon", "coordinates": [SQUARE[:3]]}, "at least 4 points"),
        ({"type": "Polygon", "coordinates": [SQUARE[:4]]}, "The ring is not closed"),
        (
            {"type": "Polygon", "coordinates": [[[p[1], p[0]] for p in SQUARE]]},
            "The points look swapped",
        ),
        (
            {"type": "Polygon", "coordinates": [[[2.35, 48.85], *SQUARE[1:4], [2.35, 48.85]]]},
            "A point of the polygon is outside Vietnam.",
        ),
        (
            {"type": "Polygon", "coordinates": [[["105.43", "19.93"], *SQUARE[1:]]]},
            "Each point must be [longitude, latitude]",
        ),
        ({"type": "Polygon", "coordinates": [[[True, False], *SQUARE[1:]]]}, "Each point must be"),
    ],
)
def test_a_bad_polygon_is_explained(farm, area_data, rows, geometry, message):
    text = geometry if isinstance(geometry, str) else json.dumps(geometry)
    response = farm.post("/trace/areas/new", data=area_data(polygon=text))
    assert response.status_code == 400
    assert message in response.text
    assert rows(GrowingArea) == 0


def test_nan_in_a_polygon_is_refused(farm, area_data, rows):
    ring = "[[NaN, 19.93], [105.44, 19.93], [105.44, 19.94], [NaN, 19.93]]"
    text = '{"type": "Polygon", "coordinates": [' + ring + "]}"
    response = farm.post("/trace/areas/new", data=area_data(polygon=text))
    assert response.status_code == 400
    assert rows(GrowingArea) == 0


def test_a_code_registered_by_anyone_in_the_shop_is_refused(
    farm, area_data, make_growing_area, neighbour, rows
):
    make_growing_area(producer=neighbour, code="VN-THOR-0123")
    response = farm.post("/trace/areas/new", data=area_data(code="vn-thor-0123"))
    assert response.status_code == 400
    assert "This code is already registered in the shop." in response.text
    assert rows(GrowingArea) == 1


def test_inner_spaces_are_kept_single_and_count_for_uniqueness(farm, area_data, rows):
    assert farm.post("/trace/areas/new", data=area_data(code="vn  thor 9")).status_code == 302
    assert only_area().code == "VN THOR 9"
    response = farm.post("/trace/areas/new", data=area_data(code=" VN thor   9"))
    assert "This code is already registered in the shop." in response.text
    assert rows(GrowingArea) == 1


def test_editing_keeps_the_status_which_only_the_authority_changes(farm, area, area_data):
    area.status, area.status_reason = CodeStatus.SUSPENDED, "Dư lượng thuốc vượt ngưỡng"
    db.session.commit()
    page = farm.get(f"/trace/areas/{area.id}/edit").text
    assert "Suspended" in page and "Dư lượng thuốc vượt ngưỡng" in page
    assert 'name="status"' not in page

    data = area_data(code=area.code, name="Tên mới", status="active", status_reason="")
    response = farm.post(f"/trace/areas/{area.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    fresh = db.session.get(GrowingArea, area.id)
    assert fresh.name == "Tên mới"
    assert fresh.status == CodeStatus.SUSPENDED
    assert fresh.status_reason == "Dư lượng thuốc vượt ngưỡng"


def test_the_edit_form_shows_the_stored_values(farm, area):
    page = farm.get(f"/trace/areas/{area.id}/edit").text
    assert 'value="VN-TH-BLV-001"' in page
    assert 'value="12.5"' in page
    assert 'value="19.93"' in page


def test_an_area_keeps_its_own_code_when_edited(farm, area, area_data):
    response = farm.post(f"/trace/areas/{area.id}/edit", data=area_data(code=area.code.lower()))
    assert response.status_code == 302


def test_a_code_printed_on_batches_cannot_be_changed(farm, area, area_data, make_batch, product):
    make_batch(product=product, growing_area=area)
    response = farm.post(f"/trace/areas/{area.id}/edit", data=area_data(code="VN-KHAC-1"))
    assert response.status_code == 400
    assert "cannot be changed" in response.text
    db.session.expire_all()
    assert db.session.get(GrowingArea, area.id).code == "VN-TH-BLV-001"


def test_status_badges_say_suspended_revoked_and_expired(
    farm, farmer, make_growing_area, days_ago_fn
):
    producer = farmer.producer
    make_growing_area(producer=producer, code="A-OK")
    make_growing_area(producer=producer, code="B-SUSP", status=CodeStatus.SUSPENDED)
    make_growing_area(
        producer=producer, code="C-REV", status=CodeStatus.REVOKED, status_reason="Giả mạo hồ sơ"
    )
    make_growing_area(producer=producer, code="D-EXP", expires_on=days_ago_fn(1))
    page = farm.get("/trace/areas").text
    assert page.count("trace-status-active") == 1
    assert "Suspended" in page
    assert "Revoked" in page and "Giả mạo hồ sơ" in page
    assert "Expired" in page and "Expired on" in page


@pytest.fixture
def days_ago_fn(today):
    from datetime import timedelta

    return lambda n: today - timedelta(days=n)


# Packing houses ----------------------------------------------------------------------------


def test_a_farmer_registers_and_edits_a_packing_house(farm, farmer):
    data = {
        "code": " vn-th-dg-01 ",
        "name": "Cơ sở đóng gói Xuân Minh",
        "address": "Thôn 3",
        "province": "Thanh Hóa",  # names are read too
        "commune": "Xã Xuân Lập",
        "district": "",
        "issued_on": "01/03/2024",
        "expires_on": "",
    }
    assert farm.post("/trace/packing-houses/new", data=data).status_code == 302
    house = db.session.scalars(select(PackingHouse)).one()
    assert (house.code, house.producer_id, house.status) == (
        "VN-TH-DG-01",
        farmer.producer_id,
        CodeStatus.ACTIVE,
    )
    assert "VN-TH-DG-01" in farm.get("/trace/packing-houses").text
    assert (house.commune_code, house.province_code, house.district) == (15592, 38, None)

    data["address"] = "Thôn 4"
    assert farm.post(f"/trace/packing-houses/{house.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(PackingHouse, house.id).address == "Thôn 4"

    again = farm.post("/trace/packing-houses/new", data=data)
    assert again.status_code == 400
    assert "This code is already registered in the shop." in again.text
