"""GET /backoffice/dashboard: sales, products, producers, provinces and label scans over the
last 30 or 90 days, drawn as charts (cached briefly), and today's warnings (always fresh)."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from shop.backoffice.access import require_staff
from shop.dashboard import charts, figures
from shop.dashboard.alerts import alerts
from shop.extensions import utcnow
from shop.farm.fields import local_today

bp = Blueprint("dashboard", __name__, url_prefix="/backoffice/dashboard")
bp.before_request(require_staff)

WINDOWS = (30, 90)


@bp.get("")
def index():
    days = request.args.get("days", type=int)
    window = figures.Window(days if days in WINDOWS else WINDOWS[0], local_today())
    key = (
        current_app.config["SQLALCHEMY_DATABASE_URI"],
        str(get_locale()),
        window,
        figures.data_version(),
    )
    drawn = charts.cache.get_or_draw(
        key, current_app.config["DASHBOARD_CACHE_SECONDS"], lambda: draw(window)
    )
    return render_template(
        "dashboard/index.html",
        window=window,
        windows=WINDOWS,
        drawn=drawn,
        alerts=alerts(window.today, utcnow()),
    )


def draw(window: figures.Window) -> dict:
    """Every chart of the window, with its figures (a few grouped queries, whatever the data)."""

    def days(points):
        return [(day.strftime("%d/%m"), value) for day, value in points]

    not_told = _("Not told")
    return {
        "sales": charts.per_day(_("Sales per day"), days(figures.sales_per_day(window)), True),
        "products": charts.ranking(_("Top products"), figures.top_products(window), True),
        "producers": charts.ranking(
            _("Sales by producer"), figures.sales_by_producer(window), True
        ),
        "provinces": charts.ranking(
            _("Orders by province"), figures.orders_by_province(window), False
        ),
        "scans": charts.per_day(
            _("Label scans per day"), days(figures.scans_per_day(window)), False
        ),
        "scan_provinces": charts.ranking(
            _("Label scans by province"),
            [(p or not_told, n) for p, n in figures.scans_by_province(window)],
            False,
        ),
        "scan_to_purchase": figures.scan_to_purchase(window),
    }
