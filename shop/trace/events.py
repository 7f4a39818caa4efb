"""Append-only batch events with a hash chain: an edited record no longer matches its hash."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from shop.extensions import db, utcnow
from shop.hashchain import GENESIS, instant, link_hash
from shop.trace.models import Batch, BatchEvent, EventType


def content_of(event: BatchEvent) -> dict:
    """Everything an event says, in a fixed form; the hash is taken over this and prev_hash."""
    return {
        "batch": event.batch_id,
        "seq": event.seq,
        "type": EventType(event.type).value,
        "occurred_at": instant(event.occurred_at),
        "timezone": event.timezone,
        "place": event.place,
        "actor": event.actor,
        "notes": event.notes,
        "details": event.details or {},
        "attachments": list(event.attachments or []),
        "corrects": event.corrects_id,
        "recorded_at": instant(event.recorded_at),
        "recorded_by": event.recorded_by_id,
    }


def compute_hash(event: BatchEvent) -> str:
    """SHA-256 over the previous hash and the canonical JSON of this event's content."""
    return link_hash(event.prev_hash, content_of(event))


def record_event(
    batch: Batch,
    type: EventType,
    occurred_at: datetime,
    *,
    place: str = "",
    actor: str = "",
    notes: str = "",
    details: dict | None = None,
    attachments: list[str] | None = None,
    corrects: BatchEvent | None = None,
    recorded_by=None,
    timezone: str = "Asia/Ho_Chi_Minh",
) -> BatchEvent:
    """Append an event to the batch's chain (flushes; the caller commits).

    The batch row is locked first so two farmers recording at once cannot both take the same
    sequence number; the unique (batch_id, seq) constraint backs this up on SQLite.
    """
    if corrects is not None and corrects.batch_id != batch.id:
        raise ValueError("a correction must refer to an event of the same batch")
    if occurred_at.tzinfo is None:
        raise ValueError("event times need a timezone")
    occurred_at = occurred_at.astimezone(UTC)  # SQLite keeps no offset: store UTC everywhere
    db.session.execute(select(Batch.id).where(Batch.id == batch.id).with_for_update())
    last = db.session.execute(
        select(BatchEvent.seq, BatchEvent.hash)
        .where(BatchEvent.batch_id == batch.id)
        .order_by(BatchEvent.seq.desc())
        .limit(1)
    ).first()
    event = BatchEvent(
        batch=batch,
        seq=(last.seq + 1) if last else 1,
        type=type,
        occurred_at=occurred_at,
        timezone=timezone,
        place=place.strip(),
        actor=actor.strip(),
        notes=notes.strip(),
        details=details or {},
        attachments=attachments or [],
        corrects_id=corrects.id if corrects is not None else None,
        recorded_at=utcnow(),
        recorded_by_id=getattr(recorded_by, "id", None),
        prev_hash=last.hash if last else GENESIS,
    )
    event.batch_id = batch.id
    event.hash = compute_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    """The verdict on a batch's records: intact, or the first event that was altered."""

    intact: bool
    altered: frozenset[int]  # ids of events whose stored content no longer matches

    def is_altered(self, event: BatchEvent) -> bool:
        return event.id in self.altered


def verify_chain(events: list[BatchEvent]) -> ChainCheck:
    """Recompute every hash in order; a changed event, a removed one or a reordering shows."""
    altered = set()
    previous = GENESIS
    for expected_seq, event in enumerate(sorted(events, key=lambda e: e.seq), start=1):
        if (
            event.seq != expected_seq
            or event.prev_hash != previous
            or compute_hash(event) != event.hash
        ):
            altered.add(event.id)
        previous = event.hash
    return ChainCheck(intact=not altered, altered=frozenset(altered))


def corrected_ids(events: list[BatchEvent]) -> set[int]:
    """Events that a later event corrects: shown struck through, never hidden."""
    return {e.corrects_id for e in events if e.corrects_id is not None}
