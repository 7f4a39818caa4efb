"""backoffice views."""

from flask import Blueprint

bp = Blueprint("backoffice", __name__, url_prefix="/backoffice")


@bp.get("/approvals")
def approvals():
    return "placeholder"
