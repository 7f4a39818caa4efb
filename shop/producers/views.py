"""Producers: signing up to sell, and the public page of each producer."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from shop.auth.accounts import EmailTaken, home_url
from shop.auth.forms import EMAIL_TAKEN
from shop.auth.models import User
from shop.catalogue.models import Product
from shop.catalogue.search import card_options
from shop.extensions import db, limiter
from shop.producers.forms import ProducerSignupForm
from shop.producers.models import ApprovalStatus, Producer
from shop.producers.registration import register_producer

bp = Blueprint("producers", __name__, url_prefix="/producers")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def signup():
    if current_user.is_authenticated:
        flash(_("You are already logged in. Log out first to register a new producer."), "info")
        return redirect(home_url(current_user))
    form = ProducerSignupForm()
    if form.validate_on_submit():
        try:
            user = register_producer(**form.registration_data())
        except EmailTaken:
            form.email.errors.append(EMAIL_TAKEN)
        else:
            db.session.commit()
            login_user(user)
            flash(
                _(
                    "Thank you! %(name)s is registered and awaiting approval by the "
                    "cooperative. You can prepare your products in the meantime.",
                    name=user.producer.name,
                ),
                "info",
            )
            return redirect(url_for("farm.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("producers/signup.html", form=form), status


@bp.get("/<slug>")
def show(slug: str):
    """A producer's page: approved producers for everyone, others only for owner and staff."""
    producer = db.session.scalar(select(Producer).where(Producer.slug == slug))
    if producer is None or not (producer.is_approved or can_preview(producer, current_user)):
        abort(404)
    return render_template(
        "producers/show.html", producer=producer, products=listed_products_of(producer)
    )


def can_preview(producer: Producer, user: User) -> bool:
    """The producer's own people and the cooperative's staff see the page before approval."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.producer_id == producer.id


def listed_products_of(producer: Producer) -> list:
    """The producer's approved, active products, loaded for product cards in fixed queries."""
    return list(
        db.session.scalars(
            select(Product)
            .where(
                Product.producer_id == producer.id,
                Product.status == ApprovalStatus.APPROVED,
                Product.is_active.is_(True),
            )
            .options(*card_options())
            .order_by(Product.name, Product.id)
        ).unique()
    )
