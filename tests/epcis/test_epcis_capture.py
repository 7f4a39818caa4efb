"""A partner records its step: POST /epcis/capture, EPCIS 2.0 REST binding, JSON-LD."""

import copy
import json

import pytest
from sqlalchemy import func, select

from shop.epcis import capture as capture_module
from shop.epcis.capture import CaptureRefused, event_time, lot_of, short, zone_for
from shop.epcis.schema import schema_errors
from shop.extensions import db
from shop.partners.models import CapturedEvent
from shop.partners.partners import revoke_partner
from shop.trace.events import verify_chain
from shop.trace.models import Batch, BatchEvent, EventType
from tests.partners.conftest import PARTNER, epcis_document, shipping_event

pytestmark = pytest.mark.both_databases  # the chain's lock, unique event ids, JSON columns

LD = "application/ld+json"


def post(client, key, document, content_type=LD):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = document if isinstance(document, str | bytes) else json.dumps(document)
    return client.post("/epcis/capture", data=body, content_type=content_type, headers=headers)


def chain(batch_id: int) -> list[BatchEvent]:
    db.session.expire_all()
    return list(db.session.get(Batch, batch_id).events)


def captured_count() -> int:
    return db.session.scalar(select(func.count(CapturedEvent.id)))


def test_an_accepted_event_joins_the_chain_marked_with_the_partner(client, lot, partner_key):
    _partner, key = partner_key
    response = post(client, key, epcis_document(shipping_event(lot)))
    assert response.status_code == 202
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"
    job = client.get(response.headers["Location"], headers={"Authorization": f"Bearer {key}"})
    assert job.status_code == 200 and job.get_json()["success"] is True
    events = chain(lot.id)
    assert len(events) == 3 and verify_chain(events).intact
    step = events[-1]
    assert step.type == EventType.PARTNER_STEP and step.actor == PARTNER
    assert step.details["partner"] == PARTNER and step.details["step"] == "shipping"
    assert step.details["epcis"]["eventID"] == shipping_event(lot)["eventID"]
    assert step.timezone == "Asia/Ho_Chi_Minh"
    assert step.place == "https://dongson.example.vn/kho/1"


def test_the_step_shows_on_the_scan_timeline_and_in_the_export(client, lot, partner_key):
    post(client, partner_key[1], epcis_document(shipping_event(lot)))
    page = client.get(f"/01/{lot.product.gtin}/10/{lot.lot}").text
    assert "Step recorded by a partner" in page and PARTNER in page
    assert "30/11/2026 08:15" in page  # the partner's own local time
    assert "In transit" in page and "in_transit" not in page  # CBV codes in plain words
    exported = client.get(f"/01/{lot.product.gtin}/10/{lot.lot}", headers={"Accept": LD})
    last = json.loads(exported.data)["epcisBody"]["eventList"][-1]
    assert last["eventID"] == shipping_event(lot)["eventID"]  # their id stays theirs
    assert last["ocop:partner"] == PARTNER and last["bizStep"] == "shipping"
    assert schema_errors(json.loads(exported.data)) == []  # the export stays valid EPCIS
    api = client.get(f"/api/v1/batches/{lot.product.gtin}/{lot.lot}").get_json()
    assert api["events"][-1]["type"] == "partner_step" and api["events"][-1]["actor"] == PARTNER


def test_a_replayed_document_changes_nothing(client, lot, partner_key):
    document = epcis_document(shipping_event(lot))
    first = post(client, partner_key[1], document)
    again = post(client, partner_key[1], document)
    assert again.status_code == 202
    assert again.headers["Location"] == first.headers["Location"]
    assert len(chain(lot.id)) == 3 and captured_count() == 1


def test_a_document_with_one_new_event_adds_only_that_one(client, lot, partner_key):
    post(client, partner_key[1], epcis_document(shipping_event(lot)))
    newer = shipping_event(
        lot, event_id="urn:uuid:6e1e1b5a-3d3a-4b4e-9b0a-6c5f7c3a1d02", bizStep="receiving"
    )
    assert (
        post(client, partner_key[1], epcis_document(shipping_event(lot), newer)).status_code == 202
    )
    events = chain(lot.id)
    assert [e.details.get("step") for e in events[2:]] == ["shipping", "receiving"]


def test_invalid_documents_get_400_with_the_schema_errors(client, lot, partner_key):
    broken = epcis_document(shipping_event(lot, eventTime="yesterday", action="LOOK"))
    del broken["schemaVersion"]
    response = post(client, partner_key[1], broken)
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    errors = response.get_json()["errors"]
    assert errors and all(set(e) == {"pointer", "message"} for e in errors)
    pointers = {e["pointer"] for e in errors}
    assert "" in pointers or any("schemaVersion" in e["message"] for e in errors)
    assert any(p.startswith("/epcisBody/eventList/0") for p in pointers)
    assert len(chain(lot.id)) == 2


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda e: e.pop("eventID"), "/epcisBody/eventList/0/eventID"),
        (lambda e: e.update(quantityList=[]), "/epcisBody/eventList/0"),
        (lambda e: e.update(eventTime="2099-01-01T00:00:00Z"), "/epcisBody/eventList/0/eventTime"),
    ],
    ids=["no-event-id", "no-lot", "future"],
)
def test_events_this_interface_cannot_take_are_refused_whole(
    client, lot, partner_key, change, pointer
):
    good, bad = shipping_event(lot), shipping_event(lot, event_id="urn:uuid:second")
    change(bad)
    response = post(client, partner_key[1], epcis_document(good, bad))
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == pointer.replace("/0", "/1")
    assert len(chain(lot.id)) == 2 and captured_count() == 0


