"""Producers record their growing areas, packing houses, batches and batch events."""

from flask import Blueprint

bp = Blueprint("trace", __name__, url_prefix="/trace")
