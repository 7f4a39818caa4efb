"""exports: the back office's CSV files (orders, payouts); see views.py."""
