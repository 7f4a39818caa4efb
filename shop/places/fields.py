"""Form fields for a place: a province <select> and a commune/ward <select> filtered by it.

The commune list holds only the chosen province's communes (Thanh Hóa has 166; the country
3,321). static/js/places.js refills it from a small JSON document when the province changes;
without JavaScript the server checks the pair and, when the province changed, shows the new
province's list with a message. Both fields also read names (with or without diacritics) and
codes, so the JSON API and old clients can send either.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, StopValidation

from shop.places.directory import (
    Commune,
    Province,
    commune,
    communes_of,
    find_communes,
    find_province,
    provinces,
)


def _clean(value):
    """Trimmed; a NUL stays, so that it matches nothing (no database stores it)."""
    return value.strip() if isinstance(value, str) else value


def province_choices() -> list[SelectChoice]:
    """Centrally-run cities, then provinces; proper names, never translated."""
    return [
        SelectChoice("", _l("Choose…")),
        *(
            SelectChoice(
                str(p.code), p.name, optgroup=_l("Cities") if p.is_city else _l("Provinces")
            )
            for p in sorted(provinces(), key=lambda p: not p.is_city)
        ),
    ]


class ProvinceField(SelectField):
    """One of the 34 provinces and cities; .data is its code as text, .place the Province."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("choices", province_choices)
        super().__init__(label, validators, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        typed = _clean(valuelist[0]) if valuelist else ""
        found = find_province(typed)
        self.data = str(found.code) if found else typed

    def process_data(self, value):
        found = find_province(value) if value not in (None, "") else None
        self.data = str(found.code) if found else ("" if value is None else str(value))

    @property
    def place(self) -> Province | None:
        return find_province(self.data) if self.data else None

    def pre_validate(self, form) -> None:
        if self.data and self.place is None:
            raise StopValidation(_l("Choose one of Vietnam's 34 provinces and cities."))


class CommuneField(SelectField):
    """A commune or ward of the province chosen in the same form (`province_field`)."""

    def __init__(self, label=None, validators=None, province_field="province", **kwargs):
        self.required_message = kwargs.pop("required_message", None)
        super().__init__(label, validators, validate_choice=False, **kwargs)
        self.province_field = province_field
        self._owner = kwargs.get("_form")
        self.choices = self._options

    def _province(self) -> Province | None:
        field = self._owner[self.province_field] if self._owner is not None else None
        return field.place if field is not None else None

    def _options(self) -> list[SelectChoice]:
        province = self._province()
        if province is None:
            return [SelectChoice("", _l("Choose the province first"))]
        return [SelectChoice("", self._first_label())] + [
            SelectChoice(str(c.code), c.name) for c in communes_of(province.code)
        ]

    def _first_label(self):
        return _l("Choose…") if self.required_message else _l("Not given")

    def process_formdata(self, valuelist):
        self.data = _clean(valuelist[0]) if valuelist else ""

    def process_data(self, value):
        """A stored name (obj=record) or code becomes the option's value, the code."""
        self.data = "" if value is None else str(value)
        place = self.place
        if place is not None:
            self.data = str(place.code)

    @property
    def place(self) -> Commune | None:
        province = self._province()
        if not self.data or province is None:
            return None
        found = find_communes(self.data, province.code)
        return found[0] if len(found) == 1 else None

    def pre_validate(self, form) -> None:
        province = self._province()
        if not self.data:
            if self.required_message:
                raise StopValidation(self.required_message)
            return
        if province is None:
            raise StopValidation()  # the province's own message speaks
        if self.place is not None:
            self.data = str(self.place.code)
            return
        elsewhere = commune(int(self.data)) if self.data.isascii() and self.data.isdigit() else None
        if elsewhere is not None:
            message = _l(
                "%(commune)s is not in %(province)s. The list now shows the communes and "
                "wards of %(province)s: choose again.",
                commune=elsewhere.name,
                province=province.name,
            )
        else:
            message = _l(
                "Choose a commune or ward of %(province)s from the list.", province=province.name
            )
        self.data = ""
        raise StopValidation(message)

    def __call__(self, **kwargs):
        """The select carries what places.js needs to refill it when the province changes."""
        province = self._owner[self.province_field] if self._owner is not None else None
        if province is not None:
            kwargs.setdefault("data-province", province.id)
            kwargs.setdefault("data-communes-url", url_for("places.communes", code=0))
            kwargs.setdefault("data-first", str(self._first_label()))
        return super().__call__(**kwargs)


def formerly_field():
    """The old district, only as a note shown beside the new address (never a key)."""
    return StringField(
        _l("Formerly (district before July 2025, optional)"),
        [Length(max=100)],
        filters=[_clean, lambda v: v or None],
    )
