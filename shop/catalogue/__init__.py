"""catalogue: see views.py for its routes."""
