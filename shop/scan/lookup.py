"""Finding what a scanned GS1 Digital Link names: a GTIN, a batch (lot), a label serial.

Whatever is in the URL was printed somewhere, possibly by someone else: every value is checked
before it reaches the database (PostgreSQL rejects NUL, columns have lengths), so a malformed
code is simply "not found", never an error.
"""

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from shop.catalogue import gtin as gtin_rules
from shop.catalogue.models import Product
from shop.extensions import db
from shop.trace.models import Batch

MAX_KEY_LENGTH = 20  # GS1 AI (10) lot and AI (21) serial: at most 20 characters


def canonical_gtin(value: str) -> str | None:
    """The 14-digit form of a valid GTIN-8/12/13/14, or None (bad digits, bad check digit)."""
    try:
        return gtin_rules.canonical(value) if value.isascii() and value.isdigit() else None
    except ValueError:
        return None


def plausible_key(value: str) -> bool:
    """A lot or serial that could have been stored: not empty, short enough, printable."""
    return 0 < len(value) <= MAX_KEY_LENGTH and value.isprintable()


def page_options() -> tuple:
    """Everything the scan page, the API and the EPCIS export read, in a fixed number of queries."""
    return (
        contains_eager(Batch.product).options(
            joinedload(Product.producer),
            selectinload(Product.photos),
            selectinload(Product.certificates),
        ),
        joinedload(Batch.growing_area),
        joinedload(Batch.packing_house),
        selectinload(Batch.events),
    )


def find_batch(gtin: str, lot: str) -> Batch | None:
    """The batch of the product with this GTIN (any length) and this lot, fully loaded."""
    gtin14 = canonical_gtin(gtin)
    if gtin14 is None or not plausible_key(lot):
        return None
    stmt = (
        select(Batch)
        .join(Batch.product)
        .where(Product.gtin == gtin14, Batch.lot == lot)
        .options(*page_options())
    )
    return db.session.scalars(stmt).unique().one_or_none()


def find_product_by_gtin(gtin: str) -> Product | None:
    """The product carrying this GTIN, with what its linkset needs (certificates, batches)."""
    gtin14 = canonical_gtin(gtin)
    if gtin14 is None:
        return None
    stmt = (
        select(Product)
        .where(Product.gtin == gtin14)
        .options(
            joinedload(Product.producer),
            selectinload(Product.certificates),
            selectinload(Product.batches),
        )
    )
    return db.session.scalars(stmt).unique().one_or_none()
