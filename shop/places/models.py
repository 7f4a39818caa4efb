"""The columns of a place on a stored row: official codes (the key) and the names (as read).

Producers, growing areas, packing houses and orders are located this way. The names are
copies of the package's names, kept so that old rows read the same in every report, and
refreshed by `flask refresh-places` when the statistics office renames a unit.
"""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.places.directory import Commune, Province


class Located:
    """A commune/ward + province, with codes; `district` elsewhere is only a "formerly" note."""

    commune: Mapped[str] = mapped_column(String(100), default="")
    commune_code: Mapped[int | None] = mapped_column(Integer, index=True)
    province: Mapped[str] = mapped_column(String(100), default="")
    province_code: Mapped[int | None] = mapped_column(Integer, index=True)

    def set_place(self, province: Province | None, commune: Commune | None) -> None:
        """Codes and names together; a commune is only ever stored with its own province."""
        if commune is not None and (province is None or commune.province_code != province.code):
            raise ValueError(f"commune {commune.code} is not in province {province}")
        self.province_code = province.code if province else None
        self.province = province.name if province else ""
        self.commune_code = commune.code if commune else None
        self.commune = commune.name if commune else ""

    @property
    def location(self) -> str:
        """Commune/ward, province: how addresses are read since 1 July 2025."""
        return ", ".join(p for p in (self.commune, self.province) if p)
