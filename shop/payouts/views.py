"""The payouts page: what each producer is owed for a period, recording a payout as paid, the
farmer's statement (PDF), and a producer's own commission rate."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from shop.backoffice.access import require_staff
from shop.checkout.shipping import shop_commission_percent
from shop.extensions import db
from shop.farm.fields import local_today
from shop.payouts import ledger
from shop.payouts.forms import CommissionForm, PayForm
from shop.payouts.statement import render_statement
from shop.periods import PeriodForm
from shop.producers.models import Producer

bp = Blueprint("payouts", __name__, url_prefix="/backoffice/payouts")
MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER: a larger id is a plain 404
bp.before_request(require_staff)


@bp.get("")
def index():
    form = PeriodForm(request.args)
    form.validate()
    return _page(form)


def _page(form: PeriodForm, failed: tuple[int, PayForm] | None = None):
    first, last = form.chosen(local_today())
    if not (form.date_from.errors or form.date_to.errors):
        form.date_from.data, form.date_to.data = first, last
    figures = ledger.period_figures(first, last)
    return render_template(
        "payouts/index.html",
        form=form,
        first=first,
        last=last,
        figures=figures,
        totals=ledger.totals(figures),
        failed=failed,
        period_over=last < local_today(),
        default_percent=shop_commission_percent(),
    )


@bp.post("/pay")
def pay():
    form = PayForm()
    producer_id = form.producer_id.data
    if not producer_id or not 0 < producer_id <= MAX_ID:
        abort(404)
    producer = db.get_or_404(Producer, producer_id)
    if not form.validate_on_submit():
        return _page(form, failed=(producer.id, form)), 400
    first, last = form.date_from.data, form.date_to.data
    try:
        ledger.record_payout(
            producer, first, last, form.bank_reference.data, current_user, local_today()
        )
        db.session.commit()
    except (ledger.CannotPay, IntegrityError) as error:
        db.session.rollback()
        message = str(error) if isinstance(error, ledger.CannotPay) else None
        form.bank_reference.errors = [
            message or _("Part of this period is already paid to %(name)s.", name=producer.name)
        ]
        return _page(form, failed=(producer.id, form)), 409
    flash(_("Recorded the payout to %(name)s.", name=producer.name), "success")
    return redirect(
        url_for(".index", **_period_args(first, last), _anchor=f"producer-{producer.id}"), 303
    )


@bp.get("/<int(max=2147483647):producer_id>/statement.pdf")
def statement(producer_id: int):
    producer = db.get_or_404(Producer, producer_id)
    form = PeriodForm(request.args)
    form.validate()
    first, last = form.chosen(local_today())
    found = ledger.period_figures(first, last, producer.id)
    figures = found[0] if found else ledger.empty_figures(producer, first, last)
    response = Response(render_statement(figures), mimetype="application/pdf")
    name = f"bang-ke-{producer.slug}-{first.isoformat()}-{last.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.post("/<int(max=2147483647):producer_id>/commission")
def set_commission(producer_id: int):
    producer = db.get_or_404(Producer, producer_id)
    form = CommissionForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.percent.errors) or _("Try again."), "error")
        return redirect(url_for(".index", **request.args), 303)
    ledger.set_commission(producer, form.percent.data, current_user)
    db.session.commit()
    flash(_("Saved the commission of %(name)s.", name=producer.name), "success")
    return redirect(url_for(".index", **request.args, _anchor=f"producer-{producer.id}"), 303)


@bp.app_template_global()
def percent(value, sign: bool = True) -> str:
    """Decimal('7.50') → '7,5 %' as Vietnamese write it (sign=False: '7,5', for an input)."""
    text = ledger.percent_text(value)
    return f"{text}\u00a0%" if sign else text


def _period_args(first, last) -> dict:
    return {"from": first.isoformat(), "to": last.isoformat()}
