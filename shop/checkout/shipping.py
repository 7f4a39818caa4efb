"""What delivery costs and what the cooperative keeps: both from the configuration, in đồng."""

from decimal import ROUND_HALF_UP, Decimal

from flask import current_app

from shop.places.directory import find_province


def shipping_fee(province: str | int | None, subtotal_vnd: int) -> int:
    """The fee for one order to `province` (a name or an official code): free from
    FREE_SHIPPING_FROM_VND (when set), else the province's own fee in SHIPPING_FEES_VND (keyed
    by name, 'Thanh Hóa', or by code, 38), else SHIPPING_FEE_VND."""
    config = current_app.config
    free_from = config.get("FREE_SHIPPING_FROM_VND")
    if free_from is not None and subtotal_vnd >= int(free_from):
        return 0
    wanted = find_province(province) if province not in (None, "") else None
    for key, fee in config.get("SHIPPING_FEES_VND", {}).items():
        if wanted is not None and find_province(key) == wanted:
            return int(fee)
    return int(config["SHIPPING_FEE_VND"])


def shop_commission_percent() -> Decimal:
    """COMMISSION_PERCENT, the cooperative's share unless a producer has its own rate."""
    return Decimal(str(current_app.config["COMMISSION_PERCENT"]))


def commission(amount_vnd: int, percent: Decimal | None = None) -> int:
    """`percent` (default COMMISSION_PERCENT) of an amount, in whole đồng, rounded half up:
    of a line's total when an order is placed, of a producer's period total for a payout."""
    percent = shop_commission_percent() if percent is None else percent
    amount = Decimal(amount_vnd) * percent / 100
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
