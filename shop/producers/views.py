"""producers views."""

from flask import Blueprint

bp = Blueprint("producers", __name__, url_prefix="/producers")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    return "placeholder"
