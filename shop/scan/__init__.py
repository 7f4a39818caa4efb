"""scan: the public pages a QR label leads to (GS1 Digital Link) and the resolver around them."""
