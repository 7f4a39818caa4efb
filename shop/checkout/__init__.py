"""checkout: the cart, placing orders that reserve stock and lots, and following an order."""
