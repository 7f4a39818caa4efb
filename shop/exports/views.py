"""GET /backoffice/exports/orders.csv and payouts.csv (?from=&to=, Vietnamese dates), and the
page that offers them."""

from flask import Blueprint, render_template, request

from shop.backoffice.access import require_staff
from shop.exports.csvfile import csv_response
from shop.exports.orders import HEADER as ORDER_HEADER
from shop.exports.orders import order_rows
from shop.exports.payouts import HEADER as PAYOUT_HEADER
from shop.exports.payouts import payout_rows
from shop.farm.fields import local_today
from shop.payouts import ledger
from shop.periods import PeriodForm

bp = Blueprint("exports", __name__, url_prefix="/backoffice/exports")
bp.before_request(require_staff)


@bp.get("")
def index():
    form = PeriodForm(request.args)
    form.validate()
    return render_template("exports/index.html", form=form)


@bp.get("/orders.csv")
def orders_csv():
    form = PeriodForm(request.args)
    if not form.validate():
        return render_template("exports/index.html", form=form), 400
    start, end = form.bounds()
    return csv_response(_filename("orders", form), ORDER_HEADER, order_rows(start, end))


@bp.get("/payouts.csv")
def payouts_csv():
    form = PeriodForm(request.args)
    if not form.validate():
        return render_template("exports/index.html", form=form), 400
    first, last = form.chosen(local_today())
    form.date_from.data, form.date_to.data = first, last
    figures = ledger.period_figures(first, last)
    return csv_response(_filename("payouts", form), PAYOUT_HEADER, payout_rows(figures))


def _filename(kind: str, form: PeriodForm) -> str:
    """orders_2026-11-01_2026-11-30.csv; an open side reads 'start' or 'today'."""
    first = form.date_from.data.isoformat() if form.date_from.data else "start"
    last = form.date_to.data.isoformat() if form.date_to.data else "today"
    return f"{kind}_{first}_{last}.csv"
