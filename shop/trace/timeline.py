"""Reading a batch's timeline: local times, corrections, the seal's verdict, PHI warnings."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shop.trace.events import ChainCheck, corrected_ids, verify_chain
from shop.trace.models import Batch, BatchEvent, EventType

HOME_ZONE = "Asia/Ho_Chi_Minh"


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or HOME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(HOME_ZONE)


def local_time(event: BatchEvent) -> datetime:
    """When the event happened, on the clock of the place it was recorded in."""
    value = event.occurred_at
    if value.tzinfo is None:  # SQLite hands back the stored UTC time without its zone
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone_of(event.timezone))


@dataclass(frozen=True)
class PhiWarning:
    """A harvest that came before the pre-harvest interval of an applied input had ended."""

    event: BatchEvent
    input: str
    phi_days: int
    applied_on: date
    harvested_on: date
    days_early: int


@dataclass
class Entry:
    event: BatchEvent
    when: datetime
    corrected_by: list[int] = field(default_factory=list)  # sequence numbers
    corrects: int | None = None
    altered: bool = False
    phi: PhiWarning | None = None

    @property
    def photos(self) -> list[str]:
        report = (self.event.details or {}).get("report")
        return [a for a in self.event.attachments or [] if a != report and a.endswith(".jpg")]

    @property
    def report(self) -> str | None:
        report = (self.event.details or {}).get("report")
        return (
            report if isinstance(report, str) and report in (self.event.attachments or []) else None
        )


@dataclass
class Timeline:
    entries: list[Entry]
    check: ChainCheck
    warnings: list[PhiWarning]


def _phi_days(details: dict) -> int | None:
    value = (details or {}).get("phi_days")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def phi_warnings(batch: Batch, events: list[BatchEvent]) -> list[PhiWarning]:
    """Inputs whose pre-harvest interval a harvest (the batch's date or a HARVEST event) cut short.

    Corrected events are left out: their corrections say what really happened.
    """
    corrected = corrected_ids(events)
    live = [e for e in events if e.id not in corrected]
    harvests = [local_time(e).date() for e in live if e.type == EventType.HARVEST]
    if batch.harvest_date is not None:
        harvests.append(batch.harvest_date)
    warnings = []
    for event in live:
        days = _phi_days(event.details) if event.type == EventType.INPUT_APPLIED else None
        if days is None:
            continue
        applied = local_time(event).date()
        ends = applied + timedelta(days=days)
        early = [day for day in harvests if applied <= day < ends]
        if early:
            first = min(early)
            name = str((event.details or {}).get("input") or "")
            warnings.append(PhiWarning(event, name, days, applied, first, (ends - first).days))
    return warnings


def timeline(batch: Batch) -> Timeline:
    """The batch's events in the order they happened, each with its corrections and verdicts."""
    events = list(batch.events)
    check = verify_chain(events)
    warnings = phi_warnings(batch, events)
    seq_of = {e.id: e.seq for e in events}
    by_event = {w.event.id: w for w in warnings}
    entries = {
        e.id: Entry(
            event=e,
            when=local_time(e),
            corrects=seq_of.get(e.corrects_id),
            altered=check.is_altered(e),
            phi=by_event.get(e.id),
        )
        for e in events
    }
    for e in sorted(events, key=lambda e: e.seq):
        if e.corrects_id in entries:
            entries[e.corrects_id].corrected_by.append(e.seq)
    ordered = sorted(entries.values(), key=lambda entry: (entry.when, entry.event.seq))
    return Timeline(ordered, check, warnings)
