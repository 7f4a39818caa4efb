"""An app or a partner site reads the catalogue through GET /api/v1/products."""

from datetime import timedelta

import pytest

from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    OcopGroup,
    ProductPhoto,
    add_months,
)
from shop.extensions import db
from shop.producers.models import ApprovalStatus

pytestmark = pytest.mark.both_databases  # search, filters and counts, a constant query count

ITEM_KEYS = {"id", "slug", "name", "price_vnd", "stock", "ocop_stars", "gtin", "producer"}


@pytest.fixture
def app_overrides():
    return {"SHOP_BASE_URL": "https://shop.example.vn/"}


def names(body) -> list[str]:
    return [item["name"] for item in body["items"]]


def test_list_shape_is_the_one_in_the_spec(client, make_producer, make_product):
    producer = make_producer(
        name="HTX Chè lam Phủ Quảng",
        commune="Xã Vĩnh Lộc",
        commune_code=15349,
        district="Vĩnh Lộc",
    )
    product = make_product(producer=producer, name="Chè lam", price_vnd=45_000, stock=7, stars=4)

    response = client.get("/api/v1/products")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.get_json() == {
        "items": [
            {
                "id": product.id,
                "slug": product.slug,
                "name": "Chè lam",
                "price_vnd": 45_000,
                "stock": 7,
                "ocop_stars": 4,
                "gtin": product.gtin,
                "producer": {
                    "name": "HTX Chè lam Phủ Quảng",
                    "commune": "Xã Vĩnh Lộc",
                    "commune_code": 15349,
                    "province": "Thanh Hóa",
                    "province_code": 38,
                    "district": "Vĩnh Lộc",
                },
            }
        ],
        "total": 1,
        "page": 1,
        "pages": 1,
        "page_size": 20,
    }
    assert len(product.gtin) == 14


def test_a_product_without_certificate_or_gtin_has_nulls(client, make_product):
    make_product(gtin=None)

    (item,) = client.get("/api/v1/products").get_json()["items"]

    assert set(item) == ITEM_KEYS
    assert item["ocop_stars"] is None
    assert item["gtin"] is None


def test_search_and_filters_work_as_in_the_catalogue(client, make_producer, make_product):
    vinh_loc = make_producer(district="Vĩnh Lộc", commune="Xã Vĩnh Lộc", commune_code=15349)
    nghe_an = make_producer(
        commune="Xã Bình Minh", commune_code=17515, province="Nghệ An", province_code=40
    )
    make_product(name="Nước mắm Ba Làng", stars=4, price_vnd=120_000)
    make_product(name="Cam Vinh", producer=nghe_an, price_vnd=60_000)
    make_product(name="Đậu phụ", producer=vinh_loc, stars=3, price_vnd=25_000)
    make_product(name="Rượu", ocop_group=OcopGroup.BEVERAGE, price_vnd=300_000)
    make_product(name="Chờ duyệt", status=ApprovalStatus.PENDING)

    def get(query):
        return names(client.get(f"/api/v1/products?{query}").get_json())

    assert get("q=NUOC MAM") == ["Nước mắm Ba Làng"]
    assert get("q=dau") == ["Đậu phụ"]
    assert get("group=beverage") == ["Rượu"]
    assert get("stars=3") == ["Đậu phụ"]
    assert get("district=vinh loc") == ["Đậu phụ"]
    assert get("commune=15349") == get("commune=vinh loc") == ["Đậu phụ"]
    assert get("commune=Xã Vĩnh Lộc&province=38") == ["Đậu phụ"]
    elsewhere = client.get("/api/v1/products?commune=Xã Vĩnh Lộc&province=cao bang")
    assert elsewhere.status_code == 422 and set(elsewhere.get_json()["errors"]) == {"commune"}
    assert get("province=40") == get("province=Nghệ An") == get("province=040") == ["Cam Vinh"]
    assert get("commune=binh minh") == ["Cam Vinh"]  # Bình Minh: in several provinces
    assert get("price_min=100000&price_max=200000") == ["Nước mắm Ba Làng"]
    assert get("sort=price_desc") == ["Rượu", "Nước mắm Ba Làng", "Cam Vinh", "Đậu phụ"]
    assert get("q=cho duyet") == []


def test_total_counts_every_hit_and_pages_start_at_one(app, client, make_product):
    app.config["API_PAGE_SIZE"] = 2
    for n in range(5):
        make_product(name=f"Mắm {n}", price_vnd=10_000 * (n + 1))

    first = client.get("/api/v1/products?sort=price_asc").get_json()
    last = client.get("/api/v1/products?sort=price_asc&page=3").get_json()
    beyond = client.get("/api/v1/products?page=4")

    assert names(first) == ["Mắm 0", "Mắm 1"]
    assert (first["total"], first["page"], first["pages"], first["page_size"]) == (5, 1, 3, 2)
    assert names(last) == ["Mắm 4"]
    assert last["page"] == 3
    assert beyond.status_code == 200
    assert beyond.get_json()["items"] == []
    assert beyond.get_json()["total"] == 5


