"""payments: VietQR transfers, bank and Stripe webhooks, the staff review queue, refunds."""
