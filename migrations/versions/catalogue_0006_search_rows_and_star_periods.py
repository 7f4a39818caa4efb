"""catalogue: product_search (folded words of a product and its producer, trigram-indexed:
pg_trgm GIN on PostgreSQL, an FTS5 trigram mirror on SQLite) and product_star_periods (the
verified certificates as periods of stars), with indexes for the filters and sorts

Both are backfilled from the existing rows; from then on shop.catalogue.upkeep keeps them.

Revision ID: catalogue_0006
Revises: 0004p
Create Date: 2026-12-07 15:30:00

"""

from alembic import op
import sqlalchemy as sa

from shop.catalogue.models import star_periods


# revision identifiers, used by Alembic.
revision = "catalogue_0006"
down_revision = "0004p"
branch_labels = None
depends_on = None

SQLITE_SEARCH_DDL = (
    "CREATE VIRTUAL TABLE product_search_fts USING fts5("
    "doc, content='product_search', content_rowid='product_id', tokenize='trigram')",
    "CREATE TRIGGER product_search_ai AFTER INSERT ON product_search BEGIN "
    "INSERT INTO product_search_fts(rowid, doc) VALUES (new.product_id, new.doc); END",
    "CREATE TRIGGER product_search_ad AFTER DELETE ON product_search BEGIN "
    "INSERT INTO product_search_fts(product_search_fts, rowid, doc) "
    "VALUES ('delete', old.product_id, old.doc); END",
    "CREATE TRIGGER product_search_au AFTER UPDATE ON product_search BEGIN "
    "INSERT INTO product_search_fts(product_search_fts, rowid, doc) "
    "VALUES ('delete', old.product_id, old.doc); "
    "INSERT INTO product_search_fts(rowid, doc) VALUES (new.product_id, new.doc); END",
)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    op.create_table(
        "product_search",
        sa.Column("product_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_search_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_search")),
    )
    op.create_index(
        "ix_product_search_doc_trgm",
        "product_search",
        ["doc"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"doc": "public.gin_trgm_ops"},
    )
    if dialect == "sqlite":
        for statement in SQLITE_SEARCH_DDL:
            op.execute(statement)
    op.execute(
        "INSERT INTO product_search (product_id, doc) "
        "SELECT products.id, products.search_text || ' ' || producers.search_text "
        "FROM products JOIN producers ON producers.id = products.producer_id"
    )

    op.create_table(
        "product_star_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "starts_on < ends_on", name=op.f("ck_product_star_periods_period_not_empty")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_star_periods_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_star_periods")),
    )
    op.create_index(
        "ix_product_star_periods_product_dates",
        "product_star_periods",
        ["product_id", "starts_on", "ends_on"],
        unique=False,
    )
    op.create_index(
        "ix_product_star_periods_stars_dates",
        "product_star_periods",
        ["stars", "starts_on", "ends_on"],
        unique=False,
    )
    _backfill_star_periods()
    op.create_index("ix_products_created_at_id", "products", ["created_at", "id"], unique=False)
    op.create_index("ix_products_price_vnd", "products", ["price_vnd"], unique=False)


def _backfill_star_periods():
    bind = op.get_bind()
    certificates = sa.table(
        "ocop_certificates",
        sa.column("product_id", sa.Integer),
        sa.column("stars", sa.Integer),
        sa.column("decision_date", sa.Date),
        sa.column("expires_on", sa.Date),
        sa.column("status", sa.String),
    )
    periods = sa.table(
        "product_star_periods",
        sa.column("product_id", sa.Integer),
        sa.column("stars", sa.Integer),
        sa.column("starts_on", sa.Date),
        sa.column("ends_on", sa.Date),
    )
    found = {}
    rows = bind.execute(
        sa.select(
            certificates.c.product_id,
            certificates.c.stars,
            certificates.c.decision_date,
            certificates.c.expires_on,
        ).where(certificates.c.status == "verified")
    )
    for product_id, stars, start, end in rows:
        found.setdefault(product_id, []).append((stars, start, end))
    values = [
        {"product_id": product_id, "stars": stars, "starts_on": start, "ends_on": end}
        for product_id, certs in found.items()
        for stars, start, end in star_periods(certs)
    ]
    if values:
        bind.execute(periods.insert(), values)


def downgrade():
    op.drop_index("ix_products_price_vnd", table_name="products")
    op.drop_index("ix_products_created_at_id", table_name="products")
    op.drop_index("ix_product_star_periods_stars_dates", table_name="product_star_periods")
    op.drop_index("ix_product_star_periods_product_dates", table_name="product_star_periods")
    op.drop_table("product_star_periods")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS product_search_fts")  # its triggers go with the table
    op.drop_index("ix_product_search_doc_trgm", table_name="product_search")
    op.drop_table("product_search")
