"""Serialised label runs: each printed label gets its own random, unguessable serial.

Serials are 10 characters of Crockford's base32 alphabet (no I, L, O or U, so nothing is
misread when typed from a label): 50 random bits from `secrets`, never sequential, so a
counterfeiter cannot guess the next one from a label they hold.
"""

import secrets

from sqlalchemy import select

from shop.extensions import db
from shop.labels.models import LabelRun, LabelSerial
from shop.labels.sheets import LAYOUTS
from shop.trace.models import Batch

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SERIAL_LENGTH = 10
MAX_RUN = 5000
_CHECK_CHUNK = 500  # serials per "already issued?" query, well under every driver's limit


def new_serial() -> str:
    """One random serial (≈ 50 bits of entropy)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SERIAL_LENGTH))


def issue_serials(batch: Batch, count: int, layout: str, user=None) -> LabelRun:
    """Record a run of `count` labels for the batch, each with a serial unique to the batch.

    Flushes; the caller commits. A collision with a serial already issued for the batch is
    astronomically rare at 50 bits, but it is checked and the serial drawn again.
    """
    if not 1 <= count <= MAX_RUN:
        raise ValueError(f"a run has 1 to {MAX_RUN} labels, not {count}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown label layout {layout!r}")
    serials: set[str] = set()
    while len(serials) < count:
        fresh = {new_serial() for _ in range(count - len(serials))} - serials
        serials |= fresh - _already_issued(batch.id, fresh)
    run = LabelRun(batch=batch, count=count, layout=layout, created_by_id=getattr(user, "id", None))
    db.session.add(run)
    db.session.flush()
    db.session.add_all(
        LabelSerial(batch_id=batch.id, run_id=run.id, serial=serial, scan_count=0)
        for serial in serials
    )
    db.session.flush()
    return run


def _already_issued(batch_id: int, candidates: set[str]) -> set[str]:
    found: set[str] = set()
    pending = sorted(candidates)
    for start in range(0, len(pending), _CHECK_CHUNK):
        chunk = pending[start : start + _CHECK_CHUNK]
        found.update(
            db.session.scalars(
                select(LabelSerial.serial).where(
                    LabelSerial.batch_id == batch_id, LabelSerial.serial.in_(chunk)
                )
            )
        )
    return found


def run_serials(run: LabelRun) -> list[str]:
    """The run's serials in the order they were issued (and are printed)."""
    return list(
        db.session.scalars(
            select(LabelSerial.serial).where(LabelSerial.run_id == run.id).order_by(LabelSerial.id)
        )
    )
