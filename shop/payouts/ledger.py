"""What the cooperative owes each producer for a period.

A sale is payable once its order is delivered, in the period of its delivery day (Vietnam).
gross = the goods' value of the producer's delivered lines (shipping fees stay with the
cooperative); commission = the producer's rate (else COMMISSION_PERCENT) of gross, rounded
half up to the đồng on the period's total; refunds = money sent back for the producer's lines
with refunded_at in the period; net = gross − commission − refunds.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from shop.audit.log import record
from shop.checkout.models import Order, OrderLine, OrderStatus
from shop.checkout.shipping import commission, shop_commission_percent
from shop.extensions import db
from shop.payments.models import Refund, RefundStatus
from shop.payouts.models import Payout
from shop.periods import utc_bounds
from shop.producers.models import Producer


class CannotPay(ValueError):
    """A payout that must not be recorded; the message says why."""


@dataclass(frozen=True)
class Figures:
    """One producer's payout for one period: computed now, or as recorded when it was paid."""

    producer: Producer
    first: date
    last: date
    gross_vnd: int
    commission_percent: Decimal
    commission_vnd: int
    refunds_vnd: int
    payout: Payout | None = None

    @property
    def net_vnd(self) -> int:
        return self.gross_vnd - self.commission_vnd - self.refunds_vnd

    @property
    def paid(self) -> Payout | None:
        """The payout of exactly this period, once recorded (else `payout` only overlaps it)."""
        payout = self.payout
        if payout is None or (payout.period_start, payout.period_end) != (self.first, self.last):
            return None
        return payout


def rate_of(producer: Producer) -> Decimal:
    if producer.commission_percent is None:
        return shop_commission_percent()
    return Decimal(producer.commission_percent)


def _delivered_in(first: date, last: date):
    start, end = utc_bounds(first, last)
    return and_(
        Order.status == OrderStatus.DELIVERED,
        Order.delivered_at >= start,
        Order.delivered_at < end,
    )


def _refunded_in(first: date, last: date):
    start, end = utc_bounds(first, last)
    return and_(
        Refund.status == RefundStatus.DONE,
        Refund.refunded_at >= start,
        Refund.refunded_at < end,
    )


