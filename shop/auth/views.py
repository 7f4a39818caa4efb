"""Log in, log out, sign up."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from shop.auth import accounts
from shop.auth.forms import EMAIL_TAKEN, LoginForm, SignupForm
from shop.extensions import db, limiter
from shop.site.views import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_rate = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])


def render_form(template: str, form, **context):
    """The page with the form; 400 when it was submitted and did not pass."""
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


@bp.route("/login", methods=["GET", "POST"])
@login_rate
def login():
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(accounts.landing_url(current_user, next_url))
    form = LoginForm()
    if form.validate_on_submit():
        login_user(form.user, remember=form.remember.data)
        flash(_("Welcome back, %(name)s.", name=form.user.name), "success")
        return redirect(accounts.landing_url(form.user, next_url))
    return render_form("auth/login.html", form, next_url=safe_next(next_url, ""))


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("catalogue.index"))


@bp.route("/signup", methods=["GET", "POST"])
@login_rate
def signup():
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(accounts.landing_url(current_user, next_url))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_account(**form.account_data())
        except accounts.EmailTaken:
            form.email.errors.append(EMAIL_TAKEN)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(safe_next(next_url, url_for("catalogue.index")))
    return render_form("auth/signup.html", form, next_url=safe_next(next_url, ""))
