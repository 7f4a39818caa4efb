"""The step after placing a card order: opening Stripe's hosted payment page for it."""

from flask import current_app

from shop.checkout.models import Order, OrderStatus, PaymentMethod
from shop.extensions import db


def card_payments_offered() -> bool:
    from shop.payments.stripe_gateway import is_configured

    return is_configured()


def card_payment_url(order: Order) -> tuple[str | None, str | None]:
    """(Stripe Checkout's URL, None) for an unpaid card order, or (None, why not) when Stripe
    refused or could not be reached: the order stays, and its page offers to try again.

    Called after the order is committed, never while its stock is locked (it waits on the
    network). Commits the session id start_checkout stores on the order.
    """
    if order.payment_method != PaymentMethod.STRIPE or order.status != OrderStatus.PENDING_PAYMENT:
        return None, None
    from shop.payments.stripe_gateway import PaymentProviderError, start_checkout

    try:
        url = start_checkout(order)
    except PaymentProviderError as error:
        db.session.rollback()
        current_app.logger.warning("no Stripe Checkout for %s: %s", order.code, error)
        return None, str(error)
    db.session.commit()
    return url, None


def close_card_payment(order: Order) -> str | None:
    """Before an unpaid card order is cancelled: close its Stripe page so nobody pays it
    afterwards. None when it is closed (or there is none); else why the order must stay."""
    if order.payment_method != PaymentMethod.STRIPE or not order.stripe_session_id:
        return None
    from flask_babel import gettext as _

    from shop.payments.stripe_gateway import PaymentProviderError, expire_checkout

    try:
        closed = expire_checkout(order)
    except PaymentProviderError as error:
        return str(error)
    return None if closed else _("Your card payment has just gone through: the order stays.")
