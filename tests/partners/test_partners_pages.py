"""Staff create a partner (its key shown once, stored hashed), grant it batches, revoke it."""

import re

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.partners.models import Partner, PartnerGrant, hash_key
from shop.partners.partners import partner_with_key

KEY = re.compile(r'value="(ocop_[A-Za-z0-9_-]{43})"')


def create(client, name="Vận tải Hàm Rồng", contact="0912 000 111"):
    return client.post("/partners/", data={"name": name, "contact": contact})


def test_the_key_is_shown_once_and_stored_hashed(client, login, staff):
    login(staff)
    response = create(client)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    key = KEY.search(response.text).group(1)
    partner = db.session.scalar(select(Partner))
    assert partner.key_hash == hash_key(key) and key not in partner.key_hash
    assert partner.key_hint == key[:9]
    assert partner_with_key(key).id == partner.id
    listing = client.get("/partners/").text
    assert key not in listing and f"{key[:9]}…" in listing
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "partner.create"))
    assert entry.actor_id == staff.id


def test_a_name_is_needed_and_unique(client, login, staff):
    login(staff)
    assert create(client, name="  ").status_code == 400
    create(client)
    again = create(client)
    assert again.status_code == 400 and "A partner already has this name." in again.text
    assert not KEY.search(again.text)


def test_grant_and_remove_a_batch(client, login, staff, lot):
    login(staff)
    create(client)
    partner = db.session.scalar(select(Partner))
    url = f"/partners/{partner.id}/grants"
    assert client.post(url, data={"gtin": lot.product.gtin, "lot": "NOPE"}).status_code == 400
    assert client.post(url, data={"gtin": "", "lot": ""}).status_code == 400
    assert client.post(url, data={"gtin": lot.product.gtin, "lot": lot.lot}).status_code == 303
    assert client.post(url, data={"gtin": lot.product.gtin, "lot": lot.lot}).status_code == 303
    grants = db.session.scalars(select(PartnerGrant)).all()
    assert [g.batch_id for g in grants] == [lot.id]  # granted once
    assert f"lot {lot.lot}" in client.get("/partners/").text
    delete = f"/partners/{partner.id}/grants/{grants[0].id}/delete"
    assert client.post(delete).status_code == 303
    assert db.session.scalars(select(PartnerGrant)).all() == []
    assert client.post(delete).status_code == 404


def test_revoke_stops_the_key(client, login, staff):
    login(staff)
    key = KEY.search(create(client).text).group(1)
    partner = db.session.scalar(select(Partner))
    assert client.post(f"/partners/{partner.id}/revoke").status_code == 303
    assert client.post(f"/partners/{partner.id}/revoke").status_code == 303  # twice is once
    assert partner_with_key(key) is None
    assert "Revoked" in client.get("/partners/").text
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("partner.revoke") == 1


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
def test_only_staff(client, login, make_user, role):
    assert client.get("/partners/").status_code == 302
    login(make_user(role=role))
    assert client.get("/partners/").status_code == 403
    assert create(client).status_code == 403


def test_the_page_speaks_vietnamese(vi_client, staff):
    with vi_client.session_transaction() as session:
        session["_user_id"] = str(staff.id)
    page = vi_client.get("/partners/").text
    assert "Đối tác" in page and "Tạo đối tác và khoá" in page


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_forms_need_the_token(self, client, login, staff):
        login(staff)
        assert create(client).status_code == 400
        token = re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/partners/").text
        )
        ok = client.post("/partners/", data={"name": "Kho A", "csrf_token": token.group(1)})
        assert ok.status_code == 201
        partner = db.session.scalar(select(Partner))
        assert client.post(f"/partners/{partner.id}/revoke").status_code == 400
        assert partner_with_key(KEY.search(ok.text).group(1)) is not None
