"""Products, their photos and their OCOP certificates."""

import calendar
import itertools
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    DDL,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from shop.clock import local_today
from shop.extensions import db, enum_column, utcnow
from shop.i18n import format_number
from shop.producers.models import ApprovalStatus
from shop.text import fold

CERTIFICATE_VALID_MONTHS = 36


class OcopGroup(StrEnum):
    """The six OCOP product groups."""

    FOOD = "food"
    BEVERAGE = "beverage"
    HERBAL = "herbal"
    HANDICRAFT = "handicraft"
    ORNAMENTAL = "ornamental"
    TOURISM = "tourism"

    @property
    def label(self):
        """Translated when rendered (a lazy string), so class-level form choices work too."""
        return {
            "food": _l("Food"),
            "beverage": _l("Beverages"),
            "herbal": _l("Medicinal herbs and herbal products"),
            "handicraft": _l("Handicrafts"),
            "ornamental": _l("Ornamental plants and animals"),
            "tourism": _l("Community and eco-tourism services"),
        }[self.value]


class QuantityUnit(StrEnum):
    """Units a net quantity is declared in on the package."""

    GRAM = "g"
    KILOGRAM = "kg"
    MILLILITRE = "ml"
    LITRE = "l"
    PIECE = "pcs"


class CertificateStatus(StrEnum):
    """A producer enters a certificate; staff check it against the decision before stars show."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later, clamped to the month's end (29 Feb → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_vnd >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        Index("ix_products_created_at_id", "created_at", "id"),  # newest first, the default
        Index("ix_products_price_vnd", "price_vnd"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="RESTRICT"), index=True
    )
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    search_text: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    ocop_group: Mapped[OcopGroup] = mapped_column(enum_column(OcopGroup), index=True)
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True)
    unit: Mapped[str] = mapped_column(String(40))
    net_quantity: Mapped[int | None] = mapped_column(Integer)
    net_quantity_unit: Mapped[QuantityUnit | None] = mapped_column(enum_column(QuantityUnit))
    price_vnd: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[ApprovalStatus] = mapped_column(
        enum_column(ApprovalStatus), default=ApprovalStatus.PENDING, index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    review_note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    producer: Mapped["Producer"] = relationship(back_populates="products")  # noqa: F821
    photos: Mapped[list["ProductPhoto"]] = relationship(
        back_populates="product",
        order_by="ProductPhoto.position",
        cascade="all, delete-orphan",
    )
    certificates: Mapped[list["OcopCertificate"]] = relationship(
        back_populates="product",
        order_by="OcopCertificate.decision_date.desc()",
        cascade="all, delete-orphan",
    )

    batches: Mapped[list["Batch"]] = relationship(  # noqa: F821
        back_populates="product", order_by="Batch.id"
    )

    def __repr__(self) -> str:
        return f"<Product {self.slug}>"

    @property
    def is_listed(self) -> bool:
        """Shown to consumers: approved, active, and sold by an approved producer."""
        return (
            self.status == ApprovalStatus.APPROVED
            and self.is_active
            and self.producer.status == ApprovalStatus.APPROVED
        )

    def current_certificate(self, today: date | None = None) -> "OcopCertificate | None":
        """The verified, unexpired certificate with the most stars, if any."""
        current = [c for c in self.certificates if c.is_current(today)]
        return max(current, key=lambda c: (c.stars, c.decision_date), default=None)

    def lapsed_certificate(self, today: date | None = None) -> "OcopCertificate | None":
        """The latest verified certificate that has expired, when none is current (said plainly)."""
        today = today or local_today()
        if self.current_certificate(today) is not None:
            return None
        lapsed = [
            c
            for c in self.certificates
            if c.status == CertificateStatus.VERIFIED and c.expires_on <= today
        ]
        return max(lapsed, key=lambda c: c.decision_date, default=None)

    @property
    def ocop_stars(self) -> int | None:
        """Stars that may be shown today; None once the certificate has lapsed."""
        cert = self.current_certificate()
        return cert.stars if cert else None

    @property
    def cover(self) -> "ProductPhoto | None":
        return self.photos[0] if self.photos else None

    @property
    def net_quantity_text(self) -> str:
        if not self.net_quantity or not self.net_quantity_unit:
            return ""
        return f"{format_number(self.net_quantity)} {self.net_quantity_unit.value}"


@event.listens_for(Product, "before_insert")
@event.listens_for(Product, "before_update")
def _refresh_product_search_text(mapper, connection, product: Product) -> None:
    """Keep the folded copy used by diacritic-insensitive search (name first: it sorts by it)."""
    product.search_text = f"{fold(product.name)} {fold(product.description)}".strip()


class ProductPhoto(db.Model):
    __tablename__ = "product_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="photos")


class OcopCertificate(db.Model):
    __tablename__ = "ocop_certificates"
    __table_args__ = (CheckConstraint("stars BETWEEN 3 AND 5", name="certified_stars"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    decision_number: Mapped[str] = mapped_column(String(80))
    decision_date: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200))
    stars: Mapped[int] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus), default=CertificateStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    product: Mapped[Product] = relationship(back_populates="certificates")

    @validates("decision_date")
    def _set_expiry(self, key: str, decision_date: date) -> date:
        """The expiry follows the decision date; it is stored so catalogue filters can use it."""
        self.expires_on = add_months(decision_date, CERTIFICATE_VALID_MONTHS)
        return decision_date

    def is_current(self, today: date | None = None) -> bool:
        """Verified and within 36 months of the decision date."""
        today = today or local_today()
        return (
            self.status == CertificateStatus.VERIFIED
            and self.decision_date <= today < self.expires_on
        )

    @property
    def is_ministry_level(self) -> bool:
        """5★ is decided by the Ministry; 3–4★ by the provincial People's Committee."""
        return self.stars == 5


