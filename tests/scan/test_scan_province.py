"""Only if the consumer chooses, they tell their province — for their own scan, nobody else's."""

import re

import pytest
from flask import g
from sqlalchemy import select

from shop.extensions import db
from shop.places.directory import provinces as all_provinces
from shop.scan.models import Scan


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def scan_page(client, batch):
    response = client.get(f"/01/{batch.product.gtin}/10/{batch.lot}")
    assert response.status_code == 200
    action = re.search(r'action="(/scans/(\d+)/province)"', response.text)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text)
    return action.group(1), int(action.group(2)), token.group(1)


def provinces() -> list:
    db.session.expire_all()
    return db.session.scalars(select(Scan.province).order_by(Scan.id)).all()


def test_the_34_provinces_after_the_2025_merger(client, make_batch):
    names = {p.name for p in all_provinces()}
    assert len(names) == 34
    assert {"Thanh Hóa", "Thành phố Hà Nội", "Thành phố Hồ Chí Minh", "Thành phố Huế"} <= names
    assert not {"Hà Giang", "Bình Dương", "Quảng Nam", "Hà Nam"} & names  # merged
    batch = make_batch()
    html = client.get(f"/01/{batch.product.gtin}/10/{batch.lot}").text
    select = re.search(r'<select[^>]*name="province".*?</select>', html, re.S).group(0)
    assert len(re.findall(r'<option [^>]*value="\d+"', select)) == 34
    assert '<option value="38">Thanh Hóa</option>' in select


def test_the_province_is_stored_with_its_official_code(client, make_batch):
    action, scan_id, token = scan_page(client, make_batch())
    client.post(action, data={"province": "1", "csrf_token": token})
    scan = db.session.get(Scan, scan_id)
    assert (scan.province, scan.province_code) == ("Thành phố Hà Nội", 1)


def test_no_province_unless_the_consumer_tells_it(client, make_batch):
    batch = make_batch()

    html = client.get(f"/01/{batch.product.gtin}/10/{batch.lot}").text

    assert provinces() == [None]
    assert "Tell us your province (optional)" in html
    assert "<details>" in html  # folded away until asked for


def test_the_consumer_tells_the_province_of_their_own_scan(client, make_batch):
    batch = make_batch()
    action, _, token = scan_page(client, batch)

    response = client.post(action, data={"province": "38", "csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"] == "/scans/thanks"
    assert provinces() == ["Thanh Hóa"]
    thanks = client.get("/scans/thanks")
    assert thanks.status_code == 200 and "Nothing else about you was stored" in thanks.text
    assert provinces() == ["Thanh Hóa"], "the thank-you page is not another scan"
    again = client.post(action, data={"province": "Hà Nội", "csrf_token": token})
    assert again.status_code == 404, "one answer per scan"
    assert provinces() == ["Thanh Hóa"]


def test_nobody_can_set_the_province_of_someone_elses_scan(app, client, make_batch):
    batch = make_batch()
    action, _, _ = scan_page(client, batch)
    stranger = app.test_client()
    g.pop("csrf_token", None)  # the test's app context outlives requests; a browser's does not
    _, _, stranger_token = scan_page(stranger, batch)  # a scan of their own, for a token

    response = stranger.post(action, data={"province": "Hà Nội", "csrf_token": stranger_token})

    assert response.status_code == 404
    assert provinces() == [None, None]


def test_without_the_csrf_token_nothing_is_stored(client, make_batch):
    batch = make_batch()
    action, _, _ = scan_page(client, batch)

    response = client.post(action, data={"province": "Hà Nội"})

    assert response.status_code == 400
    assert provinces() == [None]


@pytest.mark.both_databases
@pytest.mark.parametrize("province", ["", "Atlantis", "Hà Giang", "Thanh Hóa\x00", "x" * 500])
def test_only_a_province_from_the_list_is_stored(client, make_batch, province):
    batch = make_batch()
    action, _, token = scan_page(client, batch)

    response = client.post(action, data={"province": province, "csrf_token": token})

    assert response.status_code == 400
    assert "Please choose" in response.text or "Choose one of Vietnam" in response.text
    assert 'id="province" name="province"' in response.text
    assert provinces() == [None]


@pytest.mark.both_databases
@pytest.mark.parametrize("scan_id", ["999", "0", "99999999999999999999", "abc"])
def test_unknown_scan_ids_are_a_404(client, make_batch, scan_id):
    _, _, token = scan_page(client, make_batch())

    response = client.post(
        f"/scans/{scan_id}/province", data={"province": "Huế", "csrf_token": token}
    )

    assert response.status_code == 404
