"""Migration 0004p: rows written with districts get the commune/ward codes of 2025, or keep
what they had (district as "formerly", no code) when the mapping cannot tell. Never fails."""

import uuid
from contextlib import ExitStack
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from shop import create_app
from shop.extensions import db
from tests.conftest import postgres_schema

pytestmark = pytest.mark.both_databases  # a migration

PRODUCER = (
    "INSERT INTO producers (slug, name, search_text, story, address, commune, district, "
    "province, phone, email, status, review_note, created_at, updated_at) VALUES "
    "(:slug, :name, '', '', '', :commune, :district, :province, '', '', 'approved', '', "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


@pytest.fixture
def app_at_0003(database_url, tmp_path):
    """An app whose database stops at revision 0003, as a shop upgraded from before 2025:
    SQLite in the test's own new file, PostgreSQL in a new schema of its own."""
    with ExitStack() as stack:
        if not database_url.startswith("sqlite"):
            schema = postgres_schema(make_url(database_url), f"places_{uuid.uuid4().hex[:10]}")
            database_url = stack.enter_context(schema)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "UPLOAD_FOLDER": str(tmp_path),
            }
        )
        with app.app_context():
            upgrade(revision="0003")
            yield app
            downgrade(revision="base")
            db.session.remove()
            db.engine.dispose()


def rows(sql: str) -> list:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_old_rows_get_their_new_commune_or_keep_their_district(app_at_0003):
    producers = [
        ("banh-gai", "Bánh gai Tứ Trụ", "Xã Thọ Diên", "Thọ Xuân", "Thanh Hóa"),
        ("nuoc-mam", "Nước mắm Ba Làng", "Phường Hải Thanh", "Nghi Sơn", "Thanh Hóa"),
        ("lang-xa", "Chè Cẩm Ngọc", "Xã Cẩm Ngọc", "Cẩm Thủy", "Thanh Hóa"),  # not mapped
        ("no-commune", "HTX Không xã", "", "Thọ Xuân", "Thanh Hóa"),
        ("elsewhere", "HTX Hà Nội", "Xã Lạ", "", "Hà Nội"),
    ]
    columns = ("slug", "name", "commune", "district", "province")
    with db.engine.begin() as conn:
        for values in producers:
            conn.execute(text(PRODUCER), dict(zip(columns, values, strict=True)))

    upgrade()

    found = {
        r[0]: r[1:]
        for r in rows(
            "SELECT slug, commune, commune_code, province, province_code, district, search_text "
            "FROM producers"
        )
    }
    assert found["banh-gai"][:5] == ("Xã Xuân Hòa", 15520, "Thanh Hóa", 38, "Thọ Xuân")
    assert "xuan hoa" in found["banh-gai"][5] and "tho xuan" in found["banh-gai"][5]
    assert found["nuoc-mam"][:5] == ("Phường Tĩnh Gia", 16561, "Thanh Hóa", 38, "Nghi Sơn")
    assert found["lang-xa"][:5] == ("Xã Cẩm Ngọc", None, "Thanh Hóa", 38, "Cẩm Thủy")
    assert found["no-commune"][:5] == ("", None, "Thanh Hóa", 38, "Thọ Xuân")
    assert found["elsewhere"][:5] == ("Xã Lạ", None, "Thành phố Hà Nội", 1, None)


def insert(conn, table: str, **values) -> None:
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES (:{', :'.join(values)})"), values)


def test_scans_and_orders_keep_their_province_with_its_code(app_at_0003):
    """A scan's province was one of 34 names of our own list; now the package's, with a code."""
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        place = {"commune": "", "district": "", "province": "Thanh Hóa"}
        conn.execute(text(PRODUCER), {"slug": "p", "name": "P", **place})
        insert(
            conn, "products", producer_id=1, slug="p", name="P", search_text="", description="",
            ocop_group="food", unit="hộp", price_vnd=1, stock=1, status="approved",
            is_active=True, review_note="", created_at=now, updated_at=now,
        )  # fmt: skip
        insert(
            conn, "batches", product_id=1, lot="L1", quantity=1, quantity_unit="kg",
            on_sale=True, created_at=now,
        )  # fmt: skip
        for province in ("Hà Nội", "Thanh Hóa", None):
            insert(conn, "scans", batch_id=1, scanned_at=now, province=province)
        insert(
            conn, "orders", code="DH1", token_hash="x", status="paid", payment_method="vietqr",
            customer_name="Lan", phone="0912345678", email="a@b.vn", address="1 Lê Lợi",
            province="Huế", note="", subtotal_vnd=1, shipping_vnd=0, total_vnd=1,
            created_at=now, expires_at=now,
        )  # fmt: skip

    upgrade()

    assert rows("SELECT province, province_code FROM scans ORDER BY id") == [
        ("Thành phố Hà Nội", 1),
        ("Thanh Hóa", 38),
        (None, None),
    ]
    assert rows("SELECT province, province_code, commune, commune_code FROM orders") == [
        ("Thành phố Huế", 46, "", None)
    ]
