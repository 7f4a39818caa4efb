"""Scans of QR labels: when, and the province only if the consumer chose to tell it."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db, utcnow


class Scan(db.Model):
    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    serial_id: Mapped[int | None] = mapped_column(
        ForeignKey("label_serials.id", ondelete="CASCADE"), index=True
    )
    scanned_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    province: Mapped[str | None] = mapped_column(String(100))
    province_code: Mapped[int | None] = mapped_column(Integer, index=True)