def period_figures(first: date, last: date, producer_id: int | None = None) -> list[Figures]:
    """Every producer with a delivered sale or a refund in the period (or just `producer_id`),
    by name. Four queries, however many producers and lines."""
    gross_q = (
        select(OrderLine.producer_id, func.sum(OrderLine.unit_price_vnd * OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(_delivered_in(first, last), OrderLine.producer_id.is_not(None))
        .group_by(OrderLine.producer_id)
    )
    refunds_q = (
        select(OrderLine.producer_id, func.sum(Refund.amount_vnd))
        .join(OrderLine, OrderLine.id == Refund.order_line_id)
        .where(_refunded_in(first, last), OrderLine.producer_id.is_not(None))
        .group_by(OrderLine.producer_id)
    )
    if producer_id is not None:
        gross_q = gross_q.where(OrderLine.producer_id == producer_id)
        refunds_q = refunds_q.where(OrderLine.producer_id == producer_id)
    gross = {pid: int(total) for pid, total in db.session.execute(gross_q)}
    refunds = {pid: int(total) for pid, total in db.session.execute(refunds_q)}
    ids = set(gross) | set(refunds)
    if not ids:
        return []
    producers = db.session.scalars(
        select(Producer).where(Producer.id.in_(ids)).order_by(Producer.name, Producer.id)
    )
    paid = {p.producer_id: p for p in _overlapping_payouts(ids, first, last)}
    figures = []
    for producer in producers:
        payout = paid.get(producer.id)
        if payout is not None and (payout.period_start, payout.period_end) == (first, last):
            figures.append(_as_paid(producer, payout))
            continue
        percent = rate_of(producer)
        amount = gross.get(producer.id, 0)
        figures.append(
            Figures(
                producer=producer,
                first=first,
                last=last,
                gross_vnd=amount,
                commission_percent=percent,
                commission_vnd=commission(amount, percent),
                refunds_vnd=refunds.get(producer.id, 0),
                payout=payout,
            )
        )
    return figures


def empty_figures(producer: Producer, first: date, last: date) -> Figures:
    """A period with nothing delivered and nothing refunded: all zeros, at the producer's rate."""
    percent = rate_of(producer)
    return Figures(producer, first, last, 0, percent, 0, 0)


def _as_paid(producer: Producer, payout: Payout) -> Figures:
    """A paid period shows what was paid (the rate as it was then), not a fresh computation."""
    return Figures(
        producer=producer,
        first=payout.period_start,
        last=payout.period_end,
        gross_vnd=payout.gross_vnd,
        commission_percent=Decimal(payout.commission_percent),
        commission_vnd=payout.commission_vnd,
        refunds_vnd=payout.refunds_vnd,
        payout=payout,
    )


def _overlapping_payouts(producer_ids, first: date, last: date) -> list[Payout]:
    """Payouts of these producers whose period shares at least one day with [first, last]."""
    return list(
        db.session.scalars(
            select(Payout)
            .where(
                Payout.producer_id.in_(producer_ids),
                Payout.period_start <= last,
                Payout.period_end >= first,
            )
            .order_by(Payout.period_start)
        )
    )


def record_payout(producer: Producer, first: date, last: date, reference: str, staff, today):
    """Staff sent the producer its net for the period (bank reference `reference`): keep the
    figures and the rate as they are now. CannotPay if the period is not over, overlaps a period
    already paid, or there is nothing to pay; IntegrityError (uq_payouts_producer_period) if
    the same period was recorded concurrently. Audited; flushes."""
    if last >= today:
        raise CannotPay(_("Pay a period only once it is over: choose an end date before today."))
    if _overlapping_payouts([producer.id], first, last):
        raise CannotPay(_("Part of this period is already paid to %(name)s.", name=producer.name))
    [figures] = period_figures(first, last, producer.id) or [None]
    if figures is None or figures.net_vnd <= 0:
        raise CannotPay(_("There is nothing to pay %(name)s for this period.", name=producer.name))
    payout = Payout(
        producer=producer,
        period_start=first,
        period_end=last,
        gross_vnd=figures.gross_vnd,
        commission_percent=figures.commission_percent,
        commission_vnd=figures.commission_vnd,
        refunds_vnd=figures.refunds_vnd,
        net_vnd=figures.net_vnd,
        bank_reference=reference,
        paid_by_id=staff.id,
    )
    db.session.add(payout)
    db.session.flush()  # IntegrityError if a colleague recorded the same period a moment ago
    after = {
        "payout": payout.id,
        "period": f"{first.isoformat()}..{last.isoformat()}",
        "gross_vnd": payout.gross_vnd,
        "commission_percent": str(payout.commission_percent),
        "commission_vnd": payout.commission_vnd,
        "refunds_vnd": payout.refunds_vnd,
        "net_vnd": payout.net_vnd,
        "bank_reference": reference,
    }
    record(staff, "payout.paid", f"producer:{producer.id}", None, after)
    return payout


def delivered_lines(producer_id: int, first: date, last: date) -> list:
    """The producer's delivered lines in the period, for the statement, by delivery time."""
    return list(
        db.session.execute(
            select(
                Order.code,
                Order.delivered_at,
                OrderLine.product_name,
                OrderLine.lot,
                OrderLine.unit,
                OrderLine.quantity,
                OrderLine.unit_price_vnd,
            )
            .join(Order, Order.id == OrderLine.order_id)
            .where(_delivered_in(first, last), OrderLine.producer_id == producer_id)
            .order_by(Order.delivered_at, Order.id, OrderLine.id)
        )
    )


def line_refunds(producer_id: int, first: date, last: date) -> list:
    """Refunds of the producer's lines made in the period, for the statement."""
    return list(
        db.session.execute(
            select(
                Order.code,
                Refund.refunded_at,
                OrderLine.product_name,
                Refund.amount_vnd,
                Refund.reason,
            )
            .join(OrderLine, OrderLine.id == Refund.order_line_id)
            .join(Order, Order.id == Refund.order_id)
            .where(_refunded_in(first, last), OrderLine.producer_id == producer_id)
            .order_by(Refund.refunded_at, Refund.id)
        )
    )


def totals(figures: list[Figures]) -> dict[str, int]:
    """The period's columns added up: what the page's last row and the test compare."""
    return {
        "gross_vnd": sum(f.gross_vnd for f in figures),
        "commission_vnd": sum(f.commission_vnd for f in figures),
        "refunds_vnd": sum(f.refunds_vnd for f in figures),
        "net_vnd": sum(f.net_vnd for f in figures),
    }


def set_commission(producer: Producer, percent: Decimal | None, staff) -> None:
    """The producer's own rate (None: back to COMMISSION_PERCENT); payouts already recorded
    keep the rate they were paid at. Audited; flushes."""
    before = {"commission_percent": _text(producer.commission_percent)}
    producer.commission_percent = percent
    after = {"commission_percent": _text(percent)}
    record(staff, "producer.commission", f"producer:{producer.id}", before, after)


def _text(percent) -> str | None:
    return None if percent is None else f"{Decimal(percent).normalize():f}"


def percent_text(percent) -> str:
    """Decimal('7.50') → '7,5': a rate as Vietnamese write it."""
    return _text(percent).replace(".", ",")
