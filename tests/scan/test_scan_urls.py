"""Label URLs are printed and permanent: short GTINs redirect, a malformed URI is a 400 page,
a well-formed one that is not ours a 404 page."""

import pytest

from shop.producers.models import ApprovalStatus
from shop.scan.lookup import find_batch, find_product_by_gtin

pytestmark = pytest.mark.both_databases  # malformed label parts reach SQL


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("8931234567897", "08931234567897"),  # GTIN-13, Vietnam's 893 prefix
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("96385074", "00000096385074"),  # GTIN-8
    ],
)
def test_a_short_gtin_redirects_permanently_to_14_digits(
    client, make_product, make_batch, printed, canonical
):
    batch = make_batch(product=make_product(gtin=canonical), lot="LOT-7")

    response = client.get(f"/01/{printed}/10/LOT-7?17=270903&utm=x")

    assert response.status_code == 301
    assert response.headers["Location"] == f"/01/{canonical}/10/LOT-7?17=270903&utm=x"
    assert client.get(response.headers["Location"]).status_code == 200
    assert batch.lot == "LOT-7"


def test_short_gtins_redirect_on_unit_and_product_urls_too(client, make_product, make_batch):
    make_batch(product=make_product(gtin="08931234567897"), lot="A1")

    unit = client.get("/01/8931234567897/10/A1/21/SERIAL1")
    product = client.get("/01/8931234567897")

    assert unit.status_code == 301
    assert unit.headers["Location"] == "/01/08931234567897/10/A1/21/SERIAL1"
    assert product.status_code == 301
    assert product.headers["Location"] == "/01/08931234567897"


def test_the_canonical_url_is_not_redirected(client, make_batch):
    batch = make_batch()

    response = client.get(f"/01/{batch.product.gtin}/10/{batch.lot}")

    assert response.status_code == 200
    assert batch.product.name in response.text


def assert_helpful_404(response, *phrases, status=404):
    assert response.status_code == status
    assert response.content_type.startswith("text/html")
    assert "OCOP Shop" in response.text
    assert 'href="/"' in response.text  # back to the catalogue
    for phrase in phrases:
        assert phrase in response.text


@pytest.mark.parametrize(
    "gtin",
    [
        "08931234567890",  # wrong check digit
        "8931234567890",
        "0893123456789X",
        "089312345678",  # 12 digits, wrong check digit
        "9" * 50,
        "１２３４５６７８",  # full-width digits
        "-1",
    ],
)
def test_a_malformed_gtin_is_a_helpful_400(client, gtin):
    response = client.get(f"/01/{gtin}/10/L1")

    assert_helpful_404(response, "This label is not ours", "not a valid barcode number", status=400)


def test_an_unknown_gtin_is_not_ours(client, make_batch):
    make_batch()

    response = client.get("/01/08930000000019/10/L1")

    assert_helpful_404(response, "This label is not ours", "/01/08930000000019/10/L1")


def test_an_unknown_lot_of_our_product_says_so(client, make_batch):
    batch = make_batch()

    response = client.get(f"/01/{batch.product.gtin}/10/NOPE42")

    assert_helpful_404(response, "We could not find this batch", "NOPE42")


@pytest.mark.parametrize(
    "lot",
    [
        "A%20B",  # a space
        "A%2FB",  # an encoded slash
        "A/B",
        "x" * 200,
        "%00",
        "A%00B",
        "%F0%9F%8D%8A",  # an emoji
        "%FF%FE",  # not UTF-8
        "%E2%80%AE",  # a right-to-left override
        "L%23",  # '#' is not in GS1's character set 82
    ],
)
def test_malformed_lots_are_a_400_never_a_500(client, make_batch, lot):
    batch = make_batch()
    base = f"/01/{batch.product.gtin}/10/{lot}"

    for path in (base, f"{base}/21/ABC", f"{base}?linkType=all"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "OCOP Shop" in response.text


@pytest.mark.parametrize("path", ["/01/", "/01/08931234567897/10", "/01/x/10/y/21/z/99/1"])
def test_truncated_or_extended_label_urls_are_a_helpful_400(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "OCOP Shop" in response.text


def test_the_product_url_goes_to_the_product_page_temporarily(client, make_product):
    product = make_product(slug="nuoc-mam-ba-lang")

    response = client.get(f"/01/{product.gtin}")

    assert response.status_code == 307  # the slug may change; the GTIN never does
    assert response.headers["Location"] == "http://127.0.0.1:5000/products/nuoc-mam-ba-lang"


def test_unknown_or_unlisted_products_are_a_404(client, make_product):
    hidden = make_product(status=ApprovalStatus.PENDING)

    assert_helpful_404(client.get("/01/08930000000019"), "This label is not ours")
    assert_helpful_404(client.get(f"/01/{hidden.gtin}"), "not on sale now")
    assert_helpful_404(client.get("/01/123"), "not a valid barcode number", status=400)


def test_looking_up_a_malformed_gtin_finds_nothing(app):
    assert find_product_by_gtin("08931234567890") is None
    assert find_batch("0893123456789X", "L1") is None
