"""Staff record the authority's decisions on codes; producers cannot change a code's status."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.extensions import db
from shop.trace.models import Batch, CodeStatus, GrowingArea, PackingHouse

pytestmark = pytest.mark.both_databases  # times, NUL characters, ids beyond what a column holds


@pytest.fixture
def staff(client, login, make_user):
    login(make_user(role=Role.STAFF))
    return client


def fresh(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


def test_staff_see_every_producers_codes(staff, area, house, make_growing_area, neighbour):
    make_growing_area(producer=neighbour, code="VN-HANG-XOM")
    page = staff.get("/backoffice/codes").text
    for code in ("VN-TH-BLV-001", "VN-TH-DG-007", "VN-HANG-XOM"):
        assert code in page
    assert "HTX Bưởi Luận Văn" in page and "HTX Chè lam Phủ Quảng" in page


def test_staff_suspend_then_revoke_an_area_with_a_reason(staff, area, farm_after):
    url = f"/backoffice/codes/areas/{area.id}/status"
    response = staff.post(url, data={"status": "suspended", "reason": "Kiểm tra dư lượng"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/backoffice/codes#areas-{area.id}")
    record = fresh(GrowingArea, area.id)
    assert record.status == CodeStatus.SUSPENDED
    assert record.status_reason == "Kiểm tra dư lượng"
    assert record.status_changed_at is not None

    response = staff.post(url, data={"status": "revoked", "reason": "QĐ 45/QĐ-CCTT thu hồi"})
    assert response.status_code == 303
    record = fresh(GrowingArea, area.id)
    assert record.status == CodeStatus.REVOKED
    assert record.status_reason == "QĐ 45/QĐ-CCTT thu hồi"
    page = staff.get("/backoffice/codes?status=revoked").text
    assert "VN-TH-BLV-001" in page and "QĐ 45/QĐ-CCTT thu hồi" in page


def test_staff_reinstate_a_packing_house(staff, house):
    house.status = CodeStatus.SUSPENDED
    db.session.commit()
    url = f"/backoffice/codes/packing-houses/{house.id}/status"
    assert staff.post(url, data={"status": "active", "reason": "Đã khắc phục"}).status_code == 303
    assert fresh(PackingHouse, house.id).status == CodeStatus.ACTIVE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "revoked", "reason": ""}, "Give the reason"),
        ({"status": "revoked", "reason": "   "}, "Give the reason"),
        ({"status": "revoked"}, "Give the reason"),
        ({"status": "deleted", "reason": "x"}, "Not a valid choice."),
        ({"status": "revoked", "reason": "x" * 501}, "Field cannot be longer than 500 characters."),
    ],
)
def test_a_decision_needs_a_valid_status_and_a_reason(staff, area, data, message):
    response = staff.post(f"/backoffice/codes/areas/{area.id}/status", data=data)
    assert response.status_code == 400
    assert message in response.text
    record = fresh(GrowingArea, area.id)
    assert (record.status, record.status_reason) == (CodeStatus.ACTIVE, "")


@pytest.mark.parametrize(
    "path",
    [
        "/backoffice/codes/areas/999999/status",
        "/backoffice/codes/areas/99999999999999999999/status",
        "/backoffice/codes/farms/1/status",
    ],
)
def test_unknown_codes_are_not_found(staff, path):
    assert staff.post(path, data={"status": "revoked", "reason": "x"}).status_code == 404


def test_the_filter_shows_one_state(staff, make_growing_area, farmer, today):
    producer = farmer.producer
    make_growing_area(producer=producer, code="A-ACTIVE")
    make_growing_area(producer=producer, code="B-SUSPENDED", status=CodeStatus.SUSPENDED)
    make_growing_area(producer=producer, code="C-REVOKED", status=CodeStatus.REVOKED)
    make_growing_area(producer=producer, code="D-EXPIRED", expires_on=today - timedelta(days=1))
    expected = {
        "active": "A-ACTIVE",
        "suspended": "B-SUSPENDED",
        "revoked": "C-REVOKED",
        "expired": "D-EXPIRED",
    }
    for state, code in expected.items():
        page = staff.get(f"/backoffice/codes?status={state}").text
        shown = {c for c in expected.values() if c in page}
        assert shown == {code}, state
    assert {c for c in expected.values() if c in staff.get("/backoffice/codes").text} == set(
        expected.values()
    )
    assert staff.get("/backoffice/codes?status=%00").status_code == 200


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
def test_producers_and_consumers_cannot_change_a_status(
    client, login, make_user, farmer, area, role
):
    login(farmer if role == Role.PRODUCER else make_user(role=role))
    assert client.get("/backoffice/codes").status_code == 403
    url = f"/backoffice/codes/areas/{area.id}/status"
    assert client.post(url, data={"status": "revoked", "reason": "x"}).status_code == 403
    assert fresh(GrowingArea, area.id).status == CodeStatus.ACTIVE


def test_an_anonymous_visitor_is_sent_to_log_in(client, area):
    response = client.post(
        f"/backoffice/codes/areas/{area.id}/status", data={"status": "revoked", "reason": "x"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert fresh(GrowingArea, area.id).status == CodeStatus.ACTIVE


def test_a_producer_cannot_reactivate_by_editing_the_area(farm, area):
    area.status, area.status_reason = CodeStatus.REVOKED, "Thu hồi"
    db.session.commit()
    data = {
        "code": area.code,
        "name": area.name,
        "crop": area.crop,
        "province": "Thanh Hóa",
        "status": "active",
        "status_reason": "",
        "status_changed_at": "",
    }
    response = farm.post(f"/trace/areas/{area.id}/edit", data=data)
    assert response.status_code == 302
    record = fresh(GrowingArea, area.id)
    assert (record.status, record.status_reason) == (CodeStatus.REVOKED, "Thu hồi")


@pytest.fixture
def farm_after(client):
    """The same client (staff) — kept for readability of the suspend/revoke story."""
    return client


def test_a_suspended_area_stops_new_batches_right_away(staff, login, farmer, area, batch_data):
    staff.post(
        f"/backoffice/codes/areas/{area.id}/status",
        data={"status": "suspended", "reason": "Kiểm tra"},
    )
    login(farmer)
    response = staff.post("/trace/batches/new", data=batch_data())
    assert response.status_code == 400
    assert "is suspended by the authority" in response.text
    db.session.expire_all()
    assert db.session.scalars(select(Batch)).all() == []


def test_a_reason_with_nul_characters_is_stored_clean(staff, area):
    url = f"/backoffice/codes/areas/{area.id}/status"
    data = {"status": "suspended", "reason": "Kiểm\x00 tra"}
    assert staff.post(url, data=data).status_code == 303
    assert fresh(GrowingArea, area.id).status_reason == "Kiểm tra"
