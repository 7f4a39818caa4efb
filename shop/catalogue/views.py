"""catalogue views."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__)


@bp.get("/")
def index():
    return "placeholder"