class ProductSearch(db.Model):
    """A product's folded words and its producer's, in one row: what search looks in.

    PostgreSQL finds `LIKE '%word%'` through a trigram index on `doc`; SQLite through the FTS5
    trigram table `product_search_fts` that mirrors this one (created with it, kept by triggers).
    Rows are kept in step with products and producers by shop.catalogue.upkeep.
    """

    __tablename__ = "product_search"
    __table_args__ = (
        Index(
            "ix_product_search_doc_trgm",
            "doc",
            postgresql_using="gin",
            postgresql_ops={"doc": "public.gin_trgm_ops"},
        ),
    )

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    doc: Mapped[str] = mapped_column(Text, default="")


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

event.listen(
    ProductSearch.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public").execute_if(dialect="postgresql"),
)
for _statement in SQLITE_SEARCH_DDL:
    event.listen(
        ProductSearch.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
event.listen(
    ProductSearch.__table__,
    "before_drop",
    DDL("DROP TABLE IF EXISTS product_search_fts").execute_if(dialect="sqlite"),
)


class StarPeriod(db.Model):
    """From starts_on until (not including) ends_on a product may show `stars`.

    The periods are the verified certificates folded into one line of time (where two overlap,
    the higher stars win), so "stars today" is one indexed lookup: starts_on <= today < ends_on.
    A lapsed certificate's period has ended, so it never shows stars, whatever day it is read.
    Kept in step with the certificates by shop.catalogue.upkeep.
    """

    __tablename__ = "product_star_periods"
    __table_args__ = (
        CheckConstraint("starts_on < ends_on", name="period_not_empty"),
        Index("ix_product_star_periods_product_dates", "product_id", "starts_on", "ends_on"),
        Index("ix_product_star_periods_stars_dates", "stars", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    stars: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


def star_periods(certificates) -> list[tuple[int, date, date]]:
    """(stars, starts_on, ends_on) of verified certificates' (stars, decision_date, expires_on),
    folded into non-overlapping periods, the best stars winning, equal neighbours merged."""
    bounds = sorted({d for _stars, start, end in certificates for d in (start, end)})
    periods: list[tuple[int, date, date]] = []
    for start, end in itertools.pairwise(bounds):
        best = max((s for s, a, b in certificates if a <= start and end <= b), default=None)
        if best is None:
            continue
        if periods and periods[-1][0] == best and periods[-1][2] == start:
            periods[-1] = (best, periods[-1][1], end)
        else:
            periods.append((best, start, end))
    return periods
