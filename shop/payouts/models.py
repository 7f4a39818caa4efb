"""A payout: one producer, one period, the figures as they were when it was paid."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import Percent, db, utcnow


class Payout(db.Model):
    """Money the cooperative sent a producer for the sales delivered from `period_start` to
    `period_end` (Vietnamese days, both included). The same period is never paid twice (the
    unique constraint), and no two payouts of a producer overlap (checked when recording)."""

    __tablename__ = "payouts"
    __table_args__ = (
        UniqueConstraint(
            "producer_id", "period_start", "period_end", name="uq_payouts_producer_period"
        ),
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        CheckConstraint("gross_vnd >= 0", name="gross_not_negative"),
        CheckConstraint("net_vnd = gross_vnd - commission_vnd - refunds_vnd", name="net_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="RESTRICT"), index=True
    )
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    gross_vnd: Mapped[int] = mapped_column(Integer)
    commission_percent: Mapped[Decimal] = mapped_column(Percent)
    commission_vnd: Mapped[int] = mapped_column(Integer)
    refunds_vnd: Mapped[int] = mapped_column(Integer)
    net_vnd: Mapped[int] = mapped_column(Integer)
    bank_reference: Mapped[str] = mapped_column(String(100))
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    producer: Mapped["Producer"] = relationship()  # noqa: F821
    paid_by: Mapped["User | None"] = relationship()  # noqa: F821
