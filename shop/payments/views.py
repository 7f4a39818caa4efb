"""Bank-transfer webhooks (SePay, Casso) and the VietQR pieces of the order page."""

from flask import Blueprint

bp = Blueprint("payments", __name__)
