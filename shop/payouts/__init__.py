"""payouts: what the cooperative owes each producer for a period, and the payouts it made."""
