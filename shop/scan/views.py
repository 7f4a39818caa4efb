"""Public pages behind the QR: GS1 Digital Link URLs, fixed forever once printed."""

from flask import Blueprint

bp = Blueprint("scan", __name__)
