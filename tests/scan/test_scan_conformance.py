"""GS1-Conformant Resolver 1.2, requirement by requirement (the list GS1's resolver test suite
checks, Conformance1_2.txt), on the label URLs the shop prints."""

import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.scan.models import Scan

BASE = "https://shop.example.vn"
GS1 = "https://ref.gs1.org/voc/"
DATA = Path(__file__).parent.parent / "data/gs1"


@pytest.fixture
def app_overrides():
    return {"SHOP_BASE_URL": BASE + "/"}


@pytest.fixture
def labelled(make_product, make_batch, make_serial):
    """A listed, certified product with a batch on sale and one issued serial."""
    product = make_product(slug="mat-ong-ba-vi", stars=4, gtin="08931234567897")
    batch = make_batch(product=product, lot="LV1")
    make_serial(batch, serial="K7Q00001X")
    return batch


def scans() -> int:
    return db.session.scalar(select(func.count(Scan.id)))


BATCH = "/01/08931234567897/10/LV1"
UNIT = BATCH + "/21/K7Q00001X"
PRODUCT = "/01/08931234567897"


# SHALL support HTTP 1.1 (or higher) GET, HEAD and OPTIONS requests.
@pytest.mark.parametrize("path", [PRODUCT, BATCH, UNIT, "/.well-known/gs1resolver"])
def test_get_head_and_options_on_every_resolver_url(client, labelled, path):
    get = client.get(path)
    head = client.head(path)
    options = client.options(path)

    assert head.status_code == get.status_code
    assert head.data == b""
    assert options.status_code == 200
    assert {"GET", "HEAD", "OPTIONS"} <= set(options.headers["Allow"].split(", "))


def test_a_head_request_records_no_scan(client, labelled):
    assert client.head(BATCH).status_code == 200

    assert scans() == 0


