"""farm: see views.py for its routes."""
