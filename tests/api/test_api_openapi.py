"""Integrators read /api/v1/openapi.json; it must describe the API that is really there."""

import pytest

from shop.api.openapi import openapi_document

ITEM_FIELDS = {"id", "slug", "name", "price_vnd", "stock", "ocop_stars", "gtin", "producer"}


@pytest.fixture
def app_overrides():
    return {"SHOP_BASE_URL": "https://shop.example.vn"}


def resolve(document: dict, node: dict) -> dict:
    """Follow a local $ref, failing loudly on one that points nowhere."""
    while "$ref" in node:
        prefix = "#/components/schemas/"
        assert node["$ref"].startswith(prefix), node["$ref"]
        node = document["components"]["schemas"][node["$ref"][len(prefix) :]]
    return node


def all_refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def test_openapi_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["servers"] == [{"url": "https://shop.example.vn/api/v1"}]


def test_it_describes_the_product_endpoints(client):
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]

    assert {"/products", "/products/{id}", "/batches/{gtin}/{lot}", "/openapi.json"} <= set(paths)
    listing = paths["/products"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "q",
        "group",
        "stars",
        "province",
        "commune",
        "district",
        "price_min",
        "price_max",
        "sort",
        "page",
    }
    assert set(listing["responses"]) == {"200", "422"}
    assert "application/problem+json" in listing["responses"]["422"]["content"]
    assert set(paths["/products/{id}"]["get"]["responses"]) == {"200", "404"}


def test_the_product_item_schema_lists_the_spec_fields(client):
    document = client.get("/api/v1/openapi.json").get_json()
    listing = document["paths"]["/products"]["get"]["responses"]["200"]["content"]
    page = resolve(document, listing["application/json"]["schema"])
    item = resolve(document, page["properties"]["items"]["items"])

    assert {"items", "total", "page", "pages", "page_size"} <= set(page["required"])
    assert set(item["properties"]) == ITEM_FIELDS
    assert set(item["required"]) == ITEM_FIELDS
    producer = item["properties"]["producer"]["required"]
    assert set(producer) == {"name", "commune", "commune_code", "province", "province_code"} | {
        "district"
    }
    district = next(
        p for p in document["paths"]["/products"]["get"]["parameters"] if p["name"] == "district"
    )
    assert district["deprecated"] is True


def test_every_reference_resolves_and_every_operation_is_unique():
    document = openapi_document("http://127.0.0.1:5000")
    schemas = document["components"]["schemas"]

    for ref in all_refs(document):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    operation_ids = [
        op["operationId"] for item in document["paths"].values() for op in item.values()
    ]
    assert len(operation_ids) == len(set(operation_ids))
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["responses"], operation["operationId"]
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"query", "path", "header"}
                assert "schema" in parameter


def test_the_described_enums_match_what_the_api_accepts(client, make_product):
    make_product()
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"]["/products"]["get"]["parameters"]}

    for name in ("group", "stars", "sort"):
        for value in parameters[name]["schema"]["enum"]:
            response = client.get("/api/v1/products", query_string={name: value})
            assert response.status_code == 200, (name, value)


def test_the_product_detail_schema_lists_its_batches(client):
    document = client.get("/api/v1/openapi.json").get_json()
    detail = document["components"]["schemas"]["ProductDetail"]["allOf"][1]

    assert "batches" in detail["required"]
    link = resolve(document, detail["properties"]["batches"]["items"])
    assert set(link["required"]) == set(link["properties"]) == {"lot", "url"}
