"""A partner, its API key (stored hashed), the batches it may record about, what it captured."""

import hashlib
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db, utcnow


def hash_key(key: str) -> str:
    """Keys are 256 random bits: a SHA-256 of one finds it, and never gives it back."""
    return hashlib.sha256(key.encode()).hexdigest()


class Partner(db.Model):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    contact: Mapped[str] = mapped_column(String(254), default="")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_hint: Mapped[str] = mapped_column(
        String(16)
    )  # the key's first characters, to tell keys apart
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    grants: Mapped[list["PartnerGrant"]] = relationship(
        back_populates="partner", order_by="PartnerGrant.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Partner {self.name}>"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def may_record(self, batch_id: int) -> bool:
        return any(grant.batch_id == batch_id for grant in self.grants)


class PartnerGrant(db.Model):
    """The partner may record steps of this batch."""

    __tablename__ = "partner_grants"
    __table_args__ = (UniqueConstraint("partner_id", "batch_id", name="uq_partner_grants_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    partner: Mapped[Partner] = relationship(back_populates="grants")
    batch: Mapped["Batch"] = relationship()  # noqa: F821


class CapturedEvent(db.Model):
    """An EPCIS event a partner sent, and the chain entry it became: a replay finds it here."""

    __tablename__ = "captured_events"
    __table_args__ = (
        UniqueConstraint("epcis_event_id", "batch_id", name="uq_captured_events_event_batch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    epcis_event_id: Mapped[str] = mapped_column(String(255), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    batch_event_id: Mapped[int] = mapped_column(ForeignKey("batch_events.id", ondelete="RESTRICT"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    capture_id: Mapped[str] = mapped_column(String(36), index=True)
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
