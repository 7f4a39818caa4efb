"""Bank transfers reported by SePay or Casso, settled against the order their memo names.

Banks rewrite memos: they drop punctuation and diacritics, change the case and add their own
prefixes ("MBVCB.3278611.DH7K3M9Q2X OCOP Shop.CT tu 0123…"). The memo is therefore normalised
(no diacritics, đ → d, upper case, letters and digits only: words run together) and searched
for every string shaped like an order code; the first that names an existing order wins.
"""

import re
import unicodedata
from enum import StrEnum

from flask import current_app
from sqlalchemy import select

from shop.checkout.emails import deliver_pending
from shop.checkout.models import Order
from shop.extensions import db, lock_for_writing
from shop.payments.banks import Transfer, same_account
from shop.payments.fulfil import Outcome, apply_payment, lock_order, queue_for_review
from shop.payments.models import ReviewReason, WebhookEvent

# Order codes are "DH" and eight upper-case letters or digits (DH7K3M9Q2X). The lookahead
# finds overlapping candidates, so a bank prefix ending in "DH" cannot hide the real code.
ORDER_CODE_IN_MEMO = re.compile(r"(?=(DH[A-Z0-9]{8}))")


class Settled(StrEnum):
    """What became of one reported transaction (Outcome's values, and money going out)."""

    PAID = Outcome.PAID.value
    DUPLICATE = Outcome.DUPLICATE.value
    REVIEW = Outcome.REVIEW.value
    IGNORED = "ignored"  # money leaving the account: noted as seen, nothing else


def normalise_memo(memo: str) -> str:
    """'mbvcb.123.đh7k3m9q2x Thanh toán' → 'MBVCB123DH7K3M9Q2XTHANHTOAN'."""
    memo = memo.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFKD", memo) if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", bare.upper())


def order_codes_in(memo: str) -> list[str]:
    """Every order-code-shaped string in the normalised memo, in the order they appear."""
    found = ORDER_CODE_IN_MEMO.findall(normalise_memo(memo))
    return list(dict.fromkeys(found))


def find_order_code(memo: str) -> str | None:
    """The code of the first existing order named in the memo, or None."""
    candidates = order_codes_in(memo)
    if not candidates:
        return None
    existing = set(db.session.scalars(select(Order.code).where(Order.code.in_(candidates))))
    return next((code for code in candidates if code in existing), None)


def record_transfers(transfers: list[Transfer]) -> list[Settled]:
    """Settle each transfer once; the caller commits (or rolls back: nothing then happened).

    SQLite: takes the write lock first, so concurrent deliveries queue up. Each transaction id
    is written to WebhookEvent (unique per provider) in the same transaction as its effect, so
    a second delivery racing the first fails on the constraint instead of settling twice.
    """
    lock_for_writing()
    return [record_transfer(transfer) for transfer in transfers]


def record_transfer(transfer: Transfer) -> Settled:
    """Pay the order the memo names, or queue the transfer for staff review. Flushes."""
    if seen(transfer):
        return Settled.DUPLICATE
    kind = "transfer_in" if transfer.incoming else "transfer_out"
    db.session.add(
        WebhookEvent(provider=transfer.provider, event_id=transfer.transaction_id, kind=kind)
    )
    db.session.flush()
    if not transfer.incoming:
        return Settled.IGNORED
    code = find_order_code(transfer.memo)
    order = lock_order(code) if code else None
    money = {
        "provider": transfer.provider,
        "reference": transfer.transaction_id,
        "amount_vnd": transfer.amount_vnd,
        "memo": transfer.memo,
        "raw": transfer.raw,
    }
    ours = current_app.config.get("VIETQR_ACCOUNT_NO")
    if ours and not same_account(transfer.account_number, str(ours)):
        queue_for_review(ReviewReason.WRONG_ACCOUNT, order=order, **money)
        return Settled.REVIEW
    return Settled(apply_payment(order, **money).value)


def seen(transfer: Transfer) -> bool:
    """Was this provider's transaction id handled before?"""
    return (
        db.session.scalar(
            select(WebhookEvent.id).where(
                WebhookEvent.provider == transfer.provider,
                WebhookEvent.event_id == transfer.transaction_id,
            )
        )
        is not None
    )


def send_queued_emails() -> None:
    """Deliver the e-mails just committed. What is committed stands whatever happens here: a
    failure (SMTP down, SQLite busy with another writer) leaves them queued for the next
    delivery or `flask send-emails`."""
    try:
        deliver_pending()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("e-mails stay queued: delivery failed after the commit")
