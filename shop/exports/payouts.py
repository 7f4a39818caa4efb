"""The payouts export: one row per producer for the period."""

from collections.abc import Iterator

from shop.payouts.ledger import Figures, percent_text
from shop.periods import local_datetime

HEADER = (
    "producer",
    "producer_id",
    "period_from",
    "period_to",
    "gross_vnd",
    "commission_percent",
    "commission_vnd",
    "refunds_vnd",
    "net_vnd",
    "paid_at",
    "bank_reference",
)


def payout_rows(figures: list[Figures]) -> Iterator[tuple]:
    for f in figures:
        paid = f.paid
        yield (
            f.producer.name,
            f.producer.id,
            f.first.isoformat(),
            f.last.isoformat(),
            f.gross_vnd,
            percent_text(f.commission_percent),
            f.commission_vnd,
            f.refunds_vnd,
            f.net_vnd,
            local_datetime(paid.paid_at).strftime("%Y-%m-%d %H:%M") if paid else "",
            paid.bank_reference if paid else "",
        )
