"""Orders and their lines, the account cart, and the one table of allowed status changes."""

import hashlib
import hmac
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db, enum_column, utcnow
from shop.places.models import Located
from shop.text import fold


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def label(self):
        return {
            "pending_payment": _l("Awaiting payment"),
            "paid": _l("Paid"),
            "packed": _l("Packed"),
            "shipped": _l("Shipped"),
            "delivered": _l("Delivered"),
            "cancelled": _l("Cancelled"),
            "expired": _l("Expired"),
        }[self.value]


S = OrderStatus
# Every allowed status change, and only these. Cancelling a paid order refunds it.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED, S.EXPIRED}),
    S.PAID: frozenset({S.PACKED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}
# The moment each status was reached is kept on the order.
TIMESTAMPS = {
    S.PAID: "paid_at",
    S.PACKED: "packed_at",
    S.SHIPPED: "shipped_at",
    S.DELIVERED: "delivered_at",
    S.CANCELLED: "cancelled_at",
    S.EXPIRED: "expired_at",
}


class InvalidTransition(ValueError):
    """A status change that TRANSITIONS does not allow."""


class PaymentMethod(StrEnum):
    VIETQR = "vietqr"
    STRIPE = "stripe"

    @property
    def label(self):
        return {"vietqr": _l("Bank transfer (VietQR)"), "stripe": _l("Card")}[self.value]


class Carrier(StrEnum):
    """The carriers Vietnamese shops hand parcels to, and the cooperative's own delivery."""

    GHN = "ghn"
    GHTK = "ghtk"
    VIETTEL_POST = "viettel_post"
    VNPOST = "vnpost"
    JT = "jt"
    OWN = "own"

    @property
    def label(self):
        return {
            "ghn": "GHN",
            "ghtk": "GHTK",
            "viettel_post": "Viettel Post",
            "vnpost": "VNPost",
            "jt": "J&T Express",
            "own": _l("The cooperative's own delivery"),
        }[self.value]

    def tracking_url(self, tracking_number: str | None) -> str | None:
        """The carrier's public tracking page for this parcel; None for our own delivery."""
        template = TRACKING_URLS.get(self)
        if template is None or not tracking_number:
            return None
        return template.format(quote(tracking_number, safe=""))


TRACKING_URLS = {
    Carrier.GHN: "https://donhang.ghn.vn/?order_code={}",
    Carrier.GHTK: "https://i.ghtk.vn/{}",
    Carrier.VIETTEL_POST: "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?orderNumber={}",
    Carrier.VNPOST: "https://vnpost.vn/tra-cuu-hanh-trinh/buu-pham?key={}",
    Carrier.JT: "https://jtexpress.vn/vi/tracking?type=track&billcode={}",
}


def hash_token(token: str) -> str:
    """Order tokens are stored hashed: a leaked database does not open anyone's order page."""
    return hashlib.sha256(token.encode()).hexdigest()


class Order(Located, db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("subtotal_vnd >= 0", name="subtotal_not_negative"),
        CheckConstraint("shipping_vnd >= 0", name="shipping_not_negative"),
        CheckConstraint("total_vnd = subtotal_vnd + shipping_vnd", name="total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[OrderStatus] = mapped_column(
        enum_column(OrderStatus), default=OrderStatus.PENDING_PAYMENT, index=True
    )
    payment_method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    customer_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(String(500), default="")
    subtotal_vnd: Mapped[int] = mapped_column(Integer)
    shipping_vnd: Mapped[int] = mapped_column(Integer)
    total_vnd: Mapped[int] = mapped_column(Integer)
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    packed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    carrier: Mapped[Carrier | None] = mapped_column(enum_column(Carrier))
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    # The order desk finds an order by code, phone or name, diacritics ignored (shop.text.fold).
    search_text: Mapped[str] = mapped_column(String(400), default="")

    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    payments: Mapped[list["Payment"]] = relationship(  # noqa: F821
        back_populates="order", order_by="Payment.id"
    )
    refunds: Mapped[list["Refund"]] = relationship(  # noqa: F821
        back_populates="order", order_by="Refund.id"
    )
    status_changes: Mapped[list["OrderStatusChange"]] = relationship(
        back_populates="order",
        order_by="OrderStatusChange.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Order {self.code} {self.status}>"

    def can_transition(self, to: OrderStatus) -> bool:
        return to in TRANSITIONS[self.status]

    def transition(
        self, to: OrderStatus, at: datetime | None = None, by=None, note: str = ""
    ) -> None:
        """Move to `to` if TRANSITIONS allows it, stamping the time and writing the change to
        the order's history (who: `by`, a user, or None for the shop itself; why: `note`);
        InvalidTransition if not. The one place an order's status changes."""
        if not self.can_transition(to):
            raise InvalidTransition(f"{self.code}: {self.status} → {to} is not allowed")
        at = at or utcnow()
        self.status_changes.append(
            OrderStatusChange(
                from_status=self.status,
                to_status=to,
                changed_at=at,
                changed_by_id=getattr(by, "id", None),
                note=note[:500],
            )
        )
        self.status = to
        setattr(self, TIMESTAMPS[to], at)

    @property
    def tracking_url(self) -> str | None:
        return self.carrier.tracking_url(self.tracking_number) if self.carrier else None

    def check_token(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.token_hash, hash_token(token))

    @property
    def holds_stock(self) -> bool:
        """Reserved or sold units: everything but an expired or cancelled order."""
        return self.status not in (OrderStatus.CANCELLED, OrderStatus.EXPIRED)


def order_search_text(code: str, phone: str, name: str) -> str:
    """What the order desk's search box matches: 'dh7k3m9q2x 0912345678 nguyen thi hoa'."""
    return fold(f"{code} {phone} {name}")[:400]


@event.listens_for(Order, "before_insert")
@event.listens_for(Order, "before_update")
def _refresh_order_search_text(mapper, connection, order: Order) -> None:
    order.search_text = order_search_text(order.code, order.phone, order.customer_name)


class OrderStatusChange(db.Model):
    """One status change of an order: from what, to what, when, by whom (None: the shop itself,
    e.g. a payment webhook or the expiry job) and why. Written only by Order.transition."""

    __tablename__ = "order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    to_status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")

    order: Mapped[Order] = relationship(back_populates="status_changes")
    changed_by: Mapped["User | None"] = relationship()  # noqa: F821


class OrderLine(db.Model):
    """What was sold, copied at the time: name, unit price, quantity and the lot (for recalls)."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_vnd >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True
    )
    producer_id: Mapped[int | None] = mapped_column(
        ForeignKey("producers.id", ondelete="SET NULL"), index=True
    )
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batches.id", ondelete="SET NULL"), index=True
    )
    product_name: Mapped[str] = mapped_column(String(160))
    producer_name: Mapped[str] = mapped_column(String(160))
    gtin: Mapped[str | None] = mapped_column(String(14))
    lot: Mapped[str | None] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(40))
    unit_price_vnd: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    commission_vnd: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped["Product | None"] = relationship()  # noqa: F821
    batch: Mapped["Batch | None"] = relationship()  # noqa: F821

    @property
    def total_vnd(self) -> int:
        return self.unit_price_vnd * self.quantity


class CartItem(db.Model):
    """A logged-in customer's cart, kept across devices (guests keep theirs in the session)."""

    __tablename__ = "cart_items"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", name="uq_cart_items_user_product"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    product: Mapped["Product"] = relationship()  # noqa: F821


class EmailOutbox(db.Model):
    """E-mails to customers, written in the same transaction as what they announce."""

    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