# SHALL support CORS.
@pytest.mark.parametrize(
    "path",
    [
        PRODUCT,
        BATCH,
        UNIT,
        f"{BATCH}?linkType=linkset",
        f"{BATCH}?linkType=gs1:pip",
        "/01/08931234567890/10/LV1",
        "/01/08930000000019/10/LV1",
        "/.well-known/gs1resolver",
        "/CxA-7iCtssZauo",
    ],
)
def test_cors_on_every_resolver_answer(client, labelled, path):
    response = client.get(path, headers={"Origin": "https://scanner.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response.headers["Access-Control-Expose-Headers"]


def test_a_browser_scanners_preflight_is_allowed(client, labelled):
    response = client.options(
        BATCH,
        headers={
            "Origin": "https://scanner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept, accept-language",
        },
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = set(response.headers["Access-Control-Allow-Methods"].split(", "))
    assert {"GET", "HEAD", "OPTIONS"} <= methods
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "accept" in allowed and "accept-language" in allowed
    assert scans() == 0


def test_shop_pages_that_are_not_the_resolver_get_no_cors(client, labelled):
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


# SHALL be able to decompress a URI (GS1 DL compression); SHALL expose the uncompressed URI
# in the Link header with rel owl:sameAs.
@pytest.mark.both_databases
def test_a_compressed_uri_is_answered_like_the_uncompressed_one(client, labelled):
    compressed = client.get("/CxA-7iCtssZauo")  # GS1 toolkit: /01/08931234567897/10/LV1
    plain = client.get(BATCH)

    assert compressed.status_code == plain.status_code == 200
    assert "LV1" in compressed.text
    assert f'<{BASE}{BATCH}>; rel="owl:sameAs"' in compressed.headers["Link"]
    assert f'<{BASE}{BATCH}?linkType=linkset>; rel="linkset"' in compressed.headers["Link"]
    assert scans() == 2, "a consumer scanning a compressed label is counted like any other"


def test_a_compressed_unit_linkset_uses_the_uncompressed_anchor(client, labelled):
    response = client.get("/CxA-7iCtssZaupC0ldoaaaaarg?linkType=linkset")

    assert response.content_type == "application/linkset+json"
    assert json.loads(response.data)["linkset"][0]["anchor"] == BASE + UNIT
    assert f'<{BASE}{UNIT}>; rel="owl:sameAs"' in response.headers["Link"]


def test_compressed_other_keys_and_partial_compression(client, labelled):
    # linkType=gs1:pip compressed into the URI itself, behind the 'F' flag
    pip = client.get("/CxA-7iCtssZauviJYp5E8qXoHz82Lrhp4A")
    partial = client.get("/01/08931234567897/EGMtXU")  # only 10/LV1 compressed

    assert pip.status_code == 307
    assert pip.headers["Location"] == f"{BASE}/products/mat-ong-ba-vi"
    assert f'<{BASE}{BATCH}?linkType=gs1:pip>; rel="owl:sameAs"' in pip.headers["Link"]
    assert partial.status_code == 200
    assert f'<{BASE}{BATCH}>; rel="owl:sameAs"' in partial.headers["Link"]


def test_a_compressed_product_uri_and_one_that_is_not_ours(client, labelled):
    product = client.get("/ARA-7iCtsg")
    unknown_lot = client.get("/DBA-7iCtssiQiOo")  # /01/…/21/SER1: a serial without a lot

    assert product.status_code == 307
    assert unknown_lot.status_code == 404


def test_a_compressed_uri_with_a_serial_no_label_can_carry_is_a_400(client, labelled):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # 0B (01 + 10 "LV1" in base64 characters), then AI 21 "A B" in 7-bit ASCII
    bits = "00001011" + f"{8931234567897:047b}" + "011" + "00011"
    bits += "".join(f"{alphabet.index(c):06b}" for c in "LV1")
    bits += "00100001" + "100" + "00011" + "".join(f"{ord(c):07b}" for c in "A B")
    bits += "0" * (-len(bits) % 6)
    token = "".join(alphabet[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))

    response = client.get(f"/{token}")

    assert response.status_code == 400
    assert "This label is not ours" in response.text


@pytest.mark.parametrize("path", ["/no-such-page-here", "/EGMtXUhaSu0NNNNNVw"])
def test_a_path_that_is_not_a_compressed_gtin_is_a_plain_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "owl:sameAs" not in response.headers.get("Link", "")


# SHALL extract and syntactically validate the URI and report errors with 400; SHALL NOT use
# 200 for an error.
@pytest.mark.parametrize(
    "path",
    [
        "/01/08931234567890/10/LV1",  # wrong check digit
        "/01/0893123456789X/10/LV1",  # a non-digit GTIN
        "/01/08931234567897/10/" + "L" * 21,  # a lot over 20 characters
        "/01/08931234567897/99/LV1",  # an unknown AI
        "/01/08931234567897/10/LV1/foo",  # an extra path segment
        "/01/08931234567897/10/LV1/21/K7Q00001X/99/1",
        "/01/08931234567897/21/K7Q00001X/10/LV1",  # qualifiers out of order
        "/01/08931234567897/10/LV1?17=271301",  # a malformed date (month 13)
        "/01/08931234567897/10/LV1?17=2712",  # a date too short
        "/01/08931234567897/10/LV1?17=27023A",
        "/01/08931234567897/10/LV1?17=270230",  # 30 February
        "/01/08931234567897/10/LV1?99999=1",  # an unknown AI in the query
        "/01/08931234567897/10/LV1?3103=12",  # a net weight of the wrong length
        "/01/08931234567897/10/LV1?30=",  # a count without digits
        "/01/08931234567897/10/LV1?10=LV1",  # a key qualifier is not a data attribute
        "/01/08931234567897/ARA-7iCtsg",  # the GTIN compressed again behind the GTIN
        "/01/08931234567897/EGMtXU_",  # a partly compressed tail that does not decode
    ],
)
def test_syntax_errors_are_400_with_the_page_for_people(client, labelled, path):
    response = client.get(path)

    assert response.status_code == 400, path
    assert "OCOP Shop" in response.text
    assert "This label is not ours" in response.text or "lot number" in response.text
    assert scans() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/01/08930000000019/10/LV1",  # a valid GTIN that is not ours
        "/01/08931234567897/10/NOPE42",  # our product, a lot that is not
        "/01/08931234567897/22/V2/10/LV1",  # a valid consumer product variant we do not use
        "/01/08931234567897/21/K7Q00001X",  # a serial without its lot
        "/01/08931234567897/10/LV1?17=270900",  # day 00: the end of the month, valid
    ],
)
def test_well_formed_uris_stay_200_or_404(client, labelled, path):
    response = client.get(path)

    assert response.status_code == (200 if path.endswith("=270900") else 404), path


MALFORMED = [
    "/01",
    "/01/",
    "/01//10/LV1",
    "/01/%00/10/LV1",
    "/01/08931234567897/10/%00",
    "/01/08931234567897/10/%FF",
    "/01/08931234567897/10/LV1/21/%00",
    "/01/08931234567897/10/LV1/21/" + "x" * 300,
    "/01/08931234567897/10/LV1?17=%00",
    "/01/08931234567897/10/LV1?17=" + "9" * 500,
    "/01/08931234567897/10/LV1?linkType=%00",
    "/01/08931234567897/10/LV1?linkType=gs1:" + "x" * 500,
    "/01/08931234567897/" + "A" * 300,
    "/01/08931234567897/10/LV1/10/LV1",
    "/01/" + "9" * 300,
    "/01/08931234567897?3103=abcdef",
    "/" + "A" * 400,
    "/_________________________",
    "/01/08931234567897/10/LV1/",
    "/01/08931234567897/10/%E2%80%AE",
]


@pytest.mark.both_databases
def test_never_a_500_over_many_malformed_uris(client, labelled):
    for path in MALFORMED:
        for method in (client.get, client.head, client.options):
            response = method(path)
            assert response.status_code < 500, path
            if method is client.get:
                assert response.status_code in (200, 400, 404), path


# SHALL respond to linkType=all (1.2: linkset) with the linkset (RFC 9264), links of each level
# up to the primary key, the uncompressed URI as subject.
@pytest.mark.parametrize("query", ["?linkType=linkset", "?linkType=all"])
def test_the_linkset_by_link_type(client, labelled, query):
    response = client.get(BATCH + query)

    assert response.status_code == 200
    assert response.content_type == "application/linkset+json"
    batch_level, product_level = json.loads(response.data)["linkset"]
    assert batch_level["anchor"] == BASE + BATCH
    assert product_level["anchor"] == BASE + PRODUCT
    assert {GS1 + "pip", GS1 + "traceability", GS1 + "certificationInfo"} <= set(batch_level)
    assert (
        "<https://ref.gs1.org/standards/resolver/linkset-context>; "
        'rel="http://www.w3.org/ns/json-ld#context"' in response.headers["Link"]
    )
    assert scans() == 0


@pytest.mark.parametrize(
    "path", [PRODUCT, BATCH, UNIT, "/CxA-7iCtssZauo", "/01/08931234567897/EGMtXUhaSu0NNNNNVw"]
)
def test_every_linkset_is_valid_against_gs1s_linkset_schema(client, labelled, path):
    schema = json.loads((DATA / "linkset-schema-1.2.0.json").read_text())

    response = client.get(path, query_string={"linkType": "linkset"})

    assert response.status_code == 200
    validator = jsonschema.Draft7Validator(schema)
    assert list(validator.iter_errors(json.loads(response.data))) == []


def test_the_linkset_schema_catches_a_link_without_a_title():
    schema = json.loads((DATA / "linkset-schema-1.2.0.json").read_text())
    bad = {"linkset": [{"anchor": BASE + BATCH, GS1 + "pip": [{"href": BASE + "/products/x"}]}]}

    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))


