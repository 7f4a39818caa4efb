"""What each audit action is called on screen. An action missing here is shown as recorded."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "producer.approve": _l("Approved a producer"),
    "producer.reject": _l("Rejected a producer"),
    "product.approve": _l("Approved a product"),
    "product.reject": _l("Rejected a product"),
    "certificate.verify": _l("Verified an OCOP certificate"),
    "certificate.reject": _l("Rejected an OCOP certificate"),
    "code.status": _l("Changed a code's status"),
    "transfer.received": _l("Recorded a transfer received"),
    "review.apply": _l("Matched a transfer to an order"),
    "review.refund": _l("Refunded an over-payment"),
    "review.dismiss": _l("Dismissed a transfer"),
    "order.cancel": _l("Cancelled an order"),
    "order.status": _l("Moved an order along (packed, shipped, delivered)"),
    "order.refund": _l("Refunded part of an order line"),
    "refund.sent": _l("Recorded a bank refund as sent"),
    "payout.paid": _l("Recorded a payout as paid"),
    "user.create": _l("Created an account"),
    "user.role": _l("Changed an account's role"),
    "user.deactivate": _l("Deactivated an account"),
    "user.reactivate": _l("Reactivated an account"),
    "producer.commission": _l("Changed a producer's commission"),
}


def label(action: str) -> str:
    return str(LABELS[action]) if action in LABELS else action
