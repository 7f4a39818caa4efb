"""A traceability system asks a label URL for application/ld+json and gets valid EPCIS 2.0."""

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from jsonschema import validators
from sqlalchemy import text

from shop.extensions import db
from shop.labels.models import LabelRun, LabelSerial
from shop.trace.events import record_event
from shop.trace.models import EventType
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.both_databases  # event times and their zones

BASE = "https://shop.example.vn"
DATA = Path(__file__).resolve().parent.parent / "data" / "epcis"
LD = {"Accept": "application/ld+json"}


@pytest.fixture
def app_overrides():
    return {"SHOP_BASE_URL": BASE}


@pytest.fixture(scope="module")
def epcis_validator():
    """GS1's official EPCIS 2.0 JSON Schema, read from tests/data (never from the network)."""
    schema = json.loads((DATA / "EPCIS-JSON-Schema.json").read_text())
    cls = validators.validator_for(schema)  # the draft the schema declares
    cls.check_schema(schema)
    checker = cls.FORMAT_CHECKER
    if not {"uri", "date-time"} <= set(checker.checkers):
        skip_or_fail("URI and date-time formats need rfc3986-validator and rfc3339-validator")
    return cls(schema, format_checker=checker)


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def full_batch(make_batch, make_packing_house):
    """A batch that went through every kind of step, with a photo, a lab report and a fix."""
    batch = make_batch(events=0, lot="LV-26.09_A", packing_house=make_packing_house(code="PH 07"))
    start = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
    steps = [
        (EventType.PLANTING, {}, []),
        (EventType.INPUT_APPLIED, {"input": "Phân hữu cơ", "dose": "2 kg/gốc", "phi_days": 7}, []),
        (EventType.HARVEST, {"quantity": "520 kg"}, ["h1.jpg"]),
        (EventType.PROCESSING, {"method": "Rửa"}, []),
        (EventType.PACKING, {}, []),
        (
            EventType.LAB_TEST,
            {"lab": "Trung tâm Kiểm nghiệm", "passed": True, "report": "kq.pdf"},
            ["kq.pdf"],
        ),
        (EventType.SHIPPING, {"destination": "Kho Hà Nội"}, []),
    ]
    events = [
        record_event(
            batch,
            kind,
            start + timedelta(days=20 * i),
            place="Thọ Xuân",
            actor="Chị Lan",
            notes="ghi chú",
            details=details,
            attachments=files,
        )
        for i, (kind, details, files) in enumerate(steps)
    ]
    record_event(
        batch,
        EventType.HARVEST,
        start + timedelta(days=41),
        corrects=events[2],
        notes="Sửa ngày thu hoạch",
    )
    db.session.commit()
    return batch


def epcis(client, batch, **kwargs) -> dict:
    response = client.get(f"/01/{batch.product.gtin}/10/{batch.lot}", headers=LD, **kwargs)
    assert response.status_code == 200
    assert response.content_type == "application/ld+json"
    return json.loads(response.data)


def by_step(document) -> dict:
    return {
        e["ocop:eventType"]: e
        for e in document["epcisBody"]["eventList"]
        if "ocop:corrects" not in e
    }


def test_the_document_validates_against_gs1s_schema(client, full_batch, epcis_validator):
    document = epcis(client, full_batch)

    assert_valid(epcis_validator, document)
    assert document["type"] == "EPCISDocument"
    assert document["schemaVersion"] == "2.0"
    assert document["@context"][0] == (
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    )
    assert len(document["epcisBody"]["eventList"]) == 8


def test_the_validation_is_not_vacuous(client, full_batch, epcis_validator):
    document = epcis(client, full_batch)
    broken = [copy.deepcopy(document) for _ in range(4)]
    del broken[0]["epcisBody"]["eventList"][0]["eventTimeZoneOffset"]
    broken[1]["epcisBody"]["eventList"][0]["bizStep"] = "urn:epcglobal:cbv:bizstep:harvesting"
    broken[2]["epcisBody"]["eventList"][0]["eventID"] = "not a uri"
    broken[3]["epcisBody"]["eventList"][0]["action"] = "HARVEST"

    for document in broken:
        assert list(epcis_validator.iter_errors(document))


def test_events_are_object_events_about_the_lot_in_vietnam_time(client, full_batch):
    events = epcis(client, full_batch)["epcisBody"]["eventList"]
    lot = f"https://id.gs1.org/01/{full_batch.product.gtin}/10/LV-26.09_A"

    assert all(e["type"] == "ObjectEvent" for e in events)
    assert all(e["eventTimeZoneOffset"] == "+07:00" for e in events)
    assert events[0]["eventTime"] == "2026-03-01T08:00:00.000+07:00"
    assert all(e["quantityList"][0]["epcClass"] == lot for e in events)
    times = [datetime.fromisoformat(e["eventTime"]) for e in events]
    assert times == sorted(times), "oldest first"


