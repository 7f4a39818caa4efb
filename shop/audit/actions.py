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
    "batch.recall": _l("Recalled a batch"),
    "partner.create": _l("Created an EPCIS partner"),
    "partner.revoke": _l("Revoked an EPCIS partner's key"),
    "partner.grant": _l("Let a partner record a batch"),
    "partner.ungrant": _l("Took a batch away from a partner"),
}


# What the keys of before → after are called on screen; others are shown as recorded.
FIELDS = {
    "status": _l("Status"),
    "note": _l("Note"),
    "reason": _l("Reason"),
    "code": _l("Code"),
    "decision_number": _l("Decision number"),
    "order": _l("Order"),
    "order_status": _l("Order status"),
    "resolved": _l("Resolved"),
    "amount_vnd": _l("Amount"),
    "reference": _l("Reference"),
    "refunded_vnd": _l("Refunded amount"),
    "refund_reference": _l("Refund reference"),
    "outcome": _l("Outcome"),
    "payout": _l("Payout no."),
    "period": _l("Period"),
    "gross_vnd": _l("Goods delivered"),
    "commission_percent": _l("Commission (%)"),
    "commission_vnd": _l("Commission"),
    "refunds_vnd": _l("Refunds"),
    "net_vnd": _l("To pay"),
    "bank_reference": _l("Bank reference"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "enabled": _l("Account on"),
    "advice": _l("Advice to buyers"),
    "on_sale": _l("On sale"),
    "units_left": _l("Units left"),
    "told": _l("Buyers told"),
    "batch": _l("Batch"),
    "lot": _l("Lot"),
    "active": _l("Active"),
}


def label(action: str) -> str:
    return str(LABELS[action]) if action in LABELS else action


def field_label(key: str) -> str:
    return str(FIELDS[key]) if key in FIELDS else key
