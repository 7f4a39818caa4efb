"""The catalogue and product pages cost a fixed number of SQL queries, however much they show."""

from datetime import timedelta

import pytest

from shop.catalogue.models import CertificateStatus, OcopCertificate, ProductPhoto
from shop.clock import local_today
from shop.extensions import db

pytestmark = pytest.mark.both_databases  # query counts

# After a catalogue write: the place list, the page's ids, its total, then what is always read
# fresh (the page's products with their producers, photos, certificates): 3 once cached.
MAX_CATALOGUE_QUERIES = 6
CACHED_CATALOGUE_QUERIES = 3
MAX_PRODUCT_QUERIES = 3  # the product with its producer, photos, certificates


def stock_the_shop(make_producer, make_product, products: int, photos: int) -> list:
    """Products spread over several producers, each with photos and two certificates."""
    producers = [make_producer(district=f"Huyện {n}") for n in range(3)]
    made = []
    for n in range(products):
        product = make_product(producer=producers[n % 3], stars=3 + n % 3)
        product.photos.extend(
            ProductPhoto(filename=f"p{n}-{k}.jpg", position=k) for k in range(photos)
        )
        product.certificates.append(
            OcopCertificate(
                decision_number=f"{n}/QĐ-cũ",
                decision_date=local_today() - timedelta(days=2000),
                issuer="UBND tỉnh Thanh Hóa",
                stars=3,
                status=CertificateStatus.VERIFIED,
            )
        )
        made.append(product)
    db.session.commit()
    return made


def queries_for(client, count_queries, url: str) -> int:
    db.session.close()  # each request starts with an empty session, as in production
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_catalogue_query_count_does_not_grow_with_the_shop(
    app, client, make_producer, make_product, count_queries
):
    stock_the_shop(make_producer, make_product, products=3, photos=1)
    small = queries_for(client, count_queries, "/")
    small_filtered = queries_for(client, count_queries, "/?q=san pham&stars=4&sort=stars")

    stock_the_shop(make_producer, make_product, products=15, photos=4)
    large = queries_for(client, count_queries, "/")
    large_filtered = queries_for(client, count_queries, "/?q=san pham&stars=4&sort=stars")

    assert small == large <= MAX_CATALOGUE_QUERIES
    assert small_filtered == large_filtered <= MAX_CATALOGUE_QUERIES
    assert queries_for(client, count_queries, "/") == CACHED_CATALOGUE_QUERIES
    cached_filtered = queries_for(client, count_queries, "/?q=san pham&stars=4&sort=stars")
    assert cached_filtered == CACHED_CATALOGUE_QUERIES


def test_product_page_query_count_does_not_grow_with_photos_or_certificates(
    client, make_producer, make_product, count_queries, today
):
    few, many = (
        stock_the_shop(make_producer, make_product, products=1, photos=n)[0] for n in (1, 12)
    )
    for _ in range(5):
        many.certificates.append(
            OcopCertificate(
                decision_number="x",
                decision_date=today - timedelta(days=1500),
                issuer="UBND tỉnh Thanh Hóa",
                stars=4,
                status=CertificateStatus.VERIFIED,
            )
        )
    db.session.commit()
    few_slug, many_slug = few.slug, many.slug

    assert (
        queries_for(client, count_queries, f"/products/{few_slug}")
        == queries_for(client, count_queries, f"/products/{many_slug}")
        <= MAX_PRODUCT_QUERIES
    )
