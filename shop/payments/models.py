"""Money received (and refunded), provider events seen once, and transfers staff must look at."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db, enum_column, utcnow


class Provider(StrEnum):
    SEPAY = "sepay"
    CASSO = "casso"
    STRIPE = "stripe"
    MANUAL = "manual"  # a transfer staff saw on the bank statement (demo mode, or no webhook)


class Payment(db.Model):
    """Money that reached the cooperative for an order; (provider, reference) is seen once."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("provider", "reference", name="uq_payments_provider_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"), index=True)
    provider: Mapped[Provider] = mapped_column(enum_column(Provider))
    reference: Mapped[str] = mapped_column(String(255))
    amount_vnd: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    refunded_vnd: Mapped[int] = mapped_column(Integer, default=0)
    refund_reference: Mapped[str | None] = mapped_column(String(255))
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    raw: Mapped[dict | None] = mapped_column(JSON)

    order: Mapped["Order"] = relationship(back_populates="payments")  # noqa: F821


class WebhookEvent(db.Model):
    """Every provider event id handled, unique, written in the same transaction as its effect."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        UniqueConstraint("provider", "event_id", name="uq_webhook_events_provider_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[Provider] = mapped_column(enum_column(Provider))
    event_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(100), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewReason(StrEnum):
    SHORT_PAYMENT = "short_payment"
    OVERPAYMENT = "overpayment"
    EXPIRED_ORDER = "expired_order"
    CANCELLED_ORDER = "cancelled_order"
    ALREADY_PAID = "already_paid"
    UNMATCHED = "unmatched"
    WRONG_ACCOUNT = "wrong_account"
    AMOUNT_MISMATCH = "amount_mismatch"  # a card payment whose amount or currency differs
    REFUND_DUE = "refund_due"  # a cancelled order paid by bank transfer: staff send it back

    @property
    def label(self):
        return {
            "short_payment": _l("Less than the order total"),
            "overpayment": _l("More than the order total"),
            "expired_order": _l("Paid after the order expired"),
            "cancelled_order": _l("Paid for a cancelled order"),
            "already_paid": _l("Order was already paid"),
            "unmatched": _l("No order matches the transfer"),
            "wrong_account": _l("Sent to another account"),
            "amount_mismatch": _l("Amount or currency differs from the order"),
            "refund_due": _l("Refund the customer by bank transfer"),
        }[self.value]


class PaymentReview(db.Model):
    """A transfer the shop could not settle by itself: kept whole, for staff to resolve."""

    __tablename__ = "payment_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[Provider] = mapped_column(enum_column(Provider))
    reference: Mapped[str] = mapped_column(String(255))
    reason: Mapped[ReviewReason] = mapped_column(enum_column(ReviewReason), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    amount_vnd: Mapped[int] = mapped_column(Integer)
    memo: Mapped[str] = mapped_column(String(500), default="")
    raw: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    order: Mapped["Order | None"] = relationship()  # noqa: F821


class RefundStatus(StrEnum):
    DUE = "due"  # decided and recorded; the money has not gone back yet
    DONE = "done"  # the money went back (Stripe confirmed it, or staff sent the transfer)

    @property
    def label(self):
        return {"due": _l("To be refunded"), "done": _l("Refunded")}[self.value]


class Refund(db.Model):
    """Money going back to a customer: decided inside the transaction that cancels or refunds,
    sent afterwards (Stripe is called after the commit; a bank transfer by staff).

    A partial refund (a damaged item) always names its order line, so payouts deduct it from
    that line's producer; only the refund of a whole cancelled order has no line (the order is
    never delivered, so its lines are never paid out). Payouts count refunds by `refunded_at`,
    the moment the money went back. `payment_id` is the payment the money goes back through.
    """

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint("status <> 'done' OR refunded_at IS NOT NULL", name="done_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("order_lines.id", ondelete="RESTRICT"), index=True
    )
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payments.id", ondelete="RESTRICT"), index=True
    )
    amount_vnd: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    reference: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[RefundStatus] = mapped_column(
        enum_column(RefundStatus), default=RefundStatus.DUE, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    order: Mapped["Order"] = relationship(back_populates="refunds")  # noqa: F821
    order_line: Mapped["OrderLine | None"] = relationship()  # noqa: F821
    payment: Mapped[Payment | None] = relationship()
    created_by: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def stripe_idempotency_key(self) -> str:
        """The same for every attempt at this refund: Stripe answers a retry with the first."""
        return f"refund-r{self.id}"
