"""producers: see views.py for its routes."""
