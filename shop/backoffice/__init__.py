"""backoffice: see views.py for its routes."""