def test_the_linkset_by_accept_header(client, labelled):
    response = client.get(BATCH, headers={"Accept": "application/linkset+json"})

    assert response.status_code == 200
    assert response.content_type == "application/linkset+json"
    assert "Accept" in response.headers["Vary"]


# SHOULD expose the linkset in a Link header, even when redirecting.
@pytest.mark.parametrize(
    ("path", "status", "anchor"),
    [
        (BATCH, 200, BATCH),
        (f"{BATCH}?linkType=gs1:pip", 307, BATCH),
        (PRODUCT, 307, PRODUCT),
        ("/01/8931234567897/10/LV1", 301, BATCH),  # the GTIN-13 form
    ],
)
def test_every_answer_links_to_its_linkset(client, labelled, path, status, anchor):
    response = client.get(path)

    assert response.status_code == status
    assert (
        f'<{BASE}{anchor}?linkType=linkset>; rel="linkset"; type="application/linkset+json"'
        in response.headers["Link"]
    )
    assert 'rel="gs1:' not in response.headers["Link"], "no deprecated links in the header"


# SHALL recognise one link as the default; every link has a target, a type and a title.
def test_exactly_one_default_link_per_level_with_a_title(client, labelled):
    for level in json.loads(client.get(BATCH + "?linkType=linkset").data)["linkset"]:
        (default,) = level[GS1 + "defaultLink"]
        assert set(default) == {"href", "title"} and default["title"]
        for name, links in level.items():
            if name != "anchor":
                assert name.startswith(GS1)
                assert all(link["href"].startswith(BASE) and link["title"] for link in links)


