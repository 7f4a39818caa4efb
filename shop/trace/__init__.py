"""trace: growing areas, packing houses, batches and their tamper-evident events."""
