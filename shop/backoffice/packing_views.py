"""Packing pages and PDFs: the pick list per producer, the pack-by-customer sheet and one
packing slip per order. Routes on the back office's blueprint (staff and admin only)."""

from datetime import date

from flask import abort, make_response, render_template, request, url_for
from flask_babel import gettext as _

from shop.backoffice import packing
from shop.backoffice.desk import DeskFilters, parse_filters
from shop.backoffice.order_views import order_or_404
from shop.backoffice.views import bp
from shop.checkout.models import Order
from shop.labels.qr import base_url


@bp.get("/packing", endpoint="packing")
def packing_page():
    filters = _period()
    orders = packing.orders_to_pack(filters.date_from, filters.date_to)
    return render_template(
        "backoffice/packing.html",
        filters=filters,
        orders=orders,
        producers=packing.pick_list(orders),
    ), (400 if filters.errors else 200)


@bp.get("/packing/pick-list.pdf")
def pick_list_pdf():
    filters = _period_or_400()
    orders = packing.orders_to_pack(filters.date_from, filters.date_to)
    body = packing.pick_list_pdf(packing.pick_list(orders), _words(filters))
    return _pdf(body, "pick-list.pdf")


@bp.get("/packing/by-customer.pdf")
def pack_by_customer_pdf():
    filters = _period_or_400()
    orders = packing.orders_to_pack(filters.date_from, filters.date_to)
    return _pdf(packing.pack_by_customer_pdf(orders, _words(filters), staff_url), "packing.pdf")


@bp.get("/orders/<code>/slip.pdf")
def packing_slip(code: str):
    order = order_or_404(code)
    body = packing.packing_slip_pdf(order, _words(DeskFilters()), staff_url(order))
    return _pdf(body, f"slip-{order.code}.pdf")


def staff_url(order: Order) -> str:
    """The order's staff page, absolute (SHOP_BASE_URL): what the slip's QR opens."""
    return base_url() + url_for("backoffice.order", code=order.code)


def _period() -> DeskFilters:
    """Only the dates of the desk's filters (from, to) matter here."""
    return parse_filters({"from": request.args.get("from"), "to": request.args.get("to")})


def _period_or_400() -> DeskFilters:
    filters = _period()
    if filters.errors:
        abort(400, "; ".join(filters.errors))
    return filters


def _words(filters: DeskFilters) -> packing.PackingWords:
    if filters.date_from or filters.date_to:
        period = _(
            "Paid from %(start)s to %(end)s",
            start=_day(filters.date_from) if filters.date_from else "…",
            end=_day(filters.date_to) if filters.date_to else "…",
        )
    else:
        period = _("Every paid order not yet packed")
    return packing.PackingWords(
        pick_title=_("Pick list: what each producer brings"),
        pack_title=_("Packing by customer"),
        slip_title=_("Packing slip"),
        period=period,
        product=_("Product"),
        lot=_("Lot"),
        quantity=_("Quantity"),
        total=_("Total"),
        no_lot=_("no lot recorded"),
        deliver_to=_("Deliver to"),
        phone=_("Phone"),
        scan_hint=_("Scan the QR code to open this order and mark it shipped."),
        nothing=_("No paid order is waiting to be packed."),
    )


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _pdf(body: bytes, filename: str):
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
