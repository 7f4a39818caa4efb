"""A recalled lot says so everywhere it is read: scan pages, the JSON API, the EPCIS export."""

import json
from pathlib import Path

import pytest
from jsonschema import validators

from shop.api.openapi import openapi_document
from shop.extensions import db
from shop.recalls.recalls import recall_batch
from tests.api.test_api_batches import openapi_validator
from tests.scan.conftest import make_serial  # noqa: F401 - the scan fixture, reused here

pytestmark = pytest.mark.both_databases  # the recall time round-trips through each database

REASON = "Phát hiện dư lượng thuốc trừ sâu vượt ngưỡng"
ADVICE = "Không ăn. Liên hệ hợp tác xã để đổi hàng."
SCHEMA = Path(__file__).resolve().parents[1] / "data" / "epcis" / "EPCIS-JSON-Schema.json"


@pytest.fixture
def app_overrides():
    return {"SHOP_BASE_URL": "https://shop.example.vn"}


@pytest.fixture
def recalled(app, lot):
    with app.test_request_context():
        recall_batch(lot, REASON, ADVICE)
        db.session.commit()
    return lot


def test_the_batch_page_shows_the_notice_above_everything(client, recalled):
    page = client.get(f"/01/{recalled.product.gtin}/10/{recalled.lot}").text
    notice = page.index('class="recall-notice"')
    assert notice < page.index('class="verdict')
    assert "Recalled: do not use this product" in page
    assert REASON in page and ADVICE in page


def test_every_serial_of_the_lot_shows_it_too(client, recalled, make_serial):  # noqa: F811
    label = make_serial(recalled)
    page = client.get(f"/01/{recalled.product.gtin}/10/{recalled.lot}/21/{label.serial}").text
    assert page.index('class="recall-notice"') < page.index('class="verdict')
    assert ADVICE in page


def test_a_lot_not_recalled_has_no_notice_and_a_null_recall(client, lot):
    page = client.get(f"/01/{lot.product.gtin}/10/{lot.lot}").text
    assert "recall-notice" not in page
    document = client.get(f"/api/v1/batches/{lot.product.gtin}/{lot.lot}").get_json()
    assert document["recall"] is None
    assert not list(openapi_validator("Batch").iter_errors(document))


def test_the_api_carries_the_recall(client, recalled):
    document = client.get(f"/api/v1/batches/{recalled.product.gtin}/{recalled.lot}").get_json()
    recall = document["recall"]
    assert recall["reason"] == REASON and recall["advice"] == ADVICE
    assert recall["recalled_at"].endswith("+00:00")
    assert document["events"][-1]["type"] == "recall"
    assert not list(openapi_validator("Batch").iter_errors(document))
    assert "recall" in openapi_document("https://x")["components"]["schemas"]["Batch"]["required"]


def test_the_epcis_export_says_recalled_and_stays_valid(client, recalled):
    response = client.get(
        f"/01/{recalled.product.gtin}/10/{recalled.lot}", headers={"Accept": "application/ld+json"}
    )
    document = json.loads(response.data)
    schema = json.loads(SCHEMA.read_text())
    validator = validators.validator_for(schema)(schema)
    assert not list(validator.iter_errors(document))
    last = document["epcisBody"]["eventList"][-1]
    assert last["disposition"] == "recalled"
    assert last["ocop:eventType"] == "recall"
    assert last["ocop:details"] == {"reason": REASON, "advice": ADVICE}
    assert "readPoint" not in last


def test_a_recalled_lot_is_never_shown_in_the_reassuring_green(client, recalled, make_serial):  # noqa: F811
    page = client.get(f"/01/{recalled.product.gtin}/10/{recalled.lot}").text
    assert 'class="verdict verdict-warning"' in page and "verdict-genuine" not in page
    assert "Registered batch, but it is recalled" in page
    label = make_serial(recalled)
    unit = client.get(f"/01/{recalled.product.gtin}/10/{recalled.lot}/21/{label.serial}").text
    assert "Genuine label, but this lot is recalled" in unit and "verdict-genuine" not in unit
