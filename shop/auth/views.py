"""Log in, log out, sign up."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
def login():
    return "placeholder"


@bp.post("/logout")
def logout():
    return "placeholder"
