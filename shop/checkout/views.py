"""Cart, checkout and the customer's order pages."""

from flask import Blueprint

bp = Blueprint("checkout", __name__)