# SHALL redirect to the default link unless the request says otherwise.
def test_the_product_uri_redirects_to_its_default_link(client, labelled):
    linkset = json.loads(client.get(PRODUCT + "?linkType=linkset").data)["linkset"][0]

    response = client.get(PRODUCT)

    assert response.status_code == 307
    assert response.headers["Location"] == linkset[GS1 + "defaultLink"][0]["href"]


# SHALL redirect to the requested linkType if available (CURIE and full IRI).
@pytest.mark.parametrize(
    "spelling", ["gs1:pip", "https://ref.gs1.org/voc/pip", "https://gs1.org/voc/pip"]
)
def test_both_spellings_of_a_link_type_redirect(client, labelled, spelling):
    response = client.get(BATCH, query_string={"linkType": spelling})

    assert response.status_code == 307
    assert response.headers["Location"] == f"{BASE}/products/mat-ong-ba-vi"


@pytest.mark.parametrize(
    ("accept", "status", "location"),
    [
        ("application/ld+json", 200, None),
        ("*/*", 200, None),
        ("application/json", 307, f"{BASE}/api/v1/batches/08931234567897/LV1"),
    ],
)
def test_of_several_links_of_a_type_the_accepted_media_type_wins(
    client, labelled, accept, status, location
):
    response = client.get(f"{BATCH}?linkType=gs1:traceability", headers={"Accept": accept})

    assert response.status_code == status
    assert response.headers.get("Location") == location
    if status == 200:
        assert json.loads(response.data)["type"] == "EPCISDocument"


@pytest.mark.parametrize("path", [BATCH, PRODUCT, UNIT])
def test_a_link_type_without_a_link_is_a_404(client, labelled, path):
    response = client.get(f"{path}?linkType=gs1:nosuchlt")

    assert response.status_code == 404
    assert "no link of the kind" in response.text
    assert "Location" not in response.headers


# By default, SHALL pass on all key=value pairs of the query string when redirecting.
def test_the_query_string_is_passed_on_through_redirects(client, labelled):
    pip = client.get(f"{BATCH}?linkType=gs1:pip&foo=bar&utm_source=qr")
    product = client.get(f"{PRODUCT}?foo=bar")
    certificate = client.get(f"{BATCH}?linkType=gs1:certificationInfo&foo=bar")

    assert pip.headers["Location"] == f"{BASE}/products/mat-ong-ba-vi?foo=bar&utm_source=qr"
    assert product.headers["Location"] == f"{BASE}/products/mat-ong-ba-vi?foo=bar"
    assert certificate.headers["Location"] == f"{BASE}{BATCH}?foo=bar#certificate"


# SHALL provide a resolver description file at /.well-known/gs1resolver (GS1's schema 1.2.0).
def test_the_description_file_is_valid_against_gs1s_schema(client):
    schema = json.loads((DATA / "resolver-description-file-schema-1.2.0.json").read_text())
    body = client.get("/.well-known/gs1resolver").get_json()

    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(body)) == []
    assert body["supportedPrimaryKeys"] == ["01"]
    assert body["supportedLinkType"] == [{"namespace": GS1, "prefix": "gs1:"}]
    assert body["resolverRoot"] == BASE


def test_the_schema_catches_a_wrong_description():
    schema = json.loads((DATA / "resolver-description-file-schema-1.2.0.json").read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())

    assert list(validator.iter_errors({"resolverRoot": BASE, "supportedPrimaryKeys": ["gtin"]}))
    assert list(validator.iter_errors({"resolverRoot": "not a uri"}))


# SHOULD tolerate trailing slashes.
@pytest.mark.parametrize("path", [PRODUCT, BATCH, UNIT, f"{BATCH}?linkType=gs1:pip"])
def test_a_trailing_slash_is_tolerated(client, labelled, path):
    plain = client.get(path)
    path, _q, query = path.partition("?")
    slashed = client.get(f"{path}/" + (f"?{query}" if query else ""))

    assert slashed.status_code == plain.status_code
    assert slashed.headers.get("Location") == plain.headers.get("Location")


# Accept: application/ld+json still gets the EPCIS 2.0 document.
def test_json_ld_still_gets_epcis(client, labelled):
    response = client.get(BATCH, headers={"Accept": "application/ld+json"})

    assert response.status_code == 200
    assert response.content_type == "application/ld+json"
    assert json.loads(response.data)["type"] == "EPCISDocument"
