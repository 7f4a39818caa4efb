"""Places written before the 2025 reform (commune, district) → the commune/ward they are now.

Used once, by the migration that gave stored rows their codes, and by the demo data's tests.
The mapping is data (data/thanh_hoa_2025.json), for the old districts the demo uses; a place it
does not know stays without a code, its district kept as a "formerly" note.
"""

import json
import re
from functools import cache
from pathlib import Path

from shop.places.directory import Commune, commune, find_communes, find_province
from shop.text import fold

MAPPING_FILE = Path(__file__).parent / "data" / "thanh_hoa_2025.json"
_KIND = re.compile(r"^(huyen|thi xa|thanh pho|thi tran|xa|phuong) ")


def _key(name: str | None) -> str:
    """'Huyện Thọ Xuân', 'Thọ Xuân' and 'tho xuan' are the same district."""
    return _KIND.sub("", fold(name))


@cache
def _mapping() -> tuple[int, dict[str, dict[str, int]]]:
    data = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    districts = {
        _key(district): {_key(old): code for old, code in communes.items()}
        for district, communes in data["districts"].items()
    }
    return data["province_code"], districts


def new_commune(
    district: str | None, old_commune: str | None, province: str | None
) -> Commune | None:
    """The commune/ward an old (district, commune) lies in now, or None when we cannot tell.

    First the mapping of the old district; then a commune of the province that already has
    exactly this name (a row typed after the reform). Never a guess from the district alone.
    """
    home, districts = _mapping()
    found_province = find_province(province) if province else None
    province_code = found_province.code if found_province else home
    if province_code == home:
        code = districts.get(_key(district), {}).get(_key(old_commune))
        if code is not None:
            return commune(code)
    matches = find_communes(old_commune, province_code) if old_commune else []
    return matches[0] if len(matches) == 1 else None
