"""auth: see views.py for its routes."""
