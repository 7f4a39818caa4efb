"""people: administrators manage the cooperative's staff accounts and roles."""
