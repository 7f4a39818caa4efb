"""GS1 GTIN: check digits and the canonical 14-digit form."""

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(body: str) -> int:
    """GS1 mod-10 check digit of the digits before it (weights 3,1,3,1… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid(gtin: str) -> bool:
    """True for an 8, 12, 13 or 14-digit string whose last digit is its check digit."""
    return (
        isinstance(gtin, str)
        and gtin.isascii()
        and gtin.isdigit()
        and len(gtin) in GTIN_LENGTHS
        and check_digit(gtin[:-1]) == int(gtin[-1])
    )


def canonical(gtin: str) -> str:
    """The 14-digit form used in storage and in GS1 Digital Link URLs; ValueError if invalid."""
    gtin = (gtin or "").strip().replace(" ", "")
    if not is_valid(gtin):
        raise ValueError(f"not a valid GTIN: {gtin!r}")
    return gtin.zfill(14)


def display(gtin14: str) -> str:
    """GTIN-14 with leading zeros dropped down to the GTIN-13/12/8 it was printed as."""
    for length in (8, 12, 13):
        if gtin14.startswith("0" * (14 - length)):
            return gtin14[-length:]
    return gtin14
