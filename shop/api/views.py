"""The public JSON API, /api/v1: products and batches; errors are application/problem+json."""

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from shop.api.openapi import openapi_document
from shop.api.serialise import batch_document, product_document, product_item
from shop.catalogue.forms import CatalogueForm
from shop.catalogue.search import find_listed_product, listed_districts, search_products
from shop.scan.lookup import find_batch
from shop.site.errors import problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_ID = 2**31 - 1  # the id column is a 32-bit integer on PostgreSQL


@bp.get("/products")
def products():
    """Listed products matching q, group, stars, district, price_min/max, sort; by page."""
    form = CatalogueForm(request.args, districts=listed_districts())
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


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return openapi_document(current_app.config["SHOP_BASE_URL"])
