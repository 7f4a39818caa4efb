"""A partner app reads a batch's origin through GET /api/v1/batches/<gtin>/<lot>."""

from datetime import UTC, date, datetime, timedelta

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import text

from shop.api.openapi import openapi_document
from shop.extensions import db
from shop.trace.events import record_event
from shop.trace.models import CodeStatus, EventType, GapScheme
from tests.conftest import NOON

pytestmark = pytest.mark.both_databases  # event times and their zones, a constant query count

BASE = "https://shop.example.vn"


@pytest.fixture
def app_overrides():
    return {"SHOP_BASE_URL": BASE + "/"}


def openapi_validator(schema_name: str) -> Draft202012Validator:
    """Validate against the served OpenAPI document's own schema (JSON Schema 2020-12)."""
    document = openapi_document(BASE)
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))
    schema = {"$ref": f"urn:openapi#/components/schemas/{schema_name}"}
    return Draft202012Validator(schema, registry=registry)


def label_url(app, endpoint: str, filename: str, gtin: str, lot: str) -> str:
    """What the API must answer: the labels blueprint's URL, or its fixed path until it exists."""
    if endpoint in app.view_functions:
        from flask import url_for

        with app.test_request_context():
            return BASE + url_for(endpoint, gtin=gtin, lot=lot)
    return f"{BASE}/labels/{gtin}/{lot}/{filename}"


def test_the_batch_shape_is_the_one_in_the_spec(
    app, client, make_producer, make_product, make_growing_area, make_packing_house, make_batch
):
    producer = make_producer(name="HTX Bưởi", district="Thọ Xuân")
    product = make_product(producer=producer, name="Bưởi Luận Văn", stars=4)
    area = make_growing_area(
        producer=producer,
        code="VN-TH-0042",
        name="Vùng bưởi",
        crop="Bưởi",
        area_m2=125_000,
        households=18,
        gap_scheme=GapScheme.VIETGAP,
    )
    house = make_packing_house(producer=producer, code="PH-07")
    batch = make_batch(
        product=product,
        lot="LV2609A",
        growing_area=area,
        packing_house=house,
        harvest_date=date(2026, 9, 1),
        packing_date=date(2026, 9, 3),
        best_before=date(2027, 9, 3),
        quantity=500,
        quantity_unit="kg",
    )
    planted = record_event(
        batch,
        EventType.PLANTING,
        datetime(2026, 3, 1, 1, 30, tzinfo=UTC),
        place="Xã Xuân Minh",
        actor="Chị Lan",
        notes="Trồng",
        details={"variety": "Luận Văn"},
    )
    record_event(
        batch,
        EventType.PLANTING,
        datetime(2026, 3, 2, 1, 30, tzinfo=UTC),
        notes="Sửa ngày",
        corrects=planted,
    )
    db.session.commit()

    response = client.get(f"/api/v1/batches/{product.gtin}/LV2609A")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body == {
        "gtin": product.gtin,
        "lot": "LV2609A",
        "product": {
            "id": product.id,
            "slug": product.slug,
            "name": "Bưởi Luận Văn",
            "price_vnd": 100_000,
            "stock": 10,
            "ocop_stars": 4,
            "gtin": product.gtin,
            "producer": {
                "name": "HTX Bưởi",
                "commune": "Xã Quảng Ninh",
                "commune_code": 16540,
                "province": "Thanh Hóa",
                "province_code": 38,
                "district": "Thọ Xuân",
            },
        },
        "harvest_date": "2026-09-01",
        "packing_date": "2026-09-03",
        "best_before": "2027-09-03",
        "quantity": 500,
        "quantity_unit": "kg",
        "url": f"{BASE}/01/{product.gtin}/10/LV2609A",
        "growing_area": {
            "code": "VN-TH-0042",
            "status": "active",
            "name": "Vùng bưởi",
            "crop": "Bưởi",
            "area_hectares": 12.5,
            "households": 18,
            "location": "Xã Xuân Lập, Thanh Hóa",
            "commune": "Xã Xuân Lập",
            "commune_code": 15592,
            "province": "Thanh Hóa",
            "province_code": 38,
            "district": "Thọ Xuân",
            "gap_scheme": "vietgap",
        },
        "packing_house": {"code": "PH-07", "status": "active"},
        "events": [
            {
                "seq": 1,
                "type": "planting",
                "occurred_at": "2026-03-01T08:30:00+07:00",
                "place": "Xã Xuân Minh",
                "actor": "Chị Lan",
                "notes": "Trồng",
                "details": {"variety": "Luận Văn"},
                "corrects": None,
                "altered": False,
            },
            {
                "seq": 2,
                "type": "planting",
                "occurred_at": "2026-03-02T08:30:00+07:00",
                "place": "",
                "actor": "",
                "notes": "Sửa ngày",
                "details": {},
                "corrects": 1,
                "altered": False,
            },
        ],
        "chain_intact": True,
        "recall": None,
        "label_png_url": label_url(app, "labels.qr_png", "qr.png", product.gtin, "LV2609A"),
        "label_pdf_url": label_url(app, "labels.sheet_pdf", "sheet.pdf", product.gtin, "LV2609A"),
    }
    assert not list(openapi_validator("Batch").iter_errors(body))


