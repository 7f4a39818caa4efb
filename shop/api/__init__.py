"""api: see views.py for its routes."""
