"""Search rows and star periods follow every write, so the indexed search and the stars filter
answer what the products, producers and certificates say, on both databases."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    ProductSearch,
    StarPeriod,
    add_months,
    star_periods,
)
from shop.catalogue.upkeep import rebuild_search, rebuild_star_periods
from shop.extensions import db
from tests.catalogue.test_catalogue_search import names_on
from tests.conftest import NOON

pytestmark = pytest.mark.both_databases  # trigram index on PostgreSQL, FTS5 on SQLite

D = date(2026, 1, 1)


def certificate(stars: int, decided: date, status=CertificateStatus.VERIFIED) -> OcopCertificate:
    return OcopCertificate(
        decision_number=f"{stars}/QĐ",
        decision_date=decided,
        issuer="UBND tỉnh Thanh Hóa",
        stars=stars,
        status=status,
    )


@pytest.mark.parametrize(
    ("certificates", "periods"),
    [
        ([], []),
        ([(4, D, D + timedelta(days=10))], [(4, D, D + timedelta(days=10))]),
        (  # a better certificate inside a lesser one: 3, then 5, then 3 again
            [(3, D, D + timedelta(days=30)), (5, D + timedelta(days=10), D + timedelta(days=20))],
            [
                (3, D, D + timedelta(days=10)),
                (5, D + timedelta(days=10), D + timedelta(days=20)),
                (3, D + timedelta(days=20), D + timedelta(days=30)),
            ],
        ),
        (  # a gap between two certificates, and two equal neighbours merged
            [
                (4, D, D + timedelta(days=5)),
                (4, D + timedelta(days=5), D + timedelta(days=9)),
                (3, D + timedelta(days=12), D + timedelta(days=15)),
            ],
            [(4, D, D + timedelta(days=9)), (3, D + timedelta(days=12), D + timedelta(days=15))],
        ),
    ],
)
def test_certificates_fold_into_periods_where_the_best_stars_win(certificates, periods):
    assert star_periods(certificates) == periods


def test_when_the_better_certificate_lapses_the_lesser_one_shows(
    client, make_product, clock, today
):
    product = make_product(name="Chè lam")
    product.certificates.append(certificate(3, add_months(today, -12)))
    product.certificates.append(certificate(5, add_months(today, -35)))
    db.session.commit()

    assert names_on(client.get("/?stars=5")) == ["Chè lam"]
    assert names_on(client.get("/?stars=3")) == []

    clock.move_to(NOON + timedelta(days=40), tick=False)  # the 5★ one ran out on the way

    assert names_on(client.get("/?stars=5")) == []
    assert names_on(client.get("/?stars=3")) == ["Chè lam"]
    assert "★★★<" in client.get("/?stars=3").get_data(as_text=True)


def test_a_certificate_verified_later_or_removed_changes_the_stars_filter(client, make_product):
    product = make_product(name="Mật ong")
    pending = certificate(4, date.today() - timedelta(days=3), CertificateStatus.PENDING)
    product.certificates.append(pending)
    db.session.commit()
    assert names_on(client.get("/?stars=4")) == []

    pending.status = CertificateStatus.VERIFIED
    db.session.commit()
    assert names_on(client.get("/?stars=4")) == ["Mật ong"]

    db.session.delete(pending)
    db.session.commit()
    assert names_on(client.get("/?stars=4")) == []
    assert db.session.scalar(select(func.count()).select_from(StarPeriod)) == 0


def test_renaming_a_product_or_its_producer_is_searchable_at_once(
    client, make_producer, make_product
):
    producer = make_producer(name="HTX Đông Sơn")
    product = make_product(producer=producer, name="Bánh đa")
    assert names_on(client.get("/?q=dong son banh")) == ["Bánh đa"]

    product.name = "Bánh gai"
    db.session.commit()
    assert names_on(client.get("/?q=banh da")) == []
    assert names_on(client.get("/?q=banh gai")) == ["Bánh gai"]

    producer.name = "HTX Hoằng Hóa"
    db.session.commit()
    assert names_on(client.get("/?q=dong son")) == []
    assert names_on(client.get("/?q=hoang hoa gai")) == ["Bánh gai"]


@pytest.mark.parametrize("query", ["d", "da", "d gai", "gai d", "ga", "banh d g"])
def test_short_words_match_inside_words_as_before(client, make_product, query):
    """Words under three letters have no trigram: they are still matched, in any order."""
    make_product(name="Bánh đa gai")
    make_product(name="Cốm")

    assert names_on(client.get("/", query_string={"q": query})) == ["Bánh đa gai"]


def test_a_stock_change_rewrites_no_search_row(app, make_product, count_queries):
    product = make_product(name="Nem chua")
    db.session.expire_all()
    product = db.session.get(type(product), product.id)
    with count_queries() as queries:
        product.stock -= 1
        db.session.commit()
    assert not [q for q in queries if "product_search" in q or "product_star_periods" in q]


def test_deleting_a_product_removes_its_rows(app, make_product):
    product = make_product(name="Gạo nếp", stars=4)
    db.session.delete(product)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ProductSearch)) == 0
    assert db.session.scalar(select(func.count()).select_from(StarPeriod)) == 0


def test_rebuilding_for_rows_written_without_the_orm(app, make_product):
    """What a bulk loader calls after writing products and certificates with plain SQL."""
    product = make_product(name="Mắm tép", stars=4)
    conn = db.session.connection()
    conn.execute(ProductSearch.__table__.delete())
    conn.execute(StarPeriod.__table__.delete())
    rebuild_search(conn)  # nothing asked, nothing done
    rebuild_star_periods(conn, [])
    rebuild_search(conn, product_ids=[product.id])
    rebuild_star_periods(conn, [product.id])
    db.session.commit()
    doc = db.session.scalar(select(ProductSearch.doc))
    assert doc.startswith("mam tep ") and "htx nong san" in doc
    assert db.session.scalar(select(StarPeriod.stars)) == 4


def test_reindex_catalogue_rewrites_everything_after_a_bulk_load(client, runner, make_product):
    make_product(name="Nem chua", stars=5)
    make_product(name="Chè lam")
    conn = db.session.connection()
    conn.execute(ProductSearch.__table__.delete())  # as if loaded with COPY
    conn.execute(StarPeriod.__table__.delete())
    db.session.commit()
    assert names_on(client.get("/?q=nem")) == []

    result = runner.invoke(args=["reindex-catalogue"])

    assert result.exit_code == 0, result.output
    db.session.close()
    assert names_on(client.get("/?q=nem")) == ["Nem chua"]
    assert names_on(client.get("/?stars=5")) == ["Nem chua"]
    assert db.session.scalar(select(func.count()).select_from(ProductSearch)) == 2
