"""The shop's clock: the instant in UTC, and the date and time where the cooperative is.

Times are stored in UTC; dates a person reads or types (a certificate's decision day, a
best-before date, "today" in a form) are the shop's dates, in BABEL_DEFAULT_TIMEZONE
(Asia/Ho_Chi_Minh). A server's local date (date.today, usually UTC) is seven hours behind
Vietnam's every evening, so nothing in the shop uses it: every "today" comes from here.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def utcnow() -> datetime:
    """Timezone-aware now, for column defaults (a callable, never an import-time value)."""
    return datetime.now(UTC)


def shop_zone() -> ZoneInfo:
    """The cooperative's time zone (the app's BABEL_DEFAULT_TIMEZONE, else Vietnam's)."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def local_now() -> datetime:
    """Now on the cooperative's clock, as an aware datetime."""
    return datetime.now(shop_zone())


def local_datetime(instant: datetime) -> datetime:
    """The instant on the cooperative's clock (SQLite's naive datetimes are UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(shop_zone())


def local_date(instant: datetime) -> date:
    """The cooperative's calendar day of an instant."""
    return local_datetime(instant).date()


def local_today() -> date:
    """Today where the cooperative is (a decision signed this morning in Hanoi is not future)."""
    return local_now().date()
