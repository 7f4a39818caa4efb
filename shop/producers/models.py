"""Producers: the farms, households and cooperatives that sell through the shop."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import Percent, db, enum_column, utcnow
from shop.places.models import Located
from shop.text import fold


class ApprovalStatus(StrEnum):
    """Where a producer or a product stands with the cooperative's staff."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self):
        """Translated when rendered (a lazy string), so class-level form choices work too."""
        return {
            "pending": _l("Awaiting approval"),
            "approved": _l("Approved"),
            "rejected": _l("Rejected"),
        }[self.value]


class Producer(Located, db.Model):
    __tablename__ = "producers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    search_text: Mapped[str] = mapped_column(String(400), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    # The district before July 2025, only as a "formerly" note beside the new address.
    district: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    photo: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[ApprovalStatus] = mapped_column(
        enum_column(ApprovalStatus), default=ApprovalStatus.PENDING, index=True
    )
    review_note: Mapped[str] = mapped_column(String(500), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The cooperative's share of this producer's sales, in %; None: COMMISSION_PERCENT.
    commission_percent: Mapped[Decimal | None] = mapped_column(Percent)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    users: Mapped[list["User"]] = relationship(  # noqa: F821
        back_populates="producer", foreign_keys="User.producer_id"
    )
    products: Mapped[list["Product"]] = relationship(back_populates="producer")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Producer {self.slug}>"

    @property
    def is_approved(self) -> bool:
        return self.status == ApprovalStatus.APPROVED


@event.listens_for(Producer, "before_insert")
@event.listens_for(Producer, "before_update")
def _refresh_producer_search_text(mapper, connection, producer: Producer) -> None:
    """Searching 'ba lang' finds the products of 'HTX Nước mắm Ba Làng'."""
    words = (producer.name, producer.commune, producer.province, producer.district)
    producer.search_text = fold(" ".join(w for w in words if w))[:400]