def test_a_lapsed_certificate_has_no_stars(client, make_product, any_hour, today):
    product = make_product()
    product.certificates.append(
        OcopCertificate(
            decision_number="1/QĐ-UBND",
            decision_date=add_months(today, -36),
            issuer="UBND tỉnh Thanh Hóa",
            stars=5,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()

    assert client.get("/api/v1/products").get_json()["items"][0]["ocop_stars"] is None
    assert client.get("/api/v1/products?stars=5").get_json()["total"] == 0
    assert client.get(f"/api/v1/products/{product.id}").get_json()["certificate"] is None


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("page=abc", {"page"}),
        ("page=0", {"page"}),
        ("price_min=-5", {"price_min"}),
        ("price_min=x&price_max=y", {"price_min", "price_max"}),
        ("price_min=9&price_max=1", {"price_max"}),
        ("stars=7", {"stars"}),
        ("group=bogus", {"group"}),
        ("sort=drop table", {"sort"}),
        ("district=Atlantis", {"district"}),
        ("district=a%00b&q=x%00y", {"district"}),
        ("q=" + "x" * 101, {"q"}),
    ],
)
def test_invalid_query_parameters_are_a_422_problem(client, make_product, query, fields):
    make_product()

    response = client.get(f"/api/v1/products?{query}")

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 422
    assert body["title"]
    assert set(body["errors"]) == fields
    assert all(isinstance(m, str) and m for messages in body["errors"].values() for m in messages)


def test_one_product_adds_description_url_photos_and_certificate(client, make_product):
    product = make_product(
        name="Nem chua", slug="nem-chua", description="Nem chua Thanh Hóa.", unit="chục", stars=4
    )
    product.photos.extend(
        [ProductPhoto(filename="b.jpg", position=1), ProductPhoto(filename="a.jpg", position=0)]
    )
    db.session.commit()
    cert = product.certificates[0]

    response = client.get(f"/api/v1/products/{product.id}")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == ITEM_KEYS | {
        "description",
        "unit",
        "url",
        "photos",
        "certificate",
        "batches",
    }
    assert body["batches"] == []
    assert body["name"] == "Nem chua"
    assert body["description"] == "Nem chua Thanh Hóa."
    assert body["unit"] == "chục"
    assert body["url"] == "https://shop.example.vn/products/nem-chua"
    assert body["photos"] == [
        "https://shop.example.vn/media/a.jpg",
        "https://shop.example.vn/media/b.jpg",
    ]
    assert body["certificate"] == {
        "stars": 4,
        "decision_number": cert.decision_number,
        "decision_date": cert.decision_date.isoformat(),
        "issuer": "UBND tỉnh Thanh Hóa",
        "expires_on": cert.expires_on.isoformat(),
    }


@pytest.mark.parametrize("path", ["999", "0", "abc", "-1", "99999999999999999999"])
def test_an_unknown_product_is_a_404_problem(client, path):
    response = client.get(f"/api/v1/products/{path}")

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_an_unlisted_product_is_a_404_problem(client, make_producer, make_product):
    hidden = [
        make_product(status=ApprovalStatus.PENDING),
        make_product(is_active=False),
        make_product(producer=make_producer(status=ApprovalStatus.PENDING)),
    ]

    for product in hidden:
        response = client.get(f"/api/v1/products/{product.id}")
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"


def test_api_list_query_count_is_constant(client, make_product, count_queries):
    def count() -> int:
        db.session.close()
        with count_queries() as queries:
            assert client.get("/api/v1/products").status_code == 200
        return len(queries)

    products = [make_product(stars=4) for _ in range(2)]
    for product in products:
        product.photos.append(ProductPhoto(filename=f"{product.slug}.jpg"))
    db.session.commit()
    few = count()  # the first request after a write fills the catalogue cache
    for _ in range(12):
        make_product(stars=5)
    assert few == count() <= 6  # places, page ids, total, the products, photos, certificates
    assert count() == 3  # cached: the products, photos, certificates, read fresh


def test_the_list_and_the_page_agree_on_dates(client, make_product, any_hour, today):
    """decision_date <= today < expires_on: a certificate decided today already counts."""
    product = make_product()
    product.certificates.append(
        OcopCertificate(
            decision_number="2/QĐ-UBND",
            decision_date=today,
            issuer="UBND tỉnh Thanh Hóa",
            stars=3,
            status=CertificateStatus.VERIFIED,
        )
    )
    tomorrow = make_product()
    tomorrow.certificates.append(
        OcopCertificate(
            decision_number="3/QĐ-UBND",
            decision_date=today + timedelta(days=1),
            issuer="UBND tỉnh Thanh Hóa",
            stars=3,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()

    hits = client.get("/api/v1/products?stars=3").get_json()["items"]

    assert [item["id"] for item in hits] == [product.id]


def test_one_product_lists_its_batches_on_sale_with_their_scan_urls(
    client, make_product, make_batch
):
    product = make_product(gtin="08931234567897")
    make_batch(product=product, lot="LV-01")
    make_batch(product=product, lot="SOLD-OUT", on_sale=False)
    make_batch(product=product, lot="LV-02")
    make_batch(lot="OTHER")

    body = client.get(f"/api/v1/products/{product.id}").get_json()

    assert body["batches"] == [
        {"lot": "LV-01", "url": "https://shop.example.vn/01/08931234567897/10/LV-01"},
        {"lot": "LV-02", "url": "https://shop.example.vn/01/08931234567897/10/LV-02"},
    ]
    for batch in body["batches"]:
        path = batch["url"].removeprefix("https://shop.example.vn")
        assert client.get(path).status_code == 200
