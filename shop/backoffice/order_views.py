"""The order desk: find orders, see one, move it along (packed, shipped, delivered), cancel it
or refund part of it. Routes on the back office's blueprint (staff and admin only)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.backoffice import desk, fulfilment
from shop.backoffice.forms import (
    BulkStatusForm,
    CancelOrderForm,
    OrderStatusForm,
    RefundLineForm,
    RefundSentForm,
)
from shop.backoffice.views import bp
from shop.checkout.models import (
    TRANSITIONS,
    Carrier,
    InvalidTransition,
    Order,
    OrderLine,
    OrderStatus,
)
from shop.checkout.orders import send_order_emails
from shop.checkout.payment import close_card_payment
from shop.checkout.queries import lock_order_for_change
from shop.extensions import db
from shop.payments.refunds import CannotRefund, send_card_refunds
from shop.payments.reviews import order_reviews, received_vnd


@bp.get("/orders")
def orders():
    filters = desk.parse_filters(request.args)
    return render_template(
        "backoffice/orders.html",
        filters=filters,
        found=desk.find_orders(filters),
        choices=desk.filter_choices(),
        bulk=BulkStatusForm(formdata=None),
    ), (400 if filters.errors else 200)


@bp.post("/orders/bulk")
def bulk_status():
    form = BulkStatusForm()
    back = request.form.get("back", "")
    back = back if back.startswith("/backoffice/orders") else url_for(".orders")
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        for message in (m for messages in form.errors.values() for m in messages):
            flash(message, "error")
        return redirect(back, 303)
    moved, left = fulfilment.set_status_of_many(
        form.codes.data,
        OrderStatus(form.action.data),
        current_user,
        carrier=Carrier(form.carrier.data) if form.carrier.data else None,
    )
    db.session.commit()
    send_order_emails()
    if moved:
        flash(
            _(
                "%(n)s orders are now “%(status)s”.",
                n=len(moved),
                status=OrderStatus(form.action.data).label,
            ),
            "success",
        )
    if left:
        flash(
            _(
                "Left as they were (the order's status does not allow it): %(codes)s.",
                codes=", ".join(order.code for order in left),
            ),
            "error",
        )
    return redirect(back, 303)


@bp.get("/orders/<code>")
def order(code: str):
    return _order_page(order_or_404(code))


@bp.post("/orders/<code>/status")
def set_status(code: str):
    form = OrderStatusForm()
    order = order_or_404(code)
    if not form.validate_on_submit():
        return _order_page(order, status_form=form), 400
    order = lock_order_for_change(order.code)
    try:
        fulfilment.set_status(
            order, form.new_status, current_user, form.chosen_carrier, form.tracking_number.data
        )
    except InvalidTransition:
        db.session.rollback()
        message = _(
            "Order %(code)s is “%(status)s”: it cannot become “%(new)s”. Nothing was changed.",
            code=order.code,
            status=order.status.label,
            new=form.new_status.label,
        )
        return _order_page(order, status_form=form, refusal=message), 409
    db.session.commit()
    send_order_emails()
    flash(
        _("Order %(code)s is now “%(status)s”.", code=order.code, status=order.status.label),
        "success",
    )
    return redirect(url_for(".order", code=order.code), 303)


@bp.post("/orders/<code>/cancel")
def cancel_order_by_staff(code: str):
    """Staff cancel an order before it ships, with a reason; a paid one is refunded (cards
    through Stripe after the commit, never while the order is locked)."""
    form = CancelOrderForm(prefix="cancel")
    order = order_or_404(code)
    if not form.validate_on_submit():
        return _order_page(order, cancel_form=form), 400
    if order.status == OrderStatus.PENDING_PAYMENT and (reason := close_card_payment(order)):
        return _order_page(order, cancel_form=form, refusal=reason), 409
    order = lock_order_for_change(order.code)
    try:
        fulfilment.cancel_by_staff(order, current_user, form.reason.data)
    except InvalidTransition:
        db.session.rollback()
        message = _("Order %(code)s can no longer be cancelled.", code=order.code)
        return _order_page(order, cancel_form=form, refusal=message), 409
    db.session.commit()
    send_order_emails()
    flash(_("Order %(code)s is cancelled.", code=code), "success")
    _send_card_refunds(order.code)
    return redirect(url_for(".order", code=code), 303)


@bp.post("/orders/<code>/refunds")
def refund_line(code: str):
    form = RefundLineForm(prefix="refund")
    order = order_or_404(code)
    if not form.validate_on_submit():
        return _order_page(order, refund_form=form), 400
    order = lock_order_for_change(order.code)
    try:
        fulfilment.refund_part(
            order, form.line_id.data, form.amount_vnd.data, form.reason.data, current_user
        )
    except CannotRefund as error:
        db.session.rollback()
        form.amount_vnd.errors = [str(error)]
        return _order_page(order, refund_form=form), 409
    db.session.commit()
    flash(_("The refund is recorded."), "success")
    _send_card_refunds(code)
    return redirect(url_for(".order", code=code, _anchor="money"), 303)


@bp.post("/orders/<code>/refunds/send")
def send_refunds(code: str):
    """Try the order's card refunds Stripe refused earlier again (same idempotency keys)."""
    order = order_or_404(code)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    _send_card_refunds(order.code)
    return redirect(url_for(".order", code=code, _anchor="money"), 303)


@bp.post("/orders/<code>/refunds/<int(max=2147483647):refund_id>/sent")
def refund_sent(code: str, refund_id: int):
    form = RefundSentForm()
    order = order_or_404(code)
    if not form.validate_on_submit():
        return _order_page(order, sent_form=(refund_id, form)), 400
    order = lock_order_for_change(order.code)
    try:
        fulfilment.record_refund_sent(order, refund_id, form.reference.data, current_user)
    except LookupError:
        db.session.rollback()
        abort(404)
    except CannotRefund as error:
        db.session.rollback()
        form.reference.errors = [str(error)]
        return _order_page(order, sent_form=(refund_id, form)), 409
    db.session.commit()
    flash(_("The refund is recorded as sent."), "success")
    return redirect(url_for(".order", code=code, _anchor="money"), 303)


def _send_card_refunds(code: str) -> None:
    for problem in send_card_refunds(code):
        flash(problem, "error")


def order_or_404(code: str) -> Order:
    order = db.session.scalar(
        select(Order)
        .where(Order.code == code[:16])
        .options(
            selectinload(Order.lines).selectinload(OrderLine.batch),
            selectinload(Order.payments),
            selectinload(Order.refunds),
            selectinload(Order.status_changes),
        )
    )
    return order or abort(404)


def _order_page(order: Order, refusal: str | None = None, **forms):
    return render_template(
        "backoffice/order.html",
        order=order,
        allowed=TRANSITIONS[order.status],
        refusal=refusal,
        received=received_vnd(order),
        reviews=order_reviews(order),
        status_form=forms.get("status_form") or OrderStatusForm(formdata=None),
        cancel_form=forms.get("cancel_form") or CancelOrderForm(formdata=None, prefix="cancel"),
        refund_form=forms.get("refund_form") or RefundLineForm(formdata=None, prefix="refund"),
        sent_form=forms.get("sent_form"),
        by_producer=_lines_by_producer(order),
    )


def _lines_by_producer(order: Order) -> list[tuple[str, list[OrderLine]]]:
    groups: dict[str, list[OrderLine]] = {}
    for line in order.lines:
        groups.setdefault(line.producer_name, []).append(line)
    return list(groups.items())
