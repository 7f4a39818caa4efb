"""Label downloads: a batch QR as PNG/SVG, print-ready PDF sheets, serialised runs.

The QR image and the batch sheet are public (the API links to them); the producer's label
page, runs of serialised labels and their PDFs are for the batch's own producer only.
"""

import hashlib
import re
from functools import wraps

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from shop.catalogue import gtin as gtin_rules
from shop.catalogue.models import Product
from shop.extensions import db
from shop.labels import printing, qr
from shop.labels.forms import RunForm
from shop.labels.models import LabelRun
from shop.labels.serials import MAX_RUN, issue_serials
from shop.labels.sheets import LAYOUTS
from shop.trace.models import Batch

bp = Blueprint("labels", __name__, url_prefix="/labels")
MAX_ID = 2**31 - 1
MAX_LOT = 20  # Batch.lot's column length: anything longer cannot be a stored lot
YEAR = 365 * 24 * 3600


def _batch_options():
    """What a label needs: the product, its producer and certificates, the growing area."""
    return (
        joinedload(Batch.product).joinedload(Product.producer),
        joinedload(Batch.product).selectinload(Product.certificates),
        joinedload(Batch.growing_area),
    )


def public_batch(gtin: str, lot: str) -> Batch:
    """The batch a label URL names (GTIN in 8, 12, 13 or 14 digits); 404 if there is none."""
    try:
        gtin14 = gtin_rules.canonical(gtin)
    except ValueError:
        abort(404)
    if len(lot) > MAX_LOT or "\x00" in lot:
        abort(404)
    batch = db.session.scalar(
        select(Batch)
        .join(Batch.product)
        .where(Product.gtin == gtin14, Batch.lot == lot)
        .options(*_batch_options())
    )
    return batch or abort(404)


def producer_required(view):
    """Anonymous visitors log in first; accounts that are not a producer's get 403."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_producer:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def own_batch(batch_id: int) -> Batch:
    """The batch if it is this producer's; 404 for anyone else's (no hint that it exists)."""
    if batch_id > MAX_ID:
        abort(404)
    batch = db.session.scalar(
        select(Batch)
        .join(Batch.product)
        .where(Batch.id == batch_id, Product.producer_id == current_user.producer_id)
        .options(*_batch_options())
    )
    return batch or abort(404)


def own_run(run_id: int) -> LabelRun:
    if run_id > MAX_ID:
        abort(404)
    run = db.session.scalar(
        select(LabelRun)
        .join(LabelRun.batch)
        .join(Batch.product)
        .where(LabelRun.id == run_id, Product.producer_id == current_user.producer_id)
        .options(joinedload(LabelRun.batch).options(*_batch_options()))
    )
    return run or abort(404)


@bp.get("/<gtin>/<lot>/qr.png")
def qr_png(gtin: str, lot: str):
    batch = public_batch(gtin, lot)
    body = qr.png(qr.batch_url(batch.product.gtin, batch.lot))
    return _cached(body, "image/png", f"public, max-age={YEAR}, immutable")


@bp.get("/<gtin>/<lot>/qr.svg")
def qr_svg(gtin: str, lot: str):
    batch = public_batch(gtin, lot)
    body = qr.svg(qr.batch_url(batch.product.gtin, batch.lot))
    return _cached(body, "image/svg+xml", f"public, max-age={YEAR}, immutable")


@bp.get("/<gtin>/<lot>/sheet.pdf")
def sheet_pdf(gtin: str, lot: str):
    """A4 sheet (24 labels) or one roll label, all carrying the batch URL."""
    layout = request.args.get("layout", "a4")
    if layout not in LAYOUTS:
        abort(400)
    batch = public_batch(gtin, lot)
    if refusal := printing.print_refusal(batch):
        return _refused(refusal)
    body = printing.batch_sheet(batch, layout)
    filename = f"labels-{batch.product.gtin}-{batch.lot}-{layout}.pdf"
    # The stars on it lapse with the certificate: cached for an hour, not forever.
    return _cached(body, "application/pdf", "public, max-age=3600", filename)


@bp.get("/batches/<int:batch_id>")
@producer_required
def batch_labels(batch_id: int):
    batch = own_batch(batch_id)
    return _labels_page(batch, RunForm())


@bp.post("/batches/<int:batch_id>/runs")
@producer_required
def create_run(batch_id: int):
    batch = own_batch(batch_id)
    form = RunForm()
    if not form.validate_on_submit():
        return _labels_page(batch, form, status=400)
    if printing.print_refusal(batch):
        return _labels_page(batch, form, status=409)
    run = issue_serials(batch, form.count.data, form.layout.data, current_user)
    db.session.commit()
    return redirect(url_for("labels.run_pdf", run_id=run.id), code=303)


@bp.get("/runs/<int:run_id>.pdf")
@producer_required
def run_pdf(run_id: int):
    run = own_run(run_id)
    if refusal := printing.print_refusal(run.batch):
        return _refused(refusal)
    body = printing.run_sheet(run)
    filename = f"labels-{run.batch.product.gtin}-{run.batch.lot}-run{run.id}.pdf"
    return _cached(body, "application/pdf", "private, no-cache", filename)


def _labels_page(batch: Batch, form: RunForm, status: int = 200):
    runs = db.session.scalars(
        select(LabelRun)
        .where(LabelRun.batch_id == batch.id)
        .order_by(LabelRun.created_at.desc(), LabelRun.id.desc())
        .limit(20)
    ).all()
    url = qr.batch_url(batch.product.gtin, batch.lot)
    return render_template(
        "labels/batch.html",
        batch=batch,
        form=form,
        runs=runs,
        content=printing.label_content(batch),
        captions=printing.captions(),
        url=url,
        short_url=qr.short_url(url),
        refusal=printing.print_refusal(batch),
        back_url=_batch_page(batch),
        max_run=MAX_RUN,
    ), status


def _batch_page(batch: Batch) -> str:
    """The batch's page in the farmer's records, or the farm dashboard without one."""
    try:
        return url_for("trace.batch", batch_id=batch.id)
    except BuildError:
        return url_for("farm.dashboard")


def _refused(message: str):
    return render_template(
        "errors/error.html", status=409, title=_("Labels cannot be printed"), detail=message
    ), 409


def _cached(body: bytes, mimetype: str, cache_control: str, filename: str | None = None):
    """The file with an ETag (so a repeated download is a 304) and the given caching."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    if filename:
        safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
        response.headers["Content-Disposition"] = f'inline; filename="{safe_name}"'
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)