def test_only_granted_batches(client, make_batch, lot, partner_key):
    other = make_batch(lot="OTHER-1")
    response = post(
        client,
        partner_key[1],
        epcis_document(shipping_event(lot), shipping_event(other, event_id="urn:uuid:x")),
    )
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"
    assert len(chain(lot.id)) == 2 and len(chain(other.id)) == 0
    unknown = copy.deepcopy(shipping_event(lot))
    unknown["quantityList"][0]["epcClass"] = f"https://id.gs1.org/01/{lot.product.gtin}/10/NOPE"
    assert post(client, partner_key[1], epcis_document(unknown)).status_code == 403


def test_an_lgtin_urn_names_the_lot_too(client, lot, partner_key):
    gtin = lot.product.gtin  # 0893…: indicator 0, company prefix 893xxxx, item reference
    urn = f"urn:epc:class:lgtin:{gtin[1:8]}.{gtin[0]}{gtin[8:13]}.{lot.lot}"
    event = shipping_event(lot, quantityList=[{"epcClass": urn, "quantity": 20, "uom": "KGM"}])
    assert post(client, partner_key[1], epcis_document(event)).status_code == 202
    assert chain(lot.id)[-1].type == EventType.PARTNER_STEP


def test_no_key_a_wrong_key_or_a_revoked_key_is_401(app, client, lot, partner_key):
    partner, key = partner_key
    document = epcis_document(shipping_event(lot))
    for wrong in (None, "ocop_not-a-key", key + "x", "Basic abc"):
        response = post(client, wrong, document)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    with app.test_request_context():
        revoke_partner(db.session.get(type(partner), partner.id), None)
        db.session.commit()
    assert post(client, key, document).status_code == 401
    assert len(chain(lot.id)) == 2


def test_not_json_or_the_wrong_media_type(client, lot, partner_key):
    key = partner_key[1]
    assert post(client, key, "{not json").status_code == 400
    assert post(client, key, json.dumps(epcis_document()), "text/plain").status_code == 415
    single = shipping_event(lot)
    single["@context"] = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
    assert post(client, key, single).status_code == 400  # an event, not a document
    job = client.get("/epcis/capture/nope", headers={"Authorization": f"Bearer {key}"})
    assert job.status_code == 404 and job.content_type == "application/problem+json"


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"RATELIMIT_ENABLED": True, "EPCIS_CAPTURE_RATE_LIMIT": "2 per minute"}

    def test_a_partner_is_rate_limited(self, client, lot, partner_key):
        document = epcis_document(shipping_event(lot))
        assert [post(client, partner_key[1], document).status_code for _ in range(3)] == [
            202,
            202,
            429,
        ]


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("https://id.gs1.org/01/08930000000019/10/A%2F1", ("08930000000019", "A/1")),
        ("https://shop.example.vn/01/8930000000019/10/L1/21/S9", ("08930000000019", "L1")),
        ("urn:epc:class:lgtin:8930000.000001.L1", ("08930000000019", "L1")),
        ("urn:epc:class:lgtin:893.01.L1", None),  # not 13 digits with its indicator
        ("https://id.gs1.org/01/08930000000018/10/L1", None),  # a wrong check digit
        ("urn:epc:id:sgtin:8930000.000001.S9", None),  # a unit, no lot
        (42, None),
    ],
)
def test_which_identifiers_name_a_lot(identifier, expected):
    assert lot_of(identifier) == expected


def test_terms_and_offsets():
    assert short("https://ref.gs1.org/cbv/BizStep-receiving") == "receiving"
    assert short("urn:epcglobal:cbv:disp:in_transit") == "in_transit"
    assert short(None) == ""
    assert zone_for("+07:00") == "Asia/Ho_Chi_Minh"
    assert zone_for("+09:00") == "Etc/GMT-9" and zone_for("-05:00") == "Etc/GMT+5"
    assert zone_for("+00:00") == "UTC" and zone_for("+05:30") == "UTC"


def test_an_event_time_without_an_offset_is_refused():
    with pytest.raises(CaptureRefused) as refused:
        event_time({"eventTime": "2026-11-30T08:15:00"}, 3)
    assert refused.value.errors[0]["pointer"] == "/epcisBody/eventList/3/eventTime"
    with pytest.raises(CaptureRefused):
        event_time({}, 0)


def test_too_many_events_is_413(client, lot, partner_key, monkeypatch):
    monkeypatch.setattr(capture_module, "MAX_EVENTS", 1)
    second = shipping_event(lot, event_id="urn:uuid:two")
    response = post(client, partner_key[1], epcis_document(shipping_event(lot), second))
    assert response.status_code == 413 and len(chain(lot.id)) == 2
