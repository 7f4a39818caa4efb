"""audit: the hash-chained log of staff and admin actions; record() in log.py, views.py lists it."""
