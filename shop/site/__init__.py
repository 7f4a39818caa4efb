"""site: see views.py for its routes."""
