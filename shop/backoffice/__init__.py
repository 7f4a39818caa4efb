"""backoffice: views.py holds the blueprint; order_views.py and packing_views.py add the order
desk and the packing sheets to it."""

from shop.backoffice import order_views, packing_views  # noqa: F401 - routes on views.bp
