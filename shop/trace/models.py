"""Where food comes from: growing areas, packing houses, batches (lots) and their events."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from shop.clock import local_today
from shop.extensions import db, enum_column, utcnow
from shop.places.models import Located


class CodeStatus(StrEnum):
    """A growing-area or packing-house code as the plant-protection authority left it."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"

    @property
    def label(self):
        return {
            "active": _l("Active"),
            "suspended": _l("Suspended"),
            "revoked": _l("Revoked"),
        }[self.value]


class GapScheme(StrEnum):
    """Good agricultural practice certification of a growing area."""

    VIETGAP = "vietgap"
    GLOBALGAP = "globalgap"

    @property
    def label(self) -> str:
        return {"vietgap": "VietGAP", "globalgap": "GlobalG.A.P."}[self.value]


def normalise_code(code: str | None) -> str:
    """Codes have no published format: keep them as issued, trimmed and upper-cased."""
    return " ".join((code or "").split()).upper()


class RegisteredCode(Located):
    """Columns and rules shared by growing-area and packing-house codes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[CodeStatus] = mapped_column(enum_column(CodeStatus), default=CodeStatus.ACTIVE)
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    district: Mapped[str | None] = mapped_column(String(100))  # before July 2025: "formerly"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @declared_attr
    def producer_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("producers.id", ondelete="RESTRICT"), index=True)

    def is_valid(self, today: date | None = None) -> bool:
        """Active and not past its expiry: the only state in which it may be shown as valid."""
        today = today or local_today()
        return self.status == CodeStatus.ACTIVE and (
            self.expires_on is None or today <= self.expires_on
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and local_today() > self.expires_on


class GrowingArea(RegisteredCode, db.Model):
    """Mã số vùng trồng: a registered growing area."""

    __tablename__ = "growing_areas"
    __table_args__ = (
        CheckConstraint("area_m2 IS NULL OR area_m2 > 0", name="area_positive"),
        CheckConstraint("households IS NULL OR households >= 0", name="households_not_negative"),
    )

    name: Mapped[str] = mapped_column(String(160))
    crop: Mapped[str] = mapped_column(String(120))
    area_m2: Mapped[int | None] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    polygon: Mapped[dict | None] = mapped_column(JSON)  # a GeoJSON Polygon geometry
    gap_scheme: Mapped[GapScheme | None] = mapped_column(enum_column(GapScheme))
    gap_certificate_no: Mapped[str] = mapped_column(String(80), default="")
    gap_expires_on: Mapped[date | None] = mapped_column(Date)
    expected_yield_kg: Mapped[int | None] = mapped_column(Integer)

    producer: Mapped["Producer"] = relationship()  # noqa: F821
    batches: Mapped[list["Batch"]] = relationship(back_populates="growing_area")

    def __repr__(self) -> str:
        return f"<GrowingArea {self.code} {self.status}>"

    @property
    def area_hectares(self) -> float | None:
        """Stored in square metres (an integer); shown in hectares."""
        return None if self.area_m2 is None else self.area_m2 / 10_000

    def gap_is_current(self, today: date | None = None) -> bool:
        today = today or local_today()
        return self.gap_scheme is not None and (
            self.gap_expires_on is None or today <= self.gap_expires_on
        )


class PackingHouse(RegisteredCode, db.Model):
    """Mã số cơ sở đóng gói: a registered packing house."""

    __tablename__ = "packing_houses"

    name: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(String(200), default="")

    producer: Mapped["Producer"] = relationship()  # noqa: F821
    batches: Mapped[list["Batch"]] = relationship(back_populates="packing_house")

    def __repr__(self) -> str:
        return f"<PackingHouse {self.code} {self.status}>"


class Batch(db.Model):
    """A lot of one product: what the QR label at /01/<gtin>/10/<lot> tells about."""

    __tablename__ = "batches"
    __table_args__ = (
        UniqueConstraint("product_id", "lot", name="uq_batches_product_lot"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("units_left >= 0", name="units_left_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    lot: Mapped[str] = mapped_column(String(20))
    growing_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("growing_areas.id", ondelete="RESTRICT"), index=True
    )
    packing_house_id: Mapped[int | None] = mapped_column(
        ForeignKey("packing_houses.id", ondelete="RESTRICT"), index=True
    )
    harvest_date: Mapped[date | None] = mapped_column(Date)
    packing_date: Mapped[date | None] = mapped_column(Date)
    best_before: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_unit: Mapped[str] = mapped_column(String(20))
    on_sale: Mapped[bool] = mapped_column(default=True)
    # Sale units of this lot still unsold; orders take from the oldest packed lot first.
    units_left: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set once, by a recall: from then on no order line is allocated from this lot.
    recalled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    product: Mapped["Product"] = relationship(back_populates="batches")  # noqa: F821
    growing_area: Mapped[GrowingArea | None] = relationship(back_populates="batches")
    packing_house: Mapped[PackingHouse | None] = relationship(back_populates="batches")
    events: Mapped[list["BatchEvent"]] = relationship(
        back_populates="batch", order_by="BatchEvent.seq", foreign_keys="BatchEvent.batch_id"
    )

    def __repr__(self) -> str:
        return f"<Batch {self.lot} of product {self.product_id}>"

    @property
    def recall(self) -> "BatchEvent | None":
        """The recall event of this lot's chain (its details hold the reason and the advice)."""
        return next((e for e in self.events if e.type == EventType.RECALL), None)


class EventType(StrEnum):
    """The steps of a batch's life that a farmer records (one step back, one step forward)."""

    PLANTING = "planting"
    INPUT_APPLIED = "input_applied"
    HARVEST = "harvest"
    PROCESSING = "processing"
    PACKING = "packing"
    LAB_TEST = "lab_test"
    SHIPPING = "shipping"
    RECALL = "recall"  # written only by shop.recalls.recalls.recall_batch
    PARTNER_STEP = "partner_step"  # captured over EPCIS from a partner (shop.epcis.capture)

    @property
    def label(self):
        return {
            "planting": _l("Planting"),
            "input_applied": _l("Input applied"),
            "harvest": _l("Harvest"),
            "processing": _l("Processing"),
            "packing": _l("Packing"),
            "lab_test": _l("Lab test / certification"),
            "shipping": _l("Shipping"),
            "recall": _l("Recall"),
            "partner_step": _l("Step recorded by a partner"),
        }[self.value]


class BatchEvent(db.Model):
    """One append-only event. `hash` covers its content and the previous event's hash."""

    __tablename__ = "batch_events"
    __table_args__ = (UniqueConstraint("batch_id", "seq", name="uq_batch_events_batch_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[EventType] = mapped_column(enum_column(EventType))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Ho_Chi_Minh")
    place: Mapped[str] = mapped_column(String(200), default="")
    actor: Mapped[str] = mapped_column(String(160), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("batch_events.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    batch: Mapped[Batch] = relationship(back_populates="events", foreign_keys=[batch_id])
    corrects: Mapped["BatchEvent | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<BatchEvent {self.batch_id}#{self.seq} {self.type}>"
