"""Vietnam's places since 1 July 2025: 34 provinces and 3,321 communes/wards, with official codes.

The one source is the maintained `vietnam-provinces` package (data of the General Statistics
Office). Names are read once per process and kept in NFC; a code is the key, a name is what
people read. `flask refresh-places` copies the package's current names onto stored rows.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache

import vietnam_provinces
from vietnam_provinces import Province as PackageProvince
from vietnam_provinces import Ward as PackageWard

from shop.text import fold

# The province this cooperative is in: forms start there (any province can be chosen).
HOME_PROVINCE_CODE = 38  # Thanh Hóa
_PREFIXES = ("thanh pho ", "tinh ", "xa ", "phuong ", "dac khu ")


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # as the package writes it: "Thanh Hóa", "Thành phố Hà Nội"

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Thành phố ")


@dataclass(frozen=True)
class Commune:
    """A commune (xã), ward (phường) or special zone (đặc khu): the level below the province."""

    code: int
    name: str  # "Xã Thọ Xuân", "Phường Hạc Thành"
    province_code: int


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def bare(name: str) -> str:
    """A name folded, without its kind: 'Thành phố Hà Nội' → 'ha noi', 'Xã Tứ Trụ' → 'tu tru'."""
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _reading_order(place) -> tuple[str, str]:
    return bare(place.name), place.name


@cache
def provinces() -> tuple[Province, ...]:
    """The 34 provinces and centrally-run cities, in reading order (Hà Nội under H)."""
    found = (Province(int(p.code), _nfc(p.name)) for p in PackageProvince.iter_all())
    return tuple(sorted(found, key=_reading_order))


@cache
def _communes() -> dict[int, Commune]:
    return {
        int(w.code): Commune(int(w.code), _nfc(w.name), int(w.province_code))
        for w in PackageWard.iter_all()
    }


@cache
def _by_province() -> dict[int, tuple[Commune, ...]]:
    grouped: dict[int, list[Commune]] = {}
    for commune in _communes().values():
        grouped.setdefault(commune.province_code, []).append(commune)
    return {code: tuple(sorted(found, key=_reading_order)) for code, found in grouped.items()}


def data_version() -> str:
    """The day the package's data was taken from the statistics office."""
    return f"{vietnam_provinces.__version__} ({vietnam_provinces.__data_version__})"


def province(code: int | None) -> Province | None:
    return next((p for p in provinces() if p.code == code), None)


def commune(code: int | None) -> Commune | None:
    return _communes().get(code) if code is not None else None


def communes_of(province_code: int | None) -> tuple[Commune, ...]:
    """The communes and wards of one province, in reading order (empty for an unknown code)."""
    return _by_province().get(province_code, ()) if province_code is not None else ()


def _as_code(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def find_province(text: str | int | None) -> Province | None:
    """A province by code ('38', '038') or name, with or without diacritics or 'Thành phố'."""
    if isinstance(text, int):
        return province(text)
    if not text or not text.isprintable():  # a NUL or a newline is not part of any name
        return None
    code = _as_code(text)
    if code is not None:
        return province(code)
    wanted = bare(text)
    return next((p for p in provinces() if bare(p.name) == wanted), None) if wanted else None


def find_communes(text: str | int | None, province_code: int | None = None) -> list[Commune]:
    """Communes by code or by name (folded, 'Xã'/'Phường' optional), within one province if given.

    A name can belong to several communes in different provinces (there are two 'Xã Hưng Đạo').
    """
    if text is None or text == "" or (isinstance(text, str) and not text.isprintable()):
        return []
    code = text if isinstance(text, int) else _as_code(text)
    if code is not None:
        found = [commune(code)] if commune(code) else []
    else:
        wanted, folded = bare(text), fold(text)
        if not wanted:
            return []
        pool = communes_of(province_code) if province_code else _communes().values()
        exact = [c for c in pool if fold(c.name) == folded]
        found = exact or [c for c in pool if bare(c.name) == wanted]
    return [c for c in found if province_code is None or c.province_code == province_code]
