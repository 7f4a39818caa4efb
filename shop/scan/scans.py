"""Counting scans: one row per scan (time only), a counter per serialised label.

No tracking: no IP address, no user agent, no account. The province is stored only when the
consumer chooses to tell it, and only for a scan made in their own browser session.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import request, session
from sqlalchemy import func, select, update

from shop.extensions import db, utcnow
from shop.labels.models import LabelSerial
from shop.places.directory import Province
from shop.scan.lookup import plausible_key
from shop.scan.models import Scan
from shop.scan.timeline import aware
from shop.trace.models import Batch

SESSION_KEY = "scans"
REMEMBERED_SCANS = 10  # a phone scanning several packages can still answer for each


@dataclass(frozen=True)
class SerialScan:
    """What we know of a serialised label after this scan (count includes it)."""

    serial_id: int
    count: int
    first_scanned_at: datetime | None
    scan_id: int | None = None


def is_new_scan() -> bool:
    """A GET that did not come from one of our own pages (a language switch, a back link).

    A camera opening the label sends no Referer; a visitor clicking around the shop does, and
    is not scanning the package again.
    """
    if request.method != "GET":
        return False
    referrer = request.referrer
    return not referrer or urlsplit(referrer).netloc != request.host


def record_batch_scan(batch: Batch) -> Scan:
    """A scan of a batch-level label (flushes; the view commits)."""
    scan = Scan(batch_id=batch.id, serial_id=None, scanned_at=utcnow())
    db.session.add(scan)
    db.session.flush()
    return scan


def count_serial_scan(batch: Batch, serial: str) -> SerialScan | None:
    """Count a scan of a serial in ONE statement (no read-modify-write race); None if not issued.

    UPDATE … SET scan_count = scan_count + 1 … RETURNING: two phones scanning at the same moment
    both get counted, on SQLite and on PostgreSQL alike.
    """
    if not plausible_key(serial):
        return None
    now = utcnow()
    stmt = (
        update(LabelSerial)
        .where(LabelSerial.batch_id == batch.id, LabelSerial.serial == serial)
        .values(
            scan_count=LabelSerial.scan_count + 1,
            first_scanned_at=func.coalesce(LabelSerial.first_scanned_at, now),
            last_scanned_at=now,
        )
        .returning(LabelSerial.id, LabelSerial.scan_count, LabelSerial.first_scanned_at)
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(stmt).first()
    if row is None:
        return None
    scan = Scan(batch_id=batch.id, serial_id=row.id, scanned_at=now)
    db.session.add(scan)
    db.session.flush()
    return SerialScan(row.id, row.scan_count, aware(row.first_scanned_at), scan.id)


def peek_serial(batch: Batch, serial: str) -> SerialScan | None:
    """The serial's counts without counting (HEAD requests from link checkers are not scans)."""
    if not plausible_key(serial):
        return None
    row = db.session.execute(
        select(LabelSerial.id, LabelSerial.scan_count, LabelSerial.first_scanned_at).where(
            LabelSerial.batch_id == batch.id, LabelSerial.serial == serial
        )
    ).first()
    if row is None:
        return None
    first = aware(row.first_scanned_at) if row.first_scanned_at else None
    return SerialScan(row.id, row.scan_count, first)


def remember_scan(scan_id: int) -> None:
    """Keep the scan's id in this browser's session: only it may add a province to the scan."""
    kept = [i for i in session.get(SESSION_KEY, []) if isinstance(i, int) and i != scan_id]
    session[SESSION_KEY] = [*kept, scan_id][-REMEMBERED_SCANS:]


def is_own_scan(scan_id: int) -> bool:
    return scan_id in session.get(SESSION_KEY, [])


def set_province(scan_id: int, province: Province) -> bool:
    """Store the province the consumer chose for their own scan, once; False if not theirs."""
    if not is_own_scan(scan_id):
        return False
    scan = db.session.get(Scan, scan_id)
    if scan is None:
        return False
    scan.province, scan.province_code = province.name, province.code
    session[SESSION_KEY] = [i for i in session.get(SESSION_KEY, []) if i != scan_id]
    db.session.flush()
    return True
