"""The public JSON API, /api/v1: products, batches and orders; errors are problem+json."""

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from shop.api.openapi import openapi_document
from shop.api.serialise import (
    batch_document,
    order_created,
    order_document,
    product_document,
    product_item,
)
from shop.catalogue.forms import CatalogueForm
from shop.catalogue.search import (
    find_listed_product,
    listed_places,
    search_products,
)
from shop.checkout.forms import OrderRequest, read_idempotency_key, read_order_request
from shop.checkout.orders import (
    AlreadyPlaced,
    CannotOrder,
    KeyReused,
    find_order,
    place_order,
    send_order_emails,
)
from shop.checkout.payment import card_payment_url
from shop.extensions import csrf, db
from shop.scan.lookup import find_batch
from shop.site.errors import problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON clients send no CSRF token; no cookie authenticates anything here

MAX_ID = 2**31 - 1  # the id column is a 32-bit integer on PostgreSQL


@bp.get("/products")
def products():
    """Listed products matching q, group, stars, province, commune, (old) district, price, sort."""
    form = CatalogueForm(request.args, listed_places())
    if not form.validate():
        detail = _("Some query parameters are not valid.")
        return problem(422, _("Invalid query"), detail, errors=form.field_errors())
    results = search_products(form.filters(), per_page=current_app.config["API_PAGE_SIZE"])
    return {
        "items": [product_item(p) for p in results.items],
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "page_size": results.per_page,
    }


@bp.get(f"/products/<int(max={MAX_ID}):product_id>")
def product(product_id: int):
    """One listed product; anything else (unknown, pending, hidden) is a 404."""
    product = find_listed_product(product_id)
    if product is None:
        return problem(404, _("Product not found"), _("No listed product has this id."))
    return product_document(product)


@bp.get("/batches/<gtin>/<lot>")
def batch(gtin: str, lot: str):
    """A batch by GTIN (8, 12, 13 or 14 digits) and lot: its origin and its events."""
    found = find_batch(gtin, lot)
    if found is None:
        return problem(404, _("Batch not found"), _("No batch has this GTIN and lot."))
    return batch_document(found)


def _invalid(errors: dict[str, list[str]]):
    detail = _("Some fields are missing or not valid.")
    return problem(422, _("Invalid order"), detail, errors=errors)


def _busy():
    body, status, headers = problem(
        503, _("Busy"), _("The shop is very busy right now. Please try again in a moment.")
    )
    return body, status, {**headers, "Retry-After": "2"}


@bp.post("/orders")
def create_order():
    """Place an order: 201 with its code, token and how to pay; 409 when stock is short."""
    if not request.is_json:
        detail = _("Send the order as JSON with Content-Type: application/json.")
        return problem(415, _("Unsupported media type"), detail)
    key, key_ok = read_idempotency_key(request.headers.get("Idempotency-Key"))
    if not key_ok:
        return _invalid(
            {"Idempotency-Key": [_("Use 8 to 64 letters, digits, '-', '_', ':' or '.'.")]}
        )
    wanted, errors = read_order_request(request.get_json(silent=True))
    if wanted is None:
        return _invalid(errors)
    return _place(wanted, key)


def _place(wanted: OrderRequest, key: str | None):
    """Place a valid order request: 201, the same order again (200), or why not (409…)."""
    try:
        order, token = place_order(
            wanted.items, wanted.customer, wanted.payment_method, idempotency_key=key
        )
    except AlreadyPlaced as placed:
        db.session.rollback()
        pay_url, _problem = card_payment_url(placed.order)
        return order_created(placed.order, placed.token, pay_url), 200
    except KeyReused:
        db.session.rollback()
        return _invalid({"Idempotency-Key": [_("This key was already used for another order.")]})
    except OperationalError:  # SQLite's write lock not free within busy_timeout, and the like
        db.session.rollback()
        current_app.logger.warning("database busy: order not placed", exc_info=True)
        return _busy()
    except CannotOrder as refusal:
        db.session.rollback()
        return problem(
            409,
            _("Not enough stock"),
            str(refusal.message),
            product_id=refusal.product_id,
            product_name=refusal.name,
            available=getattr(refusal, "available", 0),
        )
    db.session.commit()
    send_order_emails()
    location = url_for(".order", code=order.code)
    pay_url, _problem = card_payment_url(order)
    return order_created(order, token, pay_url), 201, {"Location": location}


@bp.get("/orders/<code>")
def order(code: str):
    """An order's status, items (with their lots) and payment; needs the X-Order-Token header."""
    found = find_order(code, request.headers.get("X-Order-Token"))
    if found is None:
        return problem(404, _("Order not found"), _("No order has this code and token."))
    return order_document(found)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return openapi_document(current_app.config["SHOP_BASE_URL"])
