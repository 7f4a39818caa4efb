"""farm views: the producer's own workspace."""

from flask import Blueprint

bp = Blueprint("farm", __name__, url_prefix="/farm")


@bp.get("/")
def dashboard():
    return "placeholder"
