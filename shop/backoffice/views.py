"""The back office: staff approve producers, products and OCOP certificates, and record the
authority's decisions on growing-area and packing-house codes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop.backoffice import approvals as verbs
from shop.backoffice.access import require_staff
from shop.backoffice.forms import CertificateReviewForm, CodeStatusForm, ReviewForm
from shop.catalogue.models import OcopCertificate, Product
from shop.extensions import db
from shop.farm.fields import local_today
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
        verbs.approve_producer(producer, form.note.data)
        flash(_("Approved producer “%(name)s”.", name=producer.name), "success")
    else:
        verbs.reject_producer(producer, form.note.data)
        flash(_("Rejected producer “%(name)s”.", name=producer.name), "info")
    db.session.commit()
    return redirect(url_for(".approvals", _anchor="producers"), 303)


@bp.post("/products/<int(max=2147483647):product_id>/review")
def review_product(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = valid_or_400(ReviewForm())
    if form.decision.data == "approve":
        verbs.approve_product(product, form.note.data)
        flash(_("Approved product “%(name)s”.", name=product.name), "success")
    else:
        verbs.reject_product(product, form.note.data)
        flash(_("Rejected product “%(name)s”.", name=product.name), "info")
    db.session.commit()
    return redirect(url_for(".approvals", _anchor="products"), 303)


@bp.post("/certificates/<int(max=2147483647):certificate_id>/review")
def review_certificate(certificate_id: int):
    certificate = db.get_or_404(OcopCertificate, certificate_id)
    form = valid_or_400(CertificateReviewForm())
    number = certificate.decision_number
    if form.decision.data == "verify":
        verbs.verify_certificate(certificate)
        flash(_("Verified certificate %(number)s.", number=number), "success")
    else:
        verbs.reject_certificate(certificate)
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
    trace_codes.set_code_status(record, CodeStatus(form.status.data), form.reason.data)
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
