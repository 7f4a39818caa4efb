"""The JSON data files next to this module, and the day their dates were chosen against."""

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from shop.places.directory import Commune, Province, find_communes, find_province

DATA_DIR = Path(__file__).resolve().parent
# The dates in the data files are absolute (so a re-run on another day changes nothing); they
# were chosen so that on this day most certificates are current and a few have lapsed, and
# every harvest, packing and event lies in the past.
REFERENCE_DATE = date(2026, 11, 21)


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
