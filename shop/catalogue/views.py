"""The consumer catalogue: search and filter listed products, and each product's page."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from shop.catalogue import gtin
from shop.catalogue.forms import CatalogueForm
from shop.catalogue.models import Product
from shop.catalogue.search import (
    find_product,
    listed_places,
    search_products,
)

bp = Blueprint("catalogue", __name__)


@bp.get("/")
def index():
    """The home page is the catalogue; a malformed filter is explained (400), never a 500."""
    form = CatalogueForm(request.args, listed_places())
    is_valid = form.validate()
    filters = form.filters()
    results = search_products(filters, per_page=current_app.config["CATALOGUE_PAGE_SIZE"])
    if filters.page > max(results.pages, 1):
        abort(404)
    html = render_template("catalogue/index.html", form=form, results=results, filters=filters)
    return html, 200 if is_valid else 400


@bp.get("/products/<slug>")
def product(slug: str):
    """A listed product; its producer and the cooperative's staff also see it before listing."""
    product = find_product(slug)
    if product is None or not (product.is_listed or can_preview(product)):
        abort(404)
    return render_template(
        "catalogue/product.html",
        product=product,
        certificate=product.current_certificate(),
        lapsed=product.lapsed_certificate(),
        printed_gtin=gtin.display(product.gtin) if product.gtin else None,
    )


def can_preview(product: Product) -> bool:
    """The producer who owns the product, or staff, may look at it while it is not listed."""
    if not current_user.is_authenticated:
        return False
    return current_user.is_staff or current_user.producer_id == product.producer_id
