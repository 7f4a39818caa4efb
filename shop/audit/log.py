"""Write and check the audit log: record() in the action's own transaction, verify_log() over
the whole chain. Nothing here (or anywhere) changes or deletes an entry."""

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from shop.audit.models import AuditEntry
from shop.extensions import db, utcnow
from shop.hashchain import GENESIS, instant, link_hash

# pg_advisory_xact_lock key taken while appending: one writer at a time extends the chain.
_APPEND_LOCK = 0x0A0D17


def content_of(entry) -> dict:
    """Everything an entry (or a row of its columns) says, in a fixed form; its hash covers this
    and prev_hash."""
    return {
        "seq": entry.seq,
        "at": instant(entry.created_at),
        "actor": entry.actor_id,
        "actor_email": entry.actor_email,
        "action": entry.action,
        "target": entry.target,
        "before": entry.before,
        "after": entry.after,
    }


def _plain(values: dict | None) -> dict | None:
    """Dates, enums and lazy strings as the JSON column will give them back, so the hash taken
    now matches the one recomputed from the stored row."""
    if values is None:
        return None
    return json.loads(json.dumps(values, default=str, ensure_ascii=False))


def record(actor, action: str, target: str, before=None, after=None) -> AuditEntry:
    """Append an entry: `actor` (a User, or None for the system) did `action` to `target`
    ("order:DH12AB", "producer:12"), which went from `before` to `after`. Flushes; the caller's
    commit writes it together with the action, and a rollback drops both."""
    db.session.flush()  # the action's own changes first: on SQLite they take the write lock
    _one_writer_at_a_time()
    last = db.session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        target=target,
        before=_plain(before),
        after=_plain(after),
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = link_hash(entry.prev_hash, content_of(entry))
    db.session.add(entry)
    db.session.flush()
    return entry


def _one_writer_at_a_time() -> None:
    """Two staff acting at once must not both take the next seq (the unique seq backs this up).

    PostgreSQL: a transaction-level advisory lock. SQLite: the database's write lock; if this
    transaction holds none yet (an action that changed nothing before recording), take it."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_APPEND_LOCK)))
    elif (
        connection.dialect.name == "sqlite"
        and not connection.connection.dbapi_connection.in_transaction
    ):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_STORED = ("seq", "created_at", "actor_id", "actor_email", "action", "target", "before", "after")
_STORED += ("prev_hash", "hash")


@dataclass(frozen=True)
class Verdict:
    """The whole log checked: intact, or the first entry where the chain breaks."""

    entries: int
    broken_at: int | None = None  # seq of the first entry that is altered, missing or moved

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_log(batch: int = 1000) -> Verdict:
    """Recompute every hash in seq order (streamed, so memory stays flat): an edited entry
    fails its own hash, a deleted one leaves a gap in seq and a prev_hash that points nowhere."""
    previous, expected, count = GENESIS, 1, 0
    columns = [getattr(AuditEntry, name) for name in _STORED]
    rows = db.session.execute(
        select(*columns).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    )
    broken = None
    for entry in rows:
        count += 1
        if broken is None and (
            entry.seq != expected
            or entry.prev_hash != previous
            or link_hash(entry.prev_hash, content_of(entry)) != entry.hash
        ):
            broken = expected if entry.seq != expected else entry.seq
        previous, expected = entry.hash, entry.seq + 1
    rows.close()
    return Verdict(entries=count, broken_at=broken)


def recorded_actions() -> list[str]:
    """Every action that appears in the log, for the filter's choices."""
    query = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return list(db.session.scalars(query))


def find_entries(*, actor="", action="", target="", start=None, end=None, page=1, per_page=50):
    """Entries matching the filters, newest first, one page (Flask-SQLAlchemy's Pagination).

    actor: part of the e-mail; target: the object or its beginning ("order:" for every order);
    start/end: instants, end excluded."""
    query = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if actor:
        query = query.where(AuditEntry.actor_email.contains(actor.lower(), autoescape=True))
    if action:
        query = query.where(AuditEntry.action == action)
    if target:
        query = query.where(AuditEntry.target.startswith(target, autoescape=True))
    if start is not None:
        query = query.where(AuditEntry.created_at >= start)
    if end is not None:
        query = query.where(AuditEntry.created_at < end)
    query = query.order_by(AuditEntry.seq.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
