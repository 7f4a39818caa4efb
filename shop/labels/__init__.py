"""labels: QR labels for batches, single and serialised, as PNG, SVG and print-ready PDF."""
