"""Partners outside the shop (packing houses, transporters) that record their step over EPCIS."""
