"""Serialised labels: each printed label gets its own random serial."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db, utcnow


class LabelRun(db.Model):
    """One print job of serialised labels for a batch."""

    __tablename__ = "label_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    layout: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    batch: Mapped["Batch"] = relationship()  # noqa: F821
    serials: Mapped[list["LabelSerial"]] = relationship(
        back_populates="run", order_by="LabelSerial.id"
    )


class LabelSerial(db.Model):
    """A serial printed on one label; scans are counted on it to spot copied labels."""

    __tablename__ = "label_serials"
    __table_args__ = (UniqueConstraint("batch_id", "serial", name="uq_label_serials_batch_serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("label_runs.id", ondelete="RESTRICT"), index=True
    )
    serial: Mapped[str] = mapped_column(String(20))
    scan_count: Mapped[int] = mapped_column(Integer, default=0)
    first_scanned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_scanned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    run: Mapped[LabelRun] = relationship(back_populates="serials")