def test_business_steps_cbv_where_one_fits_and_our_own_otherwise(client, full_batch):
    steps = by_step(epcis(client, full_batch))

    assert steps["packing"]["bizStep"] == "commissioning"
    assert steps["packing"]["action"] == "ADD"
    assert steps["packing"]["quantityList"][0]["quantity"] == 500
    assert steps["packing"]["quantityList"][0]["uom"] == "KGM"
    assert steps["packing"]["ilmd"]["cbvmda:bestBeforeDate"] == "2027-09-03"
    assert steps["lab_test"]["bizStep"] == "inspecting"
    assert steps["lab_test"]["disposition"] == "conformant"
    assert steps["shipping"]["bizStep"] == "shipping"
    assert steps["harvest"]["bizStep"] == f"{BASE}/voc/bizstep/harvesting"
    assert steps["planting"]["bizStep"] == f"{BASE}/voc/bizstep/planting"
    assert steps["input_applied"]["bizStep"] == f"{BASE}/voc/bizstep/input_applied"
    assert steps["processing"]["bizStep"] == f"{BASE}/voc/bizstep/processing"
    assert all(e["action"] == "OBSERVE" for k, e in steps.items() if k != "packing")


def test_places_sources_and_destinations(client, full_batch):
    steps = by_step(epcis(client, full_batch))
    area = f"{BASE}/id/growing-area/{full_batch.growing_area.code}"
    house = f"{BASE}/id/packing-house/PH%2007"

    assert steps["harvest"]["readPoint"] == {"id": area}
    assert steps["harvest"]["bizLocation"] == {"id": area}
    assert steps["packing"]["bizLocation"] == {"id": house}
    shipping = steps["shipping"]
    assert shipping["readPoint"] == {"id": house}
    assert {"type": "location", "source": house} in shipping["sourceList"]
    assert {
        "type": "owning_party",
        "source": f"{BASE}/producers/{full_batch.product.producer.slug}",
    } in shipping["sourceList"]
    assert shipping["destinationList"] == [
        {"type": "location", "destination": f"{BASE}/id/place/Kho%20H%C3%A0%20N%E1%BB%99i"}
    ]
    assert steps["lab_test"]["certificationInfo"] == [f"{BASE}/media/kq.pdf"]
    assert steps["harvest"]["ocop:photos"] == [f"{BASE}/media/h1.jpg"]
    assert steps["input_applied"]["ocop:details"]["phi_days"] == 7


def test_a_correction_is_declared_on_the_event_it_corrects(client, full_batch):
    events = epcis(client, full_batch)["epcisBody"]["eventList"]
    fix = next(e for e in events if "ocop:corrects" in e)
    original = next(e for e in events if e["eventID"] == fix["ocop:corrects"])

    assert original["errorDeclaration"]["reason"] == "incorrect_data"
    assert original["errorDeclaration"]["correctiveEventIDs"] == [fix["eventID"]]
    assert "errorDeclaration" not in fix


def test_event_ids_are_stable_and_unique(client, full_batch):
    first = [e["eventID"] for e in epcis(client, full_batch)["epcisBody"]["eventList"]]
    again = [e["eventID"] for e in epcis(client, full_batch)["epcisBody"]["eventList"]]

    assert first == again
    assert len(set(first)) == len(first)
    assert all(i.startswith("urn:uuid:") for i in first)


def test_an_altered_record_is_flagged_in_the_export(client, full_batch, epcis_validator):
    db.session.execute(
        text("UPDATE batch_events SET actor = 'Ai đó' WHERE batch_id = :b AND seq = 3"),
        {"b": full_batch.id},
    )
    db.session.commit()
    db.session.expire_all()

    document = epcis(client, full_batch)

    assert_valid(epcis_validator, document)
    flagged = [
        e["ocop:sequence"]
        for e in document["epcisBody"]["eventList"]
        if e.get("ocop:recordAltered")
    ]
    assert flagged == [3]


def test_the_traceability_link_and_the_unit_url_give_the_same_events(
    client, make_batch, epcis_validator
):
    batch = make_batch(events=4)
    path = f"/01/{batch.product.gtin}/10/{batch.lot}"
    run = LabelRun(batch_id=batch.id, count=1, layout="a4")
    db.session.add(run)
    db.session.flush()
    db.session.add(LabelSerial(batch_id=batch.id, run_id=run.id, serial="U1"))
    db.session.commit()

    linked = client.get(f"{path}?linkType=gs1:traceability")
    unit = client.get(f"{path}/21/U1", headers=LD)

    assert linked.content_type == unit.content_type == "application/ld+json"
    for response in (linked, unit):
        document = json.loads(response.data)
        assert_valid(epcis_validator, document)
        assert len(document["epcisBody"]["eventList"]) == 4


def test_a_batch_without_events_is_an_empty_valid_document(client, make_batch, epcis_validator):
    batch = make_batch(events=0, growing_area=None)

    document = epcis(client, batch)

    assert_valid(epcis_validator, document)
    assert document["epcisBody"]["eventList"] == []
