"""The farmer's workspace: status, own products, profile. Producers only, own things only."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.catalogue.models import Product
from shop.extensions import db
from shop.farm import listings
from shop.farm import orders as farm_orders
from shop.farm.forms import MAX_PHOTOS, UNIT_SUGGESTIONS, ProductForm, ProfileForm
from shop.farm.profile import update_profile

bp = Blueprint("farm", __name__, url_prefix="/farm")
MAX_ID = 2**31 - 1


@bp.before_request
def require_producer():
    """Anonymous visitors log in first; any other role is not allowed here."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_producer:
        abort(403)
    return None


def own_product(product_id: int) -> Product:
    """The product if it is this producer's; 404 for anyone else's (no hint that it exists)."""
    if product_id > MAX_ID:
        abort(404)  # larger than any database integer: cannot exist
    product = db.session.scalar(
        select(Product)
        .where(Product.id == product_id, Product.producer_id == current_user.producer_id)
        .options(selectinload(Product.photos), selectinload(Product.certificates))
    )
    if product is None:
        abort(404)
    return product


@bp.get("/")
def dashboard():
    products = db.session.scalars(
        select(Product)
        .where(Product.producer_id == current_user.producer_id)
        .options(selectinload(Product.photos), selectinload(Product.certificates))
        .order_by(Product.created_at.desc(), Product.id.desc())
    ).all()
    return render_template("farm/dashboard.html", producer=current_user.producer, products=products)


@bp.get("/orders")
def orders():
    """The lines of this producer's products to bring to the collection point, by day."""
    return render_template(
        "farm/orders.html", days=farm_orders.lines_to_prepare(current_user.producer_id)
    )


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    producer = current_user.producer
    form = ProfileForm(obj=producer)
    if form.validate_on_submit():
        update_profile(producer, form)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("farm.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("farm/profile.html", form=form, producer=producer), status


@bp.route("/products/new", methods=["GET", "POST"])
def new_product():
    form = ProductForm(producer=current_user.producer)
    if form.validate_on_submit() and _saved(
        form, lambda: listings.create_product(form.producer, form)
    ):
        flash(_("Product saved. The cooperative will check it before it is shown."), "success")
        return redirect(url_for("farm.dashboard"))
    return _product_page(form, None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
def edit_product(product_id: int):
    product = own_product(product_id)
    form = ProductForm(producer=current_user.producer, product=product)
    if form.validate_on_submit() and _saved(form, lambda: listings.update_product(product, form)):
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("farm.dashboard"))
    return _product_page(form, product)


@bp.post("/products/<int:product_id>/deactivate")
def deactivate_product(product_id: int):
    listings.deactivate_product(own_product(product_id))
    db.session.commit()
    flash(_("The product is off sale. You can put it back on sale at any time."), "success")
    return redirect(url_for("farm.dashboard"))


@bp.post("/products/<int:product_id>/activate")
def activate_product(product_id: int):
    listings.activate_product(own_product(product_id))
    db.session.commit()
    flash(_("The product is on sale again."), "success")
    return redirect(url_for("farm.dashboard"))


def _saved(form: ProductForm, write) -> bool:
    """Commit the write; a GTIN another product took a moment ago becomes a form error."""
    try:
        write()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if form.gtin14 and form.gtin_taken(form.gtin14):
            form.gtin.errors.append(
                _("Another product in the shop already has this barcode number.")
            )
        else:
            flash(_("Someone saved at the same moment. Please press Save again."), "error")
        return False
    return True


def _product_page(form: ProductForm, product: Product | None):
    return render_template(
        "farm/product_form.html",
        form=form,
        product=product,
        max_photos=MAX_PHOTOS,
        unit_suggestions=UNIT_SUGGESTIONS,
    ), (400 if form.is_submitted() else 200)
