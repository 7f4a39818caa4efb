"""The JSON data files next to this module, and the calendar that dates them."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from shop.places.directory import Commune, Province, find_communes, find_province

DATA_DIR = Path(__file__).resolve().parent
# The dates in the data files were chosen against this day: on it most certificates are
# current and a few have lapsed, some codes and lots have expired, and every harvest, packing
# and event lies in the past. The loader moves them all by the same number of days, to the
# day the demo is first loaded (DemoCalendar), so the demo never decays with the calendar.
REFERENCE_DATE = date(2026, 11, 21)


@dataclass(frozen=True)
class DemoCalendar:
    """The data files' dates moved to `first_loaded`, the day the demo was first loaded.

    That day is found again on every later run (see loader.first_loaded_day), so a re-run on
    any day moves nothing and creates the same rows a first run would have.
    """

    first_loaded: date

    @property
    def shift(self) -> timedelta:
        return self.first_loaded - REFERENCE_DATE

    def day(self, value: str | None) -> date | None:
        """A data file's day ('2025-03-14'), moved."""
        return date.fromisoformat(value) + self.shift if value else None

    def instant(self, value: str | None) -> datetime | None:
        """A data file's instant (ISO 8601 with its offset), moved, in UTC."""
        return (datetime.fromisoformat(value) + self.shift).astimezone(UTC) if value else None


@cache
def read(name: str) -> Any:
    """One of the data files (producers, products, accounts, origins, batches), parsed."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


# The demo cooperative's province; every demo place is one of its communes or wards.
PROVINCE = "Thanh Hóa"


def place(row: dict) -> tuple[Province, Commune]:
    """The official province and commune/ward of a data row ("commune": its name since 2025)."""
    province = find_province(PROVINCE)
    found = find_communes(row["commune"], province.code)
    if len(found) != 1:
        raise ValueError(f"{row['commune']!r} is not one commune or ward of {PROVINCE}")
    return province, found[0]
