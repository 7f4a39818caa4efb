"""Who was told about a recall, and when: one row per buyer's e-mail address and recalled lot."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db, utcnow


class RecallNotice(db.Model):
    """A buyer of a recalled lot, told once by e-mail (the outbox row is the message sent)."""

    __tablename__ = "recall_notices"
    __table_args__ = (UniqueConstraint("batch_id", "email", name="uq_recall_notices_batch_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # lower-cased: one notice per address
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), default="")
    order_codes: Mapped[list] = mapped_column(JSON, default=list)
    units: Mapped[int] = mapped_column(default=0)
    unpaid: Mapped[bool] = mapped_column(Boolean, default=False)  # only unpaid orders hold it
    told_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_outbox.id", ondelete="SET NULL")
    )

    outbox: Mapped["EmailOutbox | None"] = relationship()  # noqa: F821

    @property
    def sent_at(self) -> datetime | None:
        """When the e-mail actually left (None while it waits in the outbox)."""
        return self.outbox.sent_at if self.outbox is not None else None
