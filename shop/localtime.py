"""The cooperative's calendar: stored instants are UTC, people's dates are Vietnam's."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_day_start(day: date) -> datetime:
    """The UTC instant at which `day` begins where the cooperative is."""
    return datetime.combine(day, time.min, tzinfo=_zone()).astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The cooperative's calendar date of a stored instant (SQLite returns it naive: UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(_zone()).date()
