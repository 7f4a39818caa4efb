"""Other systems read the same label URLs as a GS1 Digital Link resolver."""

import json

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.scan.models import Scan

BASE = "https://shop.example.vn"
GS1 = "https://ref.gs1.org/voc/"
CHROME_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)


@pytest.fixture
def app_overrides():
    return {"SHOP_BASE_URL": BASE + "/"}


def batch_path(batch) -> str:
    return f"/01/{batch.product.gtin}/10/{batch.lot}"


def scans() -> int:
    return db.session.scalar(select(func.count(Scan.id)))


def test_link_type_all_answers_the_rfc_9264_linkset(client, make_product, make_batch):
    product = make_product(slug="buoi-luan-van", stars=4)
    batch = make_batch(product=product, lot="LV1")
    anchor = f"{BASE}/01/{product.gtin}/10/LV1"

    response = client.get(f"{batch_path(batch)}?linkType=all")

    assert response.status_code == 200
    assert response.content_type == "application/linkset+json"
    assert "Accept" in response.headers["Vary"]
    context, product_level = json.loads(response.data)["linkset"]
    assert context["anchor"] == anchor
    assert product_level["anchor"] == f"{BASE}/01/{product.gtin}", "each level up to the GTIN"
    assert set(context) == {
        "anchor",
        GS1 + "defaultLink",
        GS1 + "pip",
        GS1 + "traceability",
        GS1 + "certificationInfo",
    }
    assert context[GS1 + "pip"][0]["href"] == f"{BASE}/products/buoi-luan-van"
    assert context[GS1 + "pip"][0]["type"] == "text/html"
    assert context[GS1 + "pip"][0]["hreflang"] == ["vi", "en"]
    tracing = {link["type"]: link["href"] for link in context[GS1 + "traceability"]}
    assert tracing == {
        "application/ld+json": f"{anchor}?linkType=gs1:traceability",
        "application/json": f"{BASE}/api/v1/batches/{product.gtin}/LV1",
    }
    assert context[GS1 + "certificationInfo"][0]["href"] == f"{anchor}#certificate"
    assert context[GS1 + "defaultLink"] == [{"href": anchor, "title": "Origin of this batch"}]
    for links in (v for k, v in context.items() if k != "anchor"):
        assert all(link["title"] for link in links)
    assert scans() == 0, "a machine reading the linkset is not a consumer's scan"


def test_the_linkset_is_also_negotiated_by_accept(client, make_batch):
    batch = make_batch()

    response = client.get(batch_path(batch), headers={"Accept": "application/linkset+json"})

    assert response.content_type == "application/linkset+json"
    assert "linkset" in json.loads(response.data)


def test_no_pip_or_certificate_for_an_unlisted_uncertified_product(
    client, make_product, make_batch
):
    batch = make_batch(product=make_product(is_active=False))

    response = client.get(f"{batch_path(batch)}?linkType=all")

    (context,) = json.loads(response.data)["linkset"]
    assert set(context) == {"anchor", GS1 + "defaultLink", GS1 + "traceability"}
    pip = client.get(f"{batch_path(batch)}?linkType=gs1:pip")
    assert pip.status_code == 404, "a link type we have no link of is a 404 (resolver 1.2)"
    assert "no link of the kind" in pip.text


@pytest.mark.parametrize("spelling", ["gs1:pip", "https://gs1.org/voc/pip"])
def test_a_link_type_redirects_to_that_link(client, make_product, make_batch, spelling):
    batch = make_batch(product=make_product(slug="nem-chua"))

    response = client.get(batch_path(batch), query_string={"linkType": spelling})

    assert response.status_code == 307
    assert response.headers["Location"] == f"{BASE}/products/nem-chua"
    assert scans() == 0


def test_certification_info_goes_to_the_certificate_on_the_page(client, make_product, make_batch):
    batch = make_batch(product=make_product(stars=5))

    response = client.get(f"{batch_path(batch)}?linkType=gs1:certificationInfo")

    assert response.status_code == 307
    assert response.headers["Location"] == f"{BASE}{batch_path(batch)}#certificate"
    assert 'id="certificate"' in client.get(batch_path(batch)).text


