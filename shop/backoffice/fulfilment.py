"""Staff move orders along: packed, shipped (with the carrier), delivered; cancel; refund a line.

Order.transition checks TRANSITIONS and writes the history; these functions add what each
step needs (the carrier, the customer's e-mail, the refund) and flush. The view locks the
order first (queries.lock_order_for_change) and commits once.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from shop.audit.log import record
from shop.checkout.emails import queue_order_email
from shop.checkout.models import Carrier, InvalidTransition, Order, OrderLine, OrderStatus
from shop.checkout.orders import cancel_order
from shop.extensions import db, lock_for_writing
from shop.payments.models import Refund
from shop.payments.refunds import CannotRefund, record_bank_refund, refund_line

# What staff may set through POST /backoffice/orders/<code>/status (cancel has its own form).
STAFF_MOVES = (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def set_status(
    order: Order,
    to: OrderStatus,
    by,
    carrier: Carrier | None = None,
    tracking_number: str | None = None,
) -> None:
    """Move `order` to packed, shipped or delivered, as TRANSITIONS allows (InvalidTransition
    if not: nothing changes). Shipped records the carrier and tracking number and e-mails the
    customer the tracking link. Flushes."""
    if to not in STAFF_MOVES:
        raise InvalidTransition(f"{order.code}: staff do not set {to} here")
    before = {"status": order.status.value}
    order.transition(to, by=by)
    after = {"status": to.value}
    if to == OrderStatus.SHIPPED:
        order.carrier = carrier or Carrier.OWN
        order.tracking_number = tracking_number or None
        after |= {"carrier": order.carrier.value, "tracking_number": order.tracking_number}
        queue_order_email(order, "shipped")
    record(by, "order.status", f"order:{order.code}", before, after)


def set_status_of_many(
    codes: list[str], to: OrderStatus, by, carrier: Carrier | None = None
) -> tuple[list[Order], list[Order]]:
    """The bulk action: move every order of `codes` that may move to `to`; (moved, left as
    they were). Orders are locked together, in code order. Flushes."""
    lock_for_writing()
    orders = db.session.scalars(
        select(Order)
        .where(Order.code.in_(codes))
        .order_by(Order.code)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    moved, left = [], []
    for order in orders:
        if order.can_transition(to):
            set_status(order, to, by, carrier=carrier)
            moved.append(order)
        else:
            left.append(order)
    return moved, left


def cancel_by_staff(order: Order, by, reason: str) -> None:
    """Cancel with the reason staff gave: stock and lots back, payments to be refunded (card
    refunds are sent after the commit). InvalidTransition once shipped. Flushes."""
    before = {"status": order.status.value}
    cancel_order(order, by=by, reason=reason)
    refunds = [{"amount_vnd": r.amount_vnd, "status": r.status.value} for r in order.refunds]
    after = {"status": order.status.value, "reason": reason, "refunds": refunds}
    record(by, "order.cancel", f"order:{order.code}", before, after)


def refund_part(order: Order, line_id: int, amount_vnd: int, reason: str, by) -> Refund:
    """A partial refund of one line of `order` (CannotRefund when it cannot be). Flushes."""
    line = db.session.get(OrderLine, line_id)
    if line is None or line.order_id != order.id:
        raise CannotRefund(_("This line is not part of order %(code)s.", code=order.code))
    refund = refund_line(order, line, amount_vnd, reason, by)
    after = {
        "refund": refund.id,
        "line": line.id,
        "product": line.product_name,
        "amount_vnd": amount_vnd,
        "reason": reason,
    }
    record(by, "order.refund", f"order:{order.code}", None, after)
    return refund


def record_refund_sent(order: Order, refund_id: int, reference: str, by) -> Refund:
    """Staff sent a bank refund of `order`: record it done with the bank's reference."""
    refund = db.session.get(Refund, refund_id)
    if refund is None or refund.order_id != order.id:
        raise LookupError(refund_id)
    record_bank_refund(refund, reference, by)
    after = {"status": refund.status.value, "reference": reference, "amount_vnd": refund.amount_vnd}
    record(by, "refund.sent", f"refund:{refund.id}", {"status": "due"}, after)
    return refund