def test_events_are_oldest_first_and_altered_ones_flagged(client, make_batch):
    batch = make_batch(events=0)
    record_event(batch, EventType.HARVEST, datetime(2026, 6, 1, tzinfo=UTC))
    record_event(batch, EventType.PLANTING, datetime(2026, 2, 1, tzinfo=UTC))
    db.session.commit()
    db.session.execute(
        text("UPDATE batch_events SET place = 'Nơi khác' WHERE batch_id = :b AND seq = 1"),
        {"b": batch.id},
    )
    db.session.commit()

    body = client.get(f"/api/v1/batches/{batch.product.gtin}/{batch.lot}").get_json()

    assert [(e["seq"], e["type"], e["altered"]) for e in body["events"]] == [
        (2, "planting", False),
        (1, "harvest", True),
    ]
    assert body["chain_intact"] is False


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"status": CodeStatus.REVOKED}, "revoked"),
        ({"status": CodeStatus.SUSPENDED}, "suspended"),
        ({"expires_on": NOON.date() - timedelta(days=1)}, "expired"),
    ],
)
def test_a_code_that_is_not_valid_never_says_active(
    client, clock, make_growing_area, make_packing_house, make_batch, changes, status
):
    batch = make_batch(
        growing_area=make_growing_area(**changes), packing_house=make_packing_house(**changes)
    )

    body = client.get(f"/api/v1/batches/{batch.product.gtin}/{batch.lot}").get_json()

    assert body["growing_area"]["status"] == status
    assert body["packing_house"]["status"] == status


def test_no_area_or_house_is_null(client, make_batch):
    batch = make_batch(growing_area=None, harvest_date=None)

    body = client.get(f"/api/v1/batches/{batch.product.gtin}/{batch.lot}").get_json()

    assert body["growing_area"] is None
    assert body["packing_house"] is None
    assert body["harvest_date"] is None
    assert not list(openapi_validator("Batch").iter_errors(body))


@pytest.mark.parametrize(
    ("gtin14", "short"),
    [
        ("08931234567897", "8931234567897"),
        ("00036000291452", "036000291452"),
        ("00000096385074", "96385074"),
    ],
)
def test_short_gtins_are_accepted(client, make_product, make_batch, gtin14, short):
    batch = make_batch(product=make_product(gtin=gtin14), lot="A1")

    response = client.get(f"/api/v1/batches/{short}/A1")

    assert response.status_code == 200
    assert response.get_json()["gtin"] == gtin14
    assert response.get_json()["url"] == f"{BASE}/01/{gtin14}/10/A1"
    assert batch.lot == "A1"


@pytest.mark.parametrize(
    "path",
    [
        "08930000000019/L1",  # unknown GTIN
        "08931234567890/L1",  # bad check digit
        "abc/L1",
        "99999999999999999999/L1",
        "{gtin}/NOPE",  # unknown lot
        "{gtin}/" + "x" * 200,
        "{gtin}/A%00B",
        "{gtin}/A%2FB",
        "{gtin}/%F0%9F%8D%8A",
    ],
)
def test_unknown_or_malformed_is_a_404_problem(client, make_batch, path):
    batch = make_batch()

    response = client.get("/api/v1/batches/" + path.format(gtin=batch.product.gtin))

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_the_batch_query_count_is_constant(client, make_batch, count_queries):
    def count(path: str) -> int:
        db.session.close()
        with count_queries() as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few, many = make_batch(events=2), make_batch(events=12)
    paths = [f"/api/v1/batches/{b.product.gtin}/{b.lot}" for b in (few, many)]

    assert count(paths[0]) == count(paths[1]) <= 5


def test_openapi_describes_the_batch_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/batches/{gtin}/{lot}"]["get"]

    assert {p["name"] for p in operation["parameters"]} == {"gtin", "lot"}
    assert set(operation["responses"]) == {"200", "404"}
    batch = document["components"]["schemas"]["Batch"]
    assert (
        set(batch["required"])
        == set(batch["properties"])
        == {
            "gtin",
            "lot",
            "product",
            "harvest_date",
            "packing_date",
            "best_before",
            "quantity",
            "quantity_unit",
            "url",
            "growing_area",
            "packing_house",
            "events",
            "chain_intact",
            "recall",
            "label_png_url",
            "label_pdf_url",
        }
    )
