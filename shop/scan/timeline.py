"""A batch's events as a reader sees them: in local time, oldest first, with their verdicts.

Shared by the scan page, the JSON API and the EPCIS export, so the three never disagree on
which record was altered, which one corrects which, or when something happened.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shop.trace.events import ChainCheck, verify_chain
from shop.trace.models import Batch, BatchEvent, EventType

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


def zone(name: str | None) -> ZoneInfo:
    """The event's timezone; Vietnam's when the stored name is unknown."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes that were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local_time(value: datetime, timezone: str | None = DEFAULT_TIMEZONE) -> datetime:
    return aware(value).astimezone(zone(timezone))


def whole_days(value) -> int | None:
    """A number of days from a JSON detail (int, float or text), or None if it is not one."""
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return days if 0 <= days <= 3650 else None


@dataclass
class Entry:
    """One event on the timeline."""

    event: BatchEvent
    when: datetime  # aware, in the event's own timezone
    altered: bool
    corrects: BatchEvent | None = None
    corrected_by: BatchEvent | None = None
    photos: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    phi_short_by: int | None = None  # harvest came this many days before the interval ended

    @property
    def type(self) -> EventType:
        return EventType(self.event.type)


@dataclass
class Timeline:
    entries: list[Entry]
    chain: ChainCheck

    @property
    def intact(self) -> bool:
        return self.chain.intact

    @property
    def altered(self) -> list[Entry]:
        return [e for e in self.entries if e.altered]

    @property
    def phi_breaches(self) -> list[Entry]:
        return [e for e in self.entries if e.phi_short_by]

    @property
    def failed_tests(self) -> list[Entry]:
        """Lab tests recorded as failed (and not corrected since)."""
        return [
            e
            for e in self.entries
            if e.type == EventType.LAB_TEST
            and e.corrected_by is None
            and (e.event.details or {}).get("passed") is False
        ]


def split_attachments(names: list, report: str | None = None) -> tuple[list[str], list[str]]:
    """Stored file names as (photos, documents); anything that is not a plain name is dropped.

    A lab report is a document even when it is a photo of the paper (details["report"]).
    """
    photos, documents = [], []
    for name in names or []:
        if not isinstance(name, str) or not name or "/" in name or "\\" in name:
            continue
        if name.startswith("."):
            continue
        is_photo = PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES and name != report
        (photos if is_photo else documents).append(name)
    return photos, documents


def harvest_day(batch: Batch, entries: list[Entry]) -> date | None:
    """When the crop was harvested: the first harvest event still standing, else the batch date."""
    harvests = [e for e in entries if e.type == EventType.HARVEST and e.corrected_by is None]
    return harvests[0].when.date() if harvests else batch.harvest_date


def mark_phi_breaches(batch: Batch, entries: list[Entry]) -> None:
    """An input applied with a pre-harvest interval that the harvest did not wait out."""
    harvested = harvest_day(batch, entries)
    if harvested is None:
        return
    for entry in entries:
        if entry.type != EventType.INPUT_APPLIED or entry.corrected_by is not None:
            continue
        days = whole_days((entry.event.details or {}).get("phi_days"))
        applied = entry.when.date()
        if days is None or applied > harvested:
            continue
        safe_from = applied + timedelta(days=days)
        if harvested < safe_from:
            entry.phi_short_by = (safe_from - harvested).days


def build_timeline(batch: Batch) -> Timeline:
    """The batch's events oldest first (time, then sequence), with corrections both ways."""
    events = list(batch.events)
    chain = verify_chain(events)
    by_id = {e.id: e for e in events}
    corrected_by: dict[int, BatchEvent] = {}
    for event in sorted(events, key=lambda e: e.seq):
        if event.corrects_id in by_id:
            corrected_by[event.corrects_id] = event  # the latest correction wins
    entries = []
    for event in sorted(events, key=lambda e: (aware(e.occurred_at), e.seq)):
        report = (event.details or {}).get("report")
        photos, documents = split_attachments(event.attachments, report)
        entries.append(
            Entry(
                event=event,
                when=local_time(event.occurred_at, event.timezone),
                altered=chain.is_altered(event),
                corrects=by_id.get(event.corrects_id) if event.corrects_id else None,
                corrected_by=corrected_by.get(event.id),
                photos=photos,
                documents=documents,
            )
        )
    mark_phi_breaches(batch, entries)
    return Timeline(entries=entries, chain=chain)


def shown_time(value: datetime | None, timezone: str | None = None) -> str:
    """'01/03/2026 14:30 (UTC+07:00)': day first as Vietnamese read it, with the offset."""
    if value is None:
        return ""
    when = local_time(value, timezone) if timezone or value.tzinfo is None else value
    offset = when.strftime("%z") or "+0000"
    return f"{when:%d/%m/%Y %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def detail_text(value) -> str:
    """A detail's value as plain text (lists joined, nested values spelt out)."""
    if isinstance(value, list | tuple):
        return ", ".join(detail_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {detail_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


# The report is linked from the attachments; a partner's EPCIS event is kept whole for the
# export and shown through the details taken from it; the partner's name is the event's actor.
HIDDEN_DETAILS = {"report", "epcis", "partner"}


def detail_rows(details: dict | None) -> list[tuple[str, object]]:
    """The details worth showing, in order: empty values dropped, quantity joined to its unit."""
    details = details or {}
    rows = []
    for key, value in details.items():
        if key in HIDDEN_DETAILS or value is None or value == "" or value == []:
            continue
        if key == "unit" and "quantity" in details:
            continue
        if key == "quantity" and details.get("unit"):
            value = f"{detail_text(value)} {details['unit']}"
        rows.append((key, value))
    return rows
