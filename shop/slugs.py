"""Unique URL slugs: 'che-lam', then 'che-lam-2', 'che-lam-3' … for any table's slug column."""

from sqlalchemy import or_, select
from sqlalchemy.orm import InstrumentedAttribute

from shop.extensions import db
from shop.text import slugify


def unique_slug(column: InstrumentedAttribute, name: str, reserved: frozenset = frozenset()) -> str:
    """slugify(name), with -2, -3 … appended when the column (or `reserved`) already has it."""
    base = slugify(name)
    taken = reserved | set(
        db.session.scalars(select(column).where(or_(column == base, column.like(f"{base}-%"))))
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
