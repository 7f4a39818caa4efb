"""POST /webhooks/stripe: Checkout Session events, verified with the SDK, applied once."""

from flask import Blueprint

bp = Blueprint("stripe_webhook", __name__)
