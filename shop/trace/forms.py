"""The farmer's origin forms: growing areas, packing houses and batches (events: event_forms)."""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from shop.catalogue.models import Product
from shop.extensions import db
from shop.farm.fields import DayField, WholeNumberField, local_today
from shop.places.directory import HOME_PROVINCE_CODE
from shop.places.fields import CommuneField, ProvinceField, formerly_field
from shop.trace.batches import MAX_ID, unusable_reason
from shop.trace.fields import DegreesField, HectareField, LotField, PolygonField, split_pair
from shop.trace.models import (
    Batch,
    GapScheme,
    GrowingArea,
    PackingHouse,
    normalise_code,
)

MAX_QUANTITY = 10_000_000
UNIT_SUGGESTIONS = ("kg", "tấn", "tạ", "chai", "hộp", "gói", "túi", "hũ", "lọ", "bó", "quả", "cái")


def clean(value):
    """A WTForms filter: trimmed, and without NUL characters (no database stores them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def optional_id(value) -> int | None:
    """A select's value as a database id; '' or anything that cannot be one is None."""
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


class CodeForm(FlaskForm):
    """What growing areas and packing houses share: the code as issued, where, and its dates."""

    model: type = GrowingArea

    code = StringField(
        _l("Code"),
        [DataRequired(_l("Enter the code as the authority issued it.")), Length(max=64)],
        filters=[clean, normalise_code],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    name = StringField(_l("Name"), [DataRequired(), Length(max=160)], filters=[clean])
    province = ProvinceField(
        _l("Province or city"),
        [DataRequired(_l("Choose the province or city."))],
        default=HOME_PROVINCE_CODE,
    )
    commune = CommuneField(_l("Commune or ward"))
    district = formerly_field()
    issued_on = DayField(_l("Code issued on"), [Optional()])
    expires_on = DayField(_l("Code valid until"), [Optional()])

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, obj=record, **kwargs)
        self.record = record

    def validate_code(self, field) -> None:
        if self.code_taken(field.data):
            field.errors.append(_l("This code is already registered in the shop."))
        elif self.record is not None and field.data != self.record.code and self.record.batches:
            field.errors.append(
                _l(
                    "This code is printed on the labels of recorded batches and cannot be "
                    "changed. Ask the cooperative if it was issued wrongly."
                )
            )

    def code_taken(self, code: str) -> bool:
        query = select(self.model.id).where(self.model.code == code)
        if self.record is not None:
            query = query.where(self.model.id != self.record.id)
        return db.session.scalar(query.limit(1)) is not None

    def validate_issued_on(self, field) -> None:
        if isinstance(field.data, date) and field.data > local_today():
            field.errors.append(_l("The issue date cannot be in the future."))

    def validate_expires_on(self, field) -> None:
        issued = self.issued_on.data
        if isinstance(field.data, date) and isinstance(issued, date) and field.data < issued:
            field.errors.append(_l("The code cannot expire before it was issued."))


