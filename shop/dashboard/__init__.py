"""dashboard: the back office's figures, charts and warnings on one page."""
