"""The back office: staff approve producers, products and OCOP certificates, record the
authority's decisions on growing-area and packing-house codes, and reconcile bank transfers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shop.backoffice import approvals as verbs
from shop.backoffice.access import require_staff
from shop.backoffice.forms import (
    ApplyReviewForm,
    CertificateReviewForm,
    CodeStatusForm,
    RefundReviewForm,
    ResolveReviewForm,
    ReviewForm,
    TransferReceivedForm,
)
from shop.catalogue.models import OcopCertificate, Product
from shop.checkout.models import Order, OrderStatus
from shop.extensions import db, lock_for_writing
from shop.farm.fields import local_today
from shop.i18n import format_vnd
from shop.payments import reviews as payment_reviews
from shop.payments.fulfil import Outcome, lock_order
from shop.payments.models import PaymentReview
from shop.payments.transfers import send_queued_emails
from shop.producers.models import Producer
from shop.trace import areas as trace_codes
from shop.trace.models import CodeStatus, GrowingArea, PackingHouse

bp = Blueprint("backoffice", __name__, url_prefix="/backoffice")
# Ids in URLs stop at PostgreSQL's INTEGER range (<int(max=2147483647):…>): a larger number
# is a plain 404 rather than a database error.
bp.before_request(require_staff)


@bp.get("/approvals")
def approvals():
    return render_template(
        "backoffice/approvals.html",
        producers=verbs.pending_producers(),
        products=verbs.pending_products(),
        certificates=verbs.pending_certificates(),
    )


@bp.post("/producers/<int(max=2147483647):producer_id>/review")
def review_producer(producer_id: int):
    producer = db.get_or_404(Producer, producer_id)
    form = valid_or_400(ReviewForm())
    if form.decision.data == "approve":
        verbs.approve_producer(producer, current_user, form.note.data)
        flash(_("Approved producer “%(name)s”.", name=producer.name), "success")
    else:
        verbs.reject_producer(producer, current_user, form.note.data)
        flash(_("Rejected producer “%(name)s”.", name=producer.name), "info")
    db.session.commit()
    return redirect(url_for(".approvals", _anchor="producers"), 303)


@bp.post("/products/<int(max=2147483647):product_id>/review")
def review_product(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = valid_or_400(ReviewForm())
    if form.decision.data == "approve":
        verbs.approve_product(product, current_user, form.note.data)
        flash(_("Approved product “%(name)s”.", name=product.name), "success")
    else:
        verbs.reject_product(product, current_user, form.note.data)
        flash(_("Rejected product “%(name)s”.", name=product.name), "info")
    db.session.commit()
    return redirect(url_for(".approvals", _anchor="products"), 303)


@bp.post("/certificates/<int(max=2147483647):certificate_id>/review")
def review_certificate(certificate_id: int):
    certificate = db.get_or_404(OcopCertificate, certificate_id)
    form = valid_or_400(CertificateReviewForm())
    number = certificate.decision_number
    if form.decision.data == "verify":
        verbs.verify_certificate(certificate, current_user)
        flash(_("Verified certificate %(number)s.", number=number), "success")
    else:
        verbs.reject_certificate(certificate, current_user)
        flash(_("Rejected certificate %(number)s.", number=number), "info")
    db.session.commit()
    return redirect(url_for(".approvals", _anchor="certificates"), 303)


def valid_or_400(form):
    """The review buttons send a fixed decision; anything else is a malformed request."""
    if not form.validate_on_submit():
        abort(400)
    return form


CODE_KINDS = {"areas": GrowingArea, "packing-houses": PackingHouse}


@bp.get("/codes")
def codes():
    return _codes_page(_code_state())


@bp.post("/codes/<any(areas, 'packing-houses'):kind>/<int(max=2147483647):record_id>/status")
def set_code_status(kind: str, record_id: int):
    record = db.get_or_404(CODE_KINDS[kind], record_id)
    form = CodeStatusForm()
    if not form.validate_on_submit():
        return _codes_page(_code_state(), failed=(kind, record.id, form)), 400
    trace_codes.set_code_status(
        record, CodeStatus(form.status.data), form.reason.data, current_user
    )
    db.session.commit()
    flash(
        _("Code %(code)s is now %(status)s.", code=record.code, status=record.status.label),
        "success",
    )
    anchor = f"{kind}-{record.id}"
    return redirect(url_for(".codes", status=_code_state() or None, _anchor=anchor), 303)


def _code_state() -> str:
    state = request.args.get("status", "")
    return state if state in trace_codes.CODE_STATES else ""


def _codes_page(state: str, failed=None):
    today = local_today()
    return render_template(
        "backoffice/codes.html",
        areas=trace_codes.registered_codes(GrowingArea, state, today),
        houses=trace_codes.registered_codes(PackingHouse, state, today),
        state=state,
        states=trace_codes.CODE_STATES,
        statuses=list(CodeStatus),
        failed=failed,
        today=today,
    )


# Bank transfers: the review queue, and transfers staff saw on the bank statement.


@bp.get("/payments")
def payments():
    return _payments_page()


@bp.post("/payments/<int(max=2147483647):review_id>/resolve")
def resolve_payment_review(review_id: int):
    lock_for_writing()
    review = db.session.get(PaymentReview, review_id, with_for_update=True) or abort(404)
    if review.resolved_at is not None:
        return _already_resolved()
    form = ResolveReviewForm()
    if not form.validate_on_submit():
        return _payments_page(failed=(review.id, "resolve", form)), 400
    payment_reviews.resolve_review(review, current_user, form.note.data)
    db.session.commit()
    flash(_("The transfer is dismissed."), "success")
    return redirect(url_for(".payments"), 303)


@bp.post("/payments/<int(max=2147483647):review_id>/refund")
def refund_payment_review(review_id: int):
    lock_for_writing()
    review = db.session.get(PaymentReview, review_id, with_for_update=True) or abort(404)
    if review.order is not None:
        lock_order(review.order.code)
    if review.resolved_at is not None:
        return _already_resolved()
    if not payment_reviews.can_refund(review):
        abort(409)  # a card payment: refunded through Stripe, never by hand
    form = RefundReviewForm()
    if not form.validate_on_submit():
        return _payments_page(failed=(review.id, "refund", form)), 400
    try:
        amount = payment_reviews.refund_review(
            review, current_user, form.reference.data, form.note.data
        )
    except payment_reviews.CannotApply as refusal:
        db.session.rollback()
        form.reference.errors = [str(refusal)]
        return _payments_page(failed=(review_id, "refund", form)), 409
    db.session.commit()
    flash(_("Recorded the refund of %(amount)s.", amount=format_vnd(amount)), "success")
    return redirect(url_for(".payments"), 303)


@bp.post("/payments/<int(max=2147483647):review_id>/apply")
def apply_payment_review(review_id: int):
    lock_for_writing()
    review = db.session.get(PaymentReview, review_id, with_for_update=True) or abort(404)
    if review.resolved_at is not None:
        return _already_resolved()
    form = ApplyReviewForm()
    if not form.validate_on_submit():
        return _payments_page(failed=(review.id, "apply", form)), 400
    try:
        order = payment_reviews.apply_review_to(
            review, form.order_code.data, current_user, form.note.data
        )
    except payment_reviews.CannotApply as error:
        db.session.rollback()
        form.order_code.errors = [str(error)]
        return _payments_page(failed=(review_id, "apply", form)), 409
    db.session.commit()
    send_queued_emails()
    if order.status == OrderStatus.PAID:
        flash(_("Order %(code)s is paid.", code=order.code), "success")
    else:
        flash(_("Recorded on order %(code)s; it still awaits the rest.", code=order.code), "info")
    return redirect(url_for(".payments"), 303)


@bp.get("/payments/find-order")
def find_order():
    code = "".join(request.args.get("code", "").split()).upper()[:16]
    if code and _order(code):
        return redirect(url_for(".transfer_received", code=code), 303)
    flash(_("There is no order %(code)s.", code=code or "—"), "error")
    return redirect(url_for(".payments", _anchor="record"), 303)


@bp.get("/orders/<code>/transfer-received")
def transfer_received(code: str):
    order = _order(code) or abort(404)
    return _transfer_page(order, TransferReceivedForm(amount_vnd=order.total_vnd))


@bp.post("/orders/<code>/transfer-received")
def record_transfer_received(code: str):
    lock_for_writing()
    order = lock_order(code[:16]) or abort(404)
    form = TransferReceivedForm()
    if not form.validate_on_submit():
        return _transfer_page(order, form), 400
    outcome = payment_reviews.record_transfer_received(
        order, current_user, form.amount_vnd.data, form.reference.data
    )
    if outcome == Outcome.DUPLICATE:
        form.reference.errors = [_("A transfer with this bank reference is already recorded.")]
        return _transfer_page(order, form), 409
    db.session.commit()
    send_queued_emails()
    if outcome == Outcome.PAID:
        flash(_("Order %(code)s is paid.", code=order.code), "success")
    else:
        flash(
            _(
                "This transfer does not settle order %(code)s: it is in the review queue below.",
                code=order.code,
            ),
            "info",
        )
    return redirect(url_for(".payments"), 303)


def _already_resolved():
    """A second click, or a colleague was faster: nothing to do."""
    flash(_("This transfer was already resolved."), "info")
    return redirect(url_for(".payments"), 303)


def _order(code: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.code == code[:16]))


def _payments_page(failed=None):
    return render_template(
        "backoffice/payments.html",
        reviews=payment_reviews.open_reviews(),
        resolved=payment_reviews.recently_resolved(),
        awaiting=payment_reviews.awaiting_transfer(),
        can_apply=payment_reviews.can_apply,
        can_refund=payment_reviews.can_refund,
        refund_vnd=payment_reviews.refund_vnd,
        failed=failed,
    )


def _transfer_page(order: Order, form: TransferReceivedForm):
    return render_template(
        "backoffice/transfer_received.html",
        order=order,
        form=form,
        received=payment_reviews.received_vnd(order),
        reviews=payment_reviews.order_reviews(order),
    )
