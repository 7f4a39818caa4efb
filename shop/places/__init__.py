"""places: Vietnam's provinces and communes/wards since the 2025 reform (vietnam-provinces)."""
