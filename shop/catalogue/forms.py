"""The catalogue's query string as a form: every malformed value gets a message, never a 500."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import TextInput

from shop.catalogue.models import OcopGroup
from shop.catalogue.search import SORTS, Filters, ListedPlaces
from shop.places import directory as places
from shop.text import fold

MAX_PRICE_VND = 1_000_000_000
MAX_PAGE = 10_000
_PLAIN_NUMBER = re.compile(r"\d+")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+")  # 150.000 as Vietnamese write it


class WholeNumberField(Field):
    """A whole number typed by a person: '150000', '150.000' or '150 000 ₫'.

    Parsing errors and range errors come out as one clear message, and what the person typed
    is shown back to them unchanged.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, minimum=0, maximum=None, message=None, **kw):
        super().__init__(label, validators, **kw)
        self.minimum, self.maximum, self.message = minimum, maximum, message

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().rstrip("₫đ").replace(" ", "")
        text = text.replace("\u00a0", "")
        if not text:
            return
        if not (_PLAIN_NUMBER.fullmatch(text) or _GROUPED_NUMBER.fullmatch(text)):
            raise ValueError(str(self.message))
        number = int(text.replace(".", "").replace(",", ""))
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise ValueError(str(self.message))
        self.data = number

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class CatalogueForm(FlaskForm):
    """GET parameters of the catalogue and of GET /api/v1/products."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search"),
        validators=[Length(max=100, message=_l("Please search with at most 100 characters."))],
    )
    group = SelectField(_l("OCOP group"), default="")
    stars = SelectField(_l("OCOP stars"), default="")
    area = StringField(_l("Where it is made"))
    province = StringField(_l("Province or city"))
    commune = StringField(_l("Commune or ward"))
    district = StringField(_l("Formerly (district before July 2025)"))
    price_min = WholeNumberField(
        _l("Price from (₫)"),
        maximum=MAX_PRICE_VND,
        message=_l("Enter a price in đồng as a whole number, for example 50000."),
    )
    price_max = WholeNumberField(
        _l("Price up to (₫)"),
        maximum=MAX_PRICE_VND,
        message=_l("Enter a price in đồng as a whole number, for example 200000."),
    )
    sort = SelectField(_l("Sort by"), default="relevance")
    page = WholeNumberField(
        _l("Page"),
        minimum=1,
        maximum=MAX_PAGE,
        message=_l("The page number must be a whole number from 1 to %(max)s.", max=MAX_PAGE),
    )

    def __init__(self, formdata, listed: ListedPlaces, **kwargs):
        super().__init__(formdata, **kwargs)
        self.districts = listed.districts
        self.areas = listed.areas  # [(Province, [Commune…])…] with listed products
        self.province_codes: tuple[int, ...] = ()
        self.commune_codes: tuple[int, ...] = ()
        self.group.choices = [("", _l("All groups"))] + [(g.value, g.label) for g in OcopGroup]
        self.stars.choices = [("", _l("Any stars"))] + [
            (str(n), _l("%(n)s stars", n=n)) for n in (3, 4, 5)
        ]
        self.sort.choices = list(zip(SORTS, sort_labels(), strict=True))
        for field in (self.group, self.stars, self.sort):
            field.validators = [*field.validators, _known_choice]
            field.validate_choice = False  # _known_choice says it in our words

    def validate_district(self, field) -> None:
        """Match 'quang xuong' to 'Quảng Xương'; a district we sell nothing from is an error."""
        wanted = fold(field.data)
        if not wanted:
            field.data = ""
            return
        for district in self.districts:
            if fold(district) == wanted:
                field.data = district
                return
        raise ValidationError(
            _l("We have no products from that district. Choose one from the list.")
        )

    def validate_area(self, field) -> None:
        """The catalogue's own choice: a commune or ward we sell from (its code)."""
        field.data = (field.data or "").strip()
        if not field.data:
            return
        codes = {str(c.code) for _province, communes in self.areas for c in communes}
        if field.data not in codes:
            raise ValidationError(
                _l("We have no products from that commune or ward. Choose one from the list.")
            )

    def validate_province(self, field) -> None:
        """A code ('38') or a name, with or without diacritics ('thanh hoa')."""
        field.data = (field.data or "").strip()
        if not field.data:
            return
        found = places.find_province(field.data)
        if found is None:
            raise ValidationError(
                _l("No province or city has this name or code (for example: Thanh Hóa or 38).")
            )
        self.province_codes = (found.code,)

    def validate_commune(self, field) -> None:
        """A code or a name; a name found in several provinces matches them all."""
        field.data = (field.data or "").strip()
        if not field.data:
            return
        within = self.province_codes[0] if self.province_codes else None
        found = places.find_communes(field.data, within)
        if not found:
            raise ValidationError(
                _l("No commune or ward has this name or code (for example: Xã Xuân Hòa or 15520).")
            )
        self.commune_codes = tuple(c.code for c in found)

    def validate_price_max(self, field) -> None:
        low = self.price_min.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("The highest price must not be below the lowest price."))

    def filters(self) -> Filters:
        """The valid part of the query: a field with an error is left out, not guessed at."""

        def valid(field):
            return None if field.errors else field.data

        stars = valid(self.stars)
        group = valid(self.group)
        return Filters(
            q=valid(self.q) or "",
            group=OcopGroup(group) if group else None,
            stars=int(stars) if stars else None,
            provinces=self.province_codes if not self.province.errors else (),
            communes=self._communes(),
            district=valid(self.district) or None,
            price_min=valid(self.price_min),
            price_max=valid(self.price_max),
            sort=valid(self.sort) or "relevance",
            page=valid(self.page) or 1,
        )

    def _communes(self) -> tuple[int, ...]:
        area = self.area.data if not self.area.errors else ""
        wanted = self.commune_codes if not self.commune.errors else ()
        if area:
            return (int(area),) if not wanted or int(area) in wanted else (-1,)
        return wanted

    def field_errors(self) -> dict[str, list[str]]:
        """Messages per query parameter, as plain strings (for the API's problem document)."""
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}

    def active_filter_count(self) -> int:
        """How many filters (not the words, sort or page) narrow the list; shown on the toggle."""
        f = self.filters()
        narrowing = (f.group, f.stars, f.provinces, f.communes, f.district, f.price_min)
        return sum(value not in (None, "", ()) for value in (*narrowing, f.price_max))

    def query_args(self, **changes) -> dict:
        """The cleaned query string, for links to other pages of the same search."""
        f = self.filters()
        args = {
            "q": f.q,
            "group": f.group.value if f.group else None,
            "stars": f.stars,
            "area": self.area.data if not self.area.errors else None,
            "province": self.province.data if self.province_codes else None,
            "commune": self.commune.data if self.commune_codes else None,
            "district": f.district,
            "price_min": f.price_min,
            "price_max": f.price_max,
            "sort": None if f.sort == "relevance" else f.sort,
            "page": f.page if f.page > 1 else None,
        }
        args.update(changes)
        return {key: value for key, value in args.items() if value not in (None, "")}


def sort_labels() -> list:
    return [
        _l("Best match"),
        _l("Newest"),
        _l("Price: low to high"),
        _l("Price: high to low"),
        _l("Name A–Z"),
        _l("Most OCOP stars"),
    ]


def _known_choice(form, field) -> None:
    if field.data not in {str(value) for value, _label in field.choices}:
        raise ValidationError(_l("Please choose one of the options in the list."))
