"""With CSRF protection on (as in production), origin records only change with the form's token."""

import re

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.extensions import db
from shop.trace.models import Batch, BatchEvent, CodeStatus, GrowingArea


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_batch_posted_without_the_token_is_refused(farm, batch_data, rows):
    response = farm.post("/trace/batches/new", data=batch_data())
    assert response.status_code == 400
    assert "Your form expired or was sent from elsewhere." in response.text
    assert rows(Batch) == 0

    data = batch_data(csrf_token=token(farm.get("/trace/batches/new").text))
    assert farm.post("/trace/batches/new", data=data).status_code == 302
    assert rows(Batch) == 1


def test_an_area_posted_without_the_token_is_refused(farm, rows):
    data = {"code": "VN-1", "name": "Vùng", "crop": "Lúa", "province": "Thanh Hóa"}
    assert farm.post("/trace/areas/new", data=data).status_code == 400
    assert rows(GrowingArea) == 0


def test_an_edit_without_the_token_changes_nothing(farm, area):
    data = {"code": area.code, "name": "Đã bị sửa", "crop": "x", "province": "Thanh Hóa"}
    assert farm.post(f"/trace/areas/{area.id}/edit", data=data).status_code == 400
    db.session.expire_all()
    assert db.session.get(GrowingArea, area.id).name != "Đã bị sửa"


def test_an_event_or_correction_without_the_token_is_refused(farm, make_batch, product, today):
    batch = make_batch(product=product, events=1)
    event = db.session.scalars(select(BatchEvent)).one()
    data = {"day": today.isoformat(), "time": "07:00", "what": "Hộp 2 quả"}
    assert farm.post(f"/trace/batches/{batch.id}/events/new/packing", data=data).status_code == 400
    url = f"/trace/batches/{batch.id}/events/{event.id}/correct"
    assert farm.post(url, data=data).status_code == 400
    assert db.session.scalar(select(db.func.count(BatchEvent.id))) == 1

    data["csrf_token"] = token(farm.get(f"/trace/batches/{batch.id}/events/new/packing").text)
    assert farm.post(f"/trace/batches/{batch.id}/events/new/packing", data=data).status_code == 302


def test_a_status_change_without_the_token_is_refused(client, login, make_user, area):
    login(make_user(role=Role.STAFF))
    url = f"/backoffice/codes/areas/{area.id}/status"
    response = client.post(url, data={"status": "revoked", "reason": "Quyết định 12/QĐ"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(GrowingArea, area.id).status == CodeStatus.ACTIVE
