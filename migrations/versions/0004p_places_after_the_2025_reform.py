"""places: commune/ward and province codes (vietnam-provinces) on producers, growing areas,
packing houses, orders and scans; the old district kept only as a "formerly" note

Existing rows are migrated: an old (district, commune) in the mapping (shop/places/data) or a
commune already written with its new name gets the new commune's code and names; anything else
keeps what it had, with no code, and its district as the "formerly" note. Never fails on data.

Revision ID: 0004p
Revises: 0005s2
Create Date: 2026-12-01 20:50:00

"""

from alembic import op
import sqlalchemy as sa

from shop.places.directory import find_province
from shop.places.former import new_commune
from shop.text import fold


# revision identifiers, used by Alembic.
revision = "0004p"
down_revision = "0005s2"
branch_labels = None
depends_on = None

LOCATED = ("producers", "growing_areas", "packing_houses")


def _add_codes(batch_op, table):
    batch_op.add_column(sa.Column("commune_code", sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column("province_code", sa.Integer(), nullable=True))
    batch_op.create_index(batch_op.f(f"ix_{table}_commune_code"), ["commune_code"], unique=False)
    batch_op.create_index(batch_op.f(f"ix_{table}_province_code"), ["province_code"], unique=False)


def upgrade():
    for table in LOCATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            _add_codes(batch_op, table)
            batch_op.alter_column("district", existing_type=sa.String(length=100), nullable=True)
            if table == "producers":
                batch_op.drop_index(batch_op.f("ix_producers_district"))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("commune", sa.String(length=100), nullable=False, server_default="")
        )
        _add_codes(batch_op, "orders")
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province_code", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_scans_province_code"), ["province_code"], unique=False)
    _migrate_rows()


def _migrate_rows():
    conn = op.get_bind()
    for table in LOCATED:
        t = sa.table(
            table,
            sa.column("id"),
            sa.column("commune"),
            sa.column("district"),
            sa.column("province"),
            sa.column("commune_code"),
            sa.column("province_code"),
            *([sa.column("name"), sa.column("search_text")] if table == "producers" else []),
        )
        for row in conn.execute(sa.select(t)).mappings().all():
            values = _place_of(row["commune"], row["district"], row["province"])
            if table == "producers":
                words = (
                    row["name"],
                    values["commune"],
                    values["province"],
                    values["district"] or "",
                )
                values["search_text"] = fold(" ".join(words))[:400]
            conn.execute(sa.update(t).where(t.c.id == row["id"]).values(**values))
    for table in ("orders", "scans"):
        t = sa.table(table, sa.column("province"), sa.column("province_code"))
        for (name,) in conn.execute(sa.select(t.c.province).distinct()).all():
            found = find_province(name) if name else None
            if found is not None:
                conn.execute(
                    sa.update(t)
                    .where(t.c.province == name)
                    .values(province=found.name, province_code=found.code)
                )


def _place_of(commune, district, province):
    """The new place of an old row; what cannot be mapped stays as it was, without a code."""
    district = (district or "").strip() or None
    found = new_commune(district, commune, province)
    if found is not None:
        new_province = find_province(found.province_code)
        return {
            "commune": found.name,
            "commune_code": found.code,
            "province": new_province.name,
            "province_code": new_province.code,
            "district": district,
        }
    known = find_province(province) if province else None
    return {
        "commune": commune or "",
        "commune_code": None,
        "province": known.name if known else (province or ""),
        "province_code": known.code if known else None,
        "district": district,
    }


def downgrade():
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scans_province_code"))
        batch_op.drop_column("province_code")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_province_code"))
        batch_op.drop_index(batch_op.f("ix_orders_commune_code"))
        batch_op.drop_column("province_code")
        batch_op.drop_column("commune_code")
        batch_op.drop_column("commune")
    for table in reversed(LOCATED):
        op.execute(sa.text(f"UPDATE {table} SET district = '' WHERE district IS NULL"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "producers":
                batch_op.create_index(
                    batch_op.f("ix_producers_district"), ["district"], unique=False
                )
            batch_op.alter_column("district", existing_type=sa.String(length=100), nullable=False)
            batch_op.drop_index(batch_op.f(f"ix_{table}_province_code"))
            batch_op.drop_index(batch_op.f(f"ix_{table}_commune_code"))
            batch_op.drop_column("province_code")
            batch_op.drop_column("commune_code")