class AreaForm(CodeForm):
    """A growing area (vùng trồng): the code, the crop, where it is and how it is farmed."""

    model = GrowingArea

    crop = StringField(_l("Crop"), [DataRequired(), Length(max=120)], filters=[clean])
    area_hectares = HectareField(_l("Area (hectares)"))
    households = WholeNumberField(_l("Households"), [Optional()], maximum=100_000)
    latitude = DegreesField(_l("Latitude (°N)"), low=8, high=24)
    longitude = DegreesField(_l("Longitude (°E)"), low=102, high=110)
    polygon = PolygonField(_l("Boundary (GeoJSON polygon)"))
    gap_scheme = SelectField(
        _l("Good agricultural practice"),
        choices=[SelectChoice("", _l("None"))]
        + [SelectChoice(s.value, s.label) for s in GapScheme],
        default="",
    )
    gap_certificate_no = StringField(_l("Certificate number"), [Length(max=80)], filters=[clean])
    gap_expires_on = DayField(_l("Certificate valid until"), [Optional()])
    expected_yield_kg = WholeNumberField(
        _l("Expected yield (kg per year)"), [Optional()], maximum=1_000_000_000
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if self.gap_scheme.data is None:  # no scheme stored, and none sent
            self.gap_scheme.data = ""
        if record is not None and not self.is_submitted():
            self.area_hectares.data = (
                None if record.area_m2 is None else Decimal(record.area_m2) / 10_000
            )
        self._split_pasted_pair()

    def _split_pasted_pair(self) -> None:
        """'19.93, 105.43' copied from a map app into the latitude box fills both boxes."""
        pair = split_pair(self.latitude.raw_data[0] if self.latitude.raw_data else "")
        if not pair or (self.longitude.raw_data and self.longitude.raw_data[0].strip()):
            return
        for field, text in zip((self.latitude, self.longitude), pair, strict=True):
            field.raw_data, field.process_errors = [text], []
            try:
                field.process_formdata([text])
            except ValueError as error:
                field.process_errors.append(error.args[0])

    def validate_longitude(self, field) -> None:
        if (field.data is None) != (self.latitude.data is None) and not self.latitude.errors:
            field.errors.append(_l("Enter both latitude and longitude, or neither."))

    def validate_gap_certificate_no(self, field) -> None:
        if self.gap_scheme.data and not field.data:
            field.errors.append(_l("Enter the certificate number."))


class PackingHouseForm(CodeForm):
    """A packing house (cơ sở đóng gói): the code, its name and address."""

    model = PackingHouse

    address = StringField(_l("Address (village, street)"), [Length(max=200)], filters=[clean])


class BatchForm(FlaskForm):
    """A new lot of one of the farmer's products, packed from one of their growing areas."""

    product = SelectField(_l("Product"), coerce=optional_id, validate_choice=False)
    lot = LotField(_l("Lot number"))
    growing_area = SelectField(_l("Growing area"), coerce=optional_id, validate_choice=False)
    harvest_date = DayField(_l("Harvest date"), [Optional()])
    packing_date = DayField(_l("Packing date"), [Optional()])
    packing_house = SelectField(_l("Packing house"), coerce=optional_id, validate_choice=False)
    quantity = WholeNumberField(
        _l("Quantity"), [InputRequired(_l("Enter the quantity."))], minimum=1, maximum=MAX_QUANTITY
    )
    quantity_unit = StringField(
        _l("Unit"),
        [DataRequired(_l("Say what the quantity counts, for example kg or hộp.")), Length(max=20)],
        filters=[clean],
        default="kg",
        render_kw={"list": "unit-suggestions", "autocomplete": "off"},
    )
    best_before = DayField(_l("Best before"), [Optional()])
    units_left = WholeNumberField(
        _l("Units for sale"), [Optional()], minimum=0, maximum=MAX_QUANTITY, default=0
    )

    def __init__(self, *args, producer_id: int, last_area_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = local_today()
        self.products = _own(Product, producer_id, Product.name)
        self.areas = _own(GrowingArea, producer_id, GrowingArea.code)
        self.houses = _own(PackingHouse, producer_id, PackingHouse.code)
        self.product.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(p.id, p.name) for p in self.products.values() if p.gtin
        ]
        self.growing_area.choices = self._code_choices(self.areas, _l("No growing area"))
        self.packing_house.choices = self._code_choices(self.houses, _l("No packing house"))
        if not self.is_submitted():
            self.harvest_date.data = self.packing_date.data = self.today
            if last_area_id in self.areas and self.areas[last_area_id].is_valid(self.today):
                self.growing_area.data = last_area_id

    def _code_choices(self, records: dict, none_label) -> list[SelectChoice]:
        """Only valid codes can be chosen; the others are not offered at all."""
        usable = [r for r in records.values() if r.is_valid(self.today)]
        return [SelectChoice("", none_label)] + [
            SelectChoice(r.id, f"{r.code} · {r.name}") for r in usable
        ]

    @property
    def usable_area_count(self) -> int:
        return len(self.growing_area.choices) - 1

    @property
    def chosen_product(self) -> Product | None:
        product = self.products.get(self.product.data)
        return product if product is not None and product.gtin else None

    def validate_product(self, field) -> None:
        if self.chosen_product is None:
            field.errors.append(_l("Choose one of your products."))

    def validate_lot(self, field) -> None:
        product = self.chosen_product
        if product is not None and _lot_taken(product.id, field.data):
            field.errors.append(
                _l(
                    "%(product)s already has a batch with lot %(lot)s.",
                    product=product.name,
                    lot=field.data,
                )
            )

    def validate_growing_area(self, field) -> None:
        self._validate_code(field, self.areas, _l("Choose one of your growing areas."))

    def validate_packing_house(self, field) -> None:
        self._validate_code(field, self.houses, _l("Choose one of your packing houses."))

    def _validate_code(self, field, records: dict, not_yours) -> None:
        typed = field.raw_data[0].strip() if field.raw_data else ""
        if field.data is None:
            if typed:
                field.errors.append(not_yours)
            return
        record = records.get(field.data)
        if record is None:
            field.errors.append(not_yours)
        elif reason := unusable_reason(record, self.today):
            field.errors.append(str(reason))  # a plain string: the code it quotes is escaped

    def validate_harvest_date(self, field) -> None:
        if isinstance(field.data, date) and field.data > self.today:
            field.errors.append(_l("The harvest date cannot be in the future."))

    def validate_packing_date(self, field) -> None:
        if not isinstance(field.data, date):
            return
        harvest = self.harvest_date.data
        if field.data > self.today:
            field.errors.append(_l("The packing date cannot be in the future."))
        elif isinstance(harvest, date) and field.data < harvest:
            field.errors.append(_l("Packing cannot come before the harvest."))

    def validate_best_before(self, field) -> None:
        packed = self.packing_date.data
        if isinstance(field.data, date) and isinstance(packed, date) and field.data < packed:
            field.errors.append(_l("Best-before cannot come before the packing date."))


def _own(model, producer_id: int, order) -> dict:
    """The producer's records of one kind, by id (one query)."""
    rows = db.session.scalars(
        select(model).where(model.producer_id == producer_id).order_by(order, model.id)
    )
    return {row.id: row for row in rows}


def _lot_taken(product_id: int, lot: str) -> bool:
    query = select(Batch.id).where(Batch.product_id == product_id, Batch.lot == lot)
    return db.session.scalar(query.limit(1)) is not None
