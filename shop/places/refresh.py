"""Stored place names follow the package: `flask refresh-places` after upgrading vietnam-provinces.

Codes are the key and never change here; the names stored beside them are copies, updated when
the statistics office corrects or renames a unit (2025.10 wrote "Phường Đào Duy Từ" where
2025.8 had "Phường Đào Duy Tư"). Functions flush; the command commits.
"""

from dataclasses import dataclass, field

from sqlalchemy import select, update

from shop.checkout.models import Order
from shop.extensions import db
from shop.places.directory import commune, province
from shop.producers.models import Producer
from shop.scan.models import Scan
from shop.trace.models import GrowingArea, PackingHouse

LOCATED = (Producer, GrowingArea, PackingHouse, Order)


@dataclass
class Refreshed:
    rows: int = 0  # rows whose stored name changed
    unknown: set[int] = field(default_factory=set)  # codes the package no longer has


def _rename(model, code_column, name_column, lookup, result: Refreshed) -> None:
    pairs = db.session.execute(
        select(code_column, name_column).where(code_column.is_not(None)).distinct()
    ).all()
    for code, stored in pairs:
        place = lookup(code)
        if place is None:
            result.unknown.add(code)
            continue
        if place.name == stored:
            continue
        where = (code_column == code, name_column == stored)
        if model is Producer:  # through the ORM, so the search text follows the new name
            rows = db.session.scalars(select(model).where(*where)).all()
            for row in rows:
                setattr(row, name_column.key, place.name)
            result.rows += len(rows)
        else:
            done = db.session.execute(
                update(model).where(*where).values({name_column.key: place.name})
            )
            result.rows += done.rowcount


def refresh_places() -> Refreshed:
    """Copy the package's current province and commune names onto every row with a code."""
    result = Refreshed()
    for model in LOCATED:
        _rename(model, model.province_code, model.province, province, result)
        _rename(model, model.commune_code, model.commune, commune, result)
    _rename(Scan, Scan.province_code, Scan.province, province, result)
    db.session.flush()
    return result
