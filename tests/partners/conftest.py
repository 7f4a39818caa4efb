"""Partner fixtures: staff, a partner with its one-time key, a batch granted to it."""

import pytest

from shop.auth.models import Role
from shop.extensions import db
from shop.partners.partners import create_partner, grant_batch

PARTNER = "Kho lạnh Đông Sơn"


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


@pytest.fixture
def lot(make_batch):
    return make_batch(events=2, lot="BLV-2409")


@pytest.fixture
def partner_key(app, lot):
    """(partner, key): a partner created by the verb, granted the lot."""
    with app.test_request_context():
        partner, key = create_partner(PARTNER, "kho@dongson.vn", None)
        grant_batch(partner, lot, None)
        db.session.commit()
    return partner, key


def epcis_document(*events: dict) -> dict:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-12-01T03:00:00.000Z",
        "epcisBody": {"eventList": list(events)},
    }


def shipping_event(batch, event_id="urn:uuid:6e1e1b5a-3d3a-4b4e-9b0a-6c5f7c3a1d01", **over) -> dict:
    event = {
        "type": "ObjectEvent",
        "eventID": event_id,
        "eventTime": "2026-11-30T08:15:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": [],
        "quantityList": [
            {"epcClass": f"https://id.gs1.org/01/{batch.product.gtin}/10/{batch.lot}"}
        ],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": "https://dongson.example.vn/kho/1"},
    }
    event.update(over)
    return event
