"""Hash chains: each record's hash covers the previous record's hash and its own content, so an
edited, removed or reordered record no longer matches. Batch events and the audit log use it."""

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def instant(value: datetime) -> str:
    """A timestamp in UTC, to the microsecond: the same text on SQLite and PostgreSQL."""
    if value.tzinfo is None:  # SQLite hands back naive datetimes that were stored as UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def link_hash(prev_hash: str, content: dict) -> str:
    """SHA-256 over the previous hash and the canonical JSON of this record's content."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()
