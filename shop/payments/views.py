"""Bank-transfer webhooks (SePay, Casso) and the VietQR pieces of the order page.

A webhook is answered 2xx only once what it reports is committed; a failure answers 500 so
the provider delivers it again, and a delivery seen before changes nothing.
"""

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from shop.checkout.models import Order, OrderStatus, PaymentMethod
from shop.checkout.orders import find_order
from shop.extensions import csrf, db
from shop.payments import banks, transfers, vietqr
from shop.payments.models import Provider

bp = Blueprint("payments", __name__)

# The money is in: paid, and everything that follows a payment.
PAID_STATES = frozenset(
    {OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}
)


@bp.post("/webhooks/bank/sepay")
@csrf.exempt
def sepay_webhook():
    secret = current_app.config.get("BANK_WEBHOOK_SECRET")
    if not banks.sepay_authorised(request.headers.get("Authorization"), secret):
        return _refused(Provider.SEPAY, "missing or wrong API key")
    try:
        found = [banks.parse_sepay(banks.read_json(request.get_data()))]
    except banks.MalformedTransfer as error:
        return _malformed(Provider.SEPAY, error)
    return _settle(found)


@bp.post("/webhooks/bank/casso")
@csrf.exempt
def casso_webhook():
    try:
        body = banks.read_json(request.get_data())
    except banks.MalformedTransfer as error:
        return _malformed(Provider.CASSO, error)
    secret = current_app.config.get("BANK_WEBHOOK_SECRET")
    if not banks.casso_authorised(request.headers.get("X-Casso-Signature"), body, secret):
        return _refused(Provider.CASSO, "missing or wrong signature")
    try:
        found = banks.parse_casso(body)
    except banks.MalformedTransfer as error:
        return _malformed(Provider.CASSO, error)
    return _settle(found)


@bp.get("/orders/<code>/vietqr.png")
def vietqr_png(code: str):
    order = _order_or_404(code)
    if order.payment_method != PaymentMethod.VIETQR:
        abort(404)
    response = current_app.response_class(
        vietqr.png(vietqr.order_payload(order)), mimetype="image/png"
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/orders/<code>/status.json")
def order_status(code: str):
    order = _order_or_404(code)
    response = jsonify(
        code=order.code,
        status=order.status.value,
        status_label=str(order.status.label),
        paid=order.status in PAID_STATES,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def vietqr_details(order: Order, token: str | None) -> dict:
    """What the VietQR panel shows: the account, the memo and the addresses it needs."""
    return {
        "account": vietqr.bank_account(),
        "memo": vietqr.order_memo(order),
        "image_url": url_for("payments.vietqr_png", code=order.code, token=token),
        "status_url": url_for("payments.order_status", code=order.code, token=token),
    }


def _order_or_404(code: str) -> Order:
    """The order named in the URL, as on the order page: for whoever holds its token, or the
    customer logged in who placed it; 404 for everyone else."""
    order = find_order(code[:16], request.args.get("token"), current_user)
    if order is None:
        abort(404)
    return order


def _settle(found: list[banks.Transfer]):
    """Record the transfers and commit; answer 2xx only then."""
    try:
        outcomes = transfers.record_transfers(found)
        db.session.commit()
    except IntegrityError:
        # Another delivery of the same transaction committed first (PostgreSQL waits on the
        # unique row, then fails here): it is settled, so this delivery changes nothing.
        db.session.rollback()
        if not all(transfers.seen(transfer) for transfer in found):
            current_app.logger.exception("bank webhook: could not record %s", found)
            return jsonify(success=False), 500
        outcomes = [transfers.Settled.DUPLICATE] * len(found)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("bank webhook: could not record %s", found)
        return jsonify(success=False), 500
    for transfer, outcome in zip(found, outcomes, strict=True):
        current_app.logger.info(
            "bank webhook: %s transaction %s → %s",
            transfer.provider,
            transfer.transaction_id,
            outcome,
        )
    transfers.send_queued_emails()
    return jsonify(success=True, outcomes=[str(outcome) for outcome in outcomes])


def _refused(provider: Provider, reason: str):
    current_app.logger.warning(
        "bank webhook: %s request from %s refused: %s", provider, request.remote_addr, reason
    )
    return jsonify(success=False, error="unauthorised"), 401


def _malformed(provider: Provider, error: Exception):
    current_app.logger.warning("bank webhook: %s sent a malformed body: %s", provider, error)
    return jsonify(success=False, error=str(error)), 400
