"""Label downloads: a batch QR as PNG/SVG, print-ready PDF sheets, serialised runs."""

from flask import Blueprint

bp = Blueprint("labels", __name__, url_prefix="/labels")
