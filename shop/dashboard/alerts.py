"""What needs someone's attention today: one query per kind, each list short."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from shop.catalogue.models import CertificateStatus, OcopCertificate, Product
from shop.checkout.models import Order, OrderLine, OrderStatus
from shop.extensions import db
from shop.payments.models import PaymentReview
from shop.producers.models import ApprovalStatus
from shop.trace.models import CodeStatus, GrowingArea

SOON_DAYS = 60
LIMIT = 20


@dataclass(frozen=True)
class Alerts:
    low_stock: list
    certificates: list
    codes: list
    unpaid: list
    reviews: int
    unprepared: list  # (producer name, lines, oldest paid_at)

    @property
    def count(self) -> int:
        lists = (self.low_stock, self.certificates, self.codes, self.unpaid, self.unprepared)
        return sum(len(found) for found in lists) + (1 if self.reviews else 0)


def alerts(today: date, now: datetime) -> Alerts:
    return Alerts(
        low_stock=low_stock(),
        certificates=expiring_certificates(today),
        codes=codes_to_watch(today),
        unpaid=unpaid_expiring(now),
        reviews=open_reviews(),
        unprepared=unprepared_lines(),
    )


def low_stock() -> list[Product]:
    """Listed products with LOW_STOCK_UNITS or fewer left, fewest first."""
    threshold = current_app.config.get("LOW_STOCK_UNITS", 5)
    return list(
        db.session.scalars(
            select(Product)
            .options(joinedload(Product.producer))
            .where(
                Product.is_active.is_(True),
                Product.status == ApprovalStatus.APPROVED,
                Product.stock <= threshold,
            )
            .order_by(Product.stock, Product.name)
            .limit(LIMIT)
        )
    )


def expiring_certificates(today: date) -> list[OcopCertificate]:
    """Verified OCOP certificates whose 36 months end within SOON_DAYS: the stars go then."""
    return list(
        db.session.scalars(
            select(OcopCertificate)
            .options(joinedload(OcopCertificate.product))
            .where(
                OcopCertificate.status == CertificateStatus.VERIFIED,
                OcopCertificate.expires_on >= today,
                OcopCertificate.expires_on <= today + timedelta(days=SOON_DAYS),
            )
            .order_by(OcopCertificate.expires_on)
            .limit(LIMIT)
        )
    )


def codes_to_watch(today: date) -> list[GrowingArea]:
    """Growing-area codes suspended, or active but expired or expiring within SOON_DAYS."""
    return list(
        db.session.scalars(
            select(GrowingArea)
            .options(joinedload(GrowingArea.producer))
            .where(
                or_(
                    GrowingArea.status == CodeStatus.SUSPENDED,
                    (GrowingArea.status == CodeStatus.ACTIVE)
                    & (GrowingArea.expires_on <= today + timedelta(days=SOON_DAYS)),
                )
            )
            .order_by(GrowingArea.status.desc(), GrowingArea.expires_on, GrowingArea.code)
            .limit(LIMIT)
        )
    )


def unpaid_expiring(now: datetime, minutes: int = 10) -> list[Order]:
    """Orders awaiting payment whose stock is released within `minutes`."""
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.status == OrderStatus.PENDING_PAYMENT,
                Order.expires_at > now,
                Order.expires_at <= now + timedelta(minutes=minutes),
            )
            .order_by(Order.expires_at)
            .limit(LIMIT)
        )
    )


def open_reviews() -> int:
    """Transfers waiting for a decision in the review queue."""
    return db.session.scalar(
        select(func.count(PaymentReview.id)).where(PaymentReview.resolved_at.is_(None))
    )


def unprepared_lines() -> list[tuple[str, int, datetime]]:
    """Per producer: lines of paid orders not packed yet, and since when the oldest waits."""
    lines = func.count(OrderLine.id)
    return list(
        db.session.execute(
            select(OrderLine.producer_name, lines, func.min(Order.paid_at))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status == OrderStatus.PAID)
            .group_by(OrderLine.producer_name)
            .order_by(func.min(Order.paid_at))
            .limit(LIMIT)
        )
    )
