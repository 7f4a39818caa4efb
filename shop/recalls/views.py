"""Recalling a batch from the back office (staff) or the farm pages (its own producer)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.checkout.orders import send_order_emails
from shop.extensions import db
from shop.recalls.forms import FindBatchForm, RecallForm
from shop.recalls.recalls import (
    CannotRecall,
    buyers_of,
    may_recall,
    notices_of,
    recall_batch,
    recalled_batches,
)
from shop.scan.lookup import find_batch
from shop.trace.models import Batch

bp = Blueprint("recalls", __name__, url_prefix="/recalls")
ID = "int(max=2147483647)"


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@bp.get("/")
def index():
    """Staff: the recalled lots, and a search by GTIN and lot to recall another."""
    if not current_user.is_staff:
        abort(403)
    form = FindBatchForm(request.args)
    found = None
    if form.gtin.data and form.lot.data and form.validate():
        found = find_batch(form.gtin.data, form.lot.data)
        if found is None:
            form.lot.errors.append(_("No batch has this GTIN and lot."))
    return render_template("recalls/index.html", form=form, found=found, recalls=recalled_batches())


@bp.route(f"/batches/<{ID}:batch_id>", methods=["GET", "POST"])
def batch(batch_id: int):
    """The recall form (with its confirmation), or the recall and who was told of it."""
    record = _batch_or_404(batch_id)
    form = RecallForm()
    if record.recalled_at is None and form.validate_on_submit():
        try:
            recall_batch(record, form.reason.data, form.advice.data, by=current_user)
            db.session.commit()
        except CannotRecall as refusal:
            db.session.rollback()
            flash(str(refusal.message), "error")
            return redirect(url_for(".batch", batch_id=batch_id), 303)
        send_order_emails()
        message = _("Batch %(lot)s is recalled; its buyers are being e-mailed.", lot=record.lot)
        flash(message, "success")
        return redirect(url_for(".batch", batch_id=batch_id), 303)
    status = 200
    if form.is_submitted():
        status = 409 if record.recalled_at is not None else 400
    return render_template(
        "recalls/batch.html",
        batch=record,
        form=form,
        buyers=buyers_of(record) if record.recalled_at is None and current_user.is_staff else [],
        notices=notices_of(record),
    ), status


def _batch_or_404(batch_id: int) -> Batch:
    """The batch, if this user may recall it; someone else's batch is not found (404)."""
    record = db.session.get(Batch, batch_id)
    if record is None or not may_recall(current_user, record):
        abort(404)
    return record
