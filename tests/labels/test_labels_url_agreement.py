"""The URL printed on a label is exactly the address the scan pages answer (url_for on the
scan blueprint, on the public origin), so a printed label always lands on its page."""

import pytest
from flask import url_for

from shop.labels import qr


@pytest.fixture
def app_overrides():
    return {
        "SHOP_BASE_URL": "https://ocop.example.vn/",
        "SERVER_NAME": "ocop.example.vn",
        "PREFERRED_URL_SCHEME": "https",
    }


@pytest.mark.parametrize("lot", ["L2026-09A", "LÔ-01", "A!$&'()*+,;=@:B", "lot 7"])
def test_batch_and_unit_urls_agree_with_the_scan_routes(app, lot):
    gtin = "08931234567897"
    with app.app_context():
        assert qr.batch_url("8931234567897", lot) == url_for(
            "scan.batch", gtin=gtin, lot=lot, _external=True
        )
        assert qr.batch_url(gtin, lot, serial="7KQ2M9XW3D") == url_for(
            "scan.unit", gtin=gtin, lot=lot, serial="7KQ2M9XW3D", _external=True
        )


def test_a_label_url_is_answered_by_the_scan_page(client, batch):
    with client.application.app_context():
        url = qr.batch_url(batch.product.gtin, batch.lot)
    assert url.startswith("https://ocop.example.vn/01/")
    assert client.get(url).status_code == 200
