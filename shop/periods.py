"""Periods the back office asks about ("from 01/11 to 30/11") are Vietnamese calendar days;
the database keeps instants in UTC. This turns one into the other."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func
from wtforms.validators import Optional, ValidationError

from shop.extensions import db
from shop.farm.fields import DayField


def shop_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in Vietnam, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=shop_zone())


def utc_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[start of `first`, start of the day after `last`) in Vietnam time, as UTC instants
    (SQLite compares the stored UTC text, so the offset must be applied already); None leaves
    that side open."""
    start = day_start(first).astimezone(UTC) if first else None
    end = day_start(last + timedelta(days=1)).astimezone(UTC) if last else None
    return start, end


def last_month(today: date) -> tuple[date, date]:
    """The calendar month before `today`'s: its first and last day."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def local_datetime(instant: datetime) -> datetime:
    """The instant on Vietnam's clock (SQLite's naive datetimes are UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(shop_zone())


def local_date(instant: datetime) -> date:
    """The Vietnamese calendar day of an instant."""
    return local_datetime(instant).date()


class PeriodForm(FlaskForm):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD (or dd/mm/yyyy) in a query string; either may be left out."""

    class Meta:
        csrf = False

    date_from = DayField(_l("From date"), name="from", validators=[Optional()])
    date_to = DayField(_l("To date"), name="to", validators=[Optional()])

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must not be before the start date."))

    def chosen(self, today: date) -> tuple[date, date]:
        """Both days as asked, or last month when one is missing or wrong (payouts' default)."""
        first, last = self.date_from.data, self.date_to.data
        if self.date_from.errors or self.date_to.errors or first is None or last is None:
            return last_month(today)
        return first, last

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as UTC-comparable instants; a field with an error leaves that side open."""
        first = None if self.date_from.errors else self.date_from.data
        last = None if self.date_to.errors else self.date_to.data
        return utc_bounds(first, last)


def local_day_sql(column):
    """SQL for the Vietnamese calendar day of a UTC timestamp column, as 'YYYY-MM-DD' text, so a
    day's figures are grouped in the database (one row per day, however many orders)."""
    if db.engine.dialect.name == "postgresql":
        zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
        return func.to_char(func.timezone(zone, column), "YYYY-MM-DD")
    # SQLite keeps UTC text; Vietnam has one fixed offset (no daylight saving).
    hours = int(shop_zone().utcoffset(datetime.now()).total_seconds() // 3600)
    return func.strftime("%Y-%m-%d", column, f"{hours:+d} hours")