@pytest.mark.both_databases
@pytest.mark.parametrize("link_type", ["gs1:bogus", "javascript:alert(1)", "x" * 500, "\x00"])
def test_an_unknown_link_type_is_a_404_page(client, make_batch, link_type):
    batch = make_batch()

    response = client.get(batch_path(batch), query_string={"linkType": link_type})

    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert scans() == 0


def test_an_empty_link_type_or_the_default_link_gets_the_page(client, make_batch):
    batch = make_batch()

    for link_type in ("", "gs1:defaultLink"):
        response = client.get(batch_path(batch), query_string={"linkType": link_type})
        assert response.status_code == 200
        assert response.content_type.startswith("text/html")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (CHROME_ACCEPT, "text/html"),
        ("*/*", "text/html"),
        ("application/ld+json", "application/ld+json"),
        ("application/ld+json, text/html;q=0.5", "application/ld+json"),
        ("text/html, application/ld+json;q=0.9", "text/html"),
        ("application/json;q=0.9,application/ld+json", "application/ld+json"),
    ],
)
def test_content_negotiation(client, make_batch, accept, expected):
    batch = make_batch(events=2)

    response = client.get(batch_path(batch), headers={"Accept": accept})

    assert response.status_code == 200
    assert response.content_type.split(";")[0] == expected


def test_the_page_points_at_its_linkset(client, make_batch):
    batch = make_batch()

    response = client.get(batch_path(batch))

    anchor = BASE + batch_path(batch)
    assert response.headers["Link"] == (
        f'<{anchor}?linkType=linkset>; rel="linkset"; type="application/linkset+json"'
    )
    assert "Accept" in response.headers["Vary"]
    assert "no-store" in response.headers["Cache-Control"]


def test_a_unit_url_has_its_own_anchor_and_a_fake_serial_none(client, make_batch):
    from shop.labels.models import LabelRun, LabelSerial

    batch = make_batch()
    run = LabelRun(batch_id=batch.id, count=1, layout="roll")
    db.session.add(run)
    db.session.flush()
    db.session.add(LabelSerial(batch_id=batch.id, run_id=run.id, serial="ABC123"))
    db.session.commit()

    real = client.get(f"{batch_path(batch)}/21/ABC123?linkType=all")
    fake = client.get(f"{batch_path(batch)}/21/FAKE99?linkType=all")
    fake_epcis = client.get(
        f"{batch_path(batch)}/21/FAKE99", headers={"Accept": "application/ld+json"}
    )

    assert json.loads(real.data)["linkset"][0]["anchor"] == f"{BASE}{batch_path(batch)}/21/ABC123"
    assert fake.status_code == fake_epcis.status_code == 404
    assert "may be counterfeit" in fake.text


def test_the_product_url_linkset_lists_batches_on_sale(client, make_product, make_batch):
    product = make_product(slug="mat-ong", stars=3)
    on_sale = make_batch(product=product, lot="A1")
    make_batch(product=product, lot="OLD", on_sale=False)

    response = client.get(f"/01/{product.gtin}?linkType=all")

    assert response.content_type == "application/linkset+json"
    (context,) = json.loads(response.data)["linkset"]
    assert context["anchor"] == f"{BASE}/01/{product.gtin}"
    assert context[GS1 + "pip"][0]["href"] == f"{BASE}/products/mat-ong"
    assert context[GS1 + "defaultLink"] == [
        {"href": f"{BASE}/products/mat-ong", "title": "Product page"}
    ]
    assert [link["href"] for link in context[GS1 + "traceability"]] == [BASE + batch_path(on_sale)]
    assert GS1 + "certificationInfo" in context
    pip = client.get(f"/01/{product.gtin}?linkType=gs1:pip")
    assert pip.status_code == 307 and pip.headers["Location"] == f"{BASE}/products/mat-ong"


def test_the_well_known_resolver_description(client):
    response = client.get("/.well-known/gs1resolver")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["name"] == "OCOP Shop"
    assert body["resolverRoot"] == BASE
    assert body["supportedPrimaryKeys"] == ["01"]
    assert body["linkTypeDefaultCanBeLinkset"] is False
    assert body["supportedLinkType"] == [{"namespace": GS1, "prefix": "gs1:"}]
