"""The farmer's forms: producer profile and product (with photos and an OCOP certificate)."""

import re
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from shop.catalogue import gtin as gtin_rules
from shop.catalogue.images import ImageRejected, save_upload
from shop.catalogue.models import OcopGroup, Product, QuantityUnit
from shop.extensions import db
from shop.farm.fields import DayField, PhoneField, WholeNumberField, local_today
from shop.places.directory import HOME_PROVINCE_CODE, province
from shop.places.fields import CommuneField, ProvinceField, formerly_field

MAX_PHOTOS = 6
MAX_PRICE_VND = 100_000_000
MAX_STOCK = 1_000_000
PROVINCE_ISSUER = f"UBND tỉnh {province(HOME_PROVINCE_CODE).name}"
MINISTRY_ISSUER = "Bộ Nông nghiệp và Môi trường"
# Score bands of the OCOP assessment (100 points): what each certified star rating needs.
STAR_SCORES = {3: (50, 69), 4: (70, 89), 5: (90, 100)}
OCOP_FIRST_YEAR = 2018  # the national OCOP programme (Decision 490/QĐ-TTg) began in 2018
UNIT_SUGGESTIONS = ("chai", "hộp", "gói", "túi", "hũ", "lọ", "kg", "bó", "cái", "suất", "vé")
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.jpg")


def strip(value):
    """A WTForms filter: what was typed, without the spaces around it."""
    return value.strip() if isinstance(value, str) else value


def _typed(field) -> str:
    """What the user typed or chose in a field, trimmed ('' on a first visit)."""
    raw = getattr(field, "raw_data", None)
    return raw[0].strip() if raw and isinstance(raw[0], str) else ""


def _upload_error(filename: str | None, error: ImageRejected) -> str:
    return f"{filename}: {error}" if filename else str(error)


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Name of the farm or cooperative"), [DataRequired(), Length(max=160)], filters=[strip]
    )
    story = TextAreaField(_l("Your story"), [Length(max=5000)], filters=[strip])
    address = StringField(_l("Address (village, street)"), [Length(max=200)], filters=[strip])
    province = ProvinceField(
        _l("Province or city"),
        [DataRequired(_l("Choose the province or city."))],
        default=HOME_PROVINCE_CODE,
    )
    commune = CommuneField(
        _l("Commune or ward"), required_message=_l("Choose your commune or ward.")
    )
    district = formerly_field()
    phone = PhoneField(_l("Phone"), [DataRequired()])
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            Optional(),
            Email(_l("Enter an e-mail address like ten@example.vn.")),
            Length(max=254),
        ],
    )
    photo = FileField(_l("Profile photo"), render_kw={"accept": "image/*"})
    remove_photo = BooleanField(_l("Remove the current photo"))

    stored_photo: str | None = None

    def validate_photo(self, field) -> None:
        """Store an accepted photo now; a rejected one is the field's error."""
        if not isinstance(field.data, FileStorage):
            return  # nothing chosen (the data is then the stored file name)
        try:
            self.stored_photo = save_upload(field.data.stream)
        except ImageRejected as error:
            field.errors.append(_upload_error(field.data.filename, error))


class ProductForm(FlaskForm):
    name = StringField(
        _l("Product name"), [DataRequired(), Length(min=2, max=160)], filters=[strip]
    )
    ocop_group = SelectField(
        _l("OCOP group"),
        choices=[SelectChoice(g.value, g.label) for g in OcopGroup],
        default="food",
    )
    description = TextAreaField(_l("Description"), [Length(max=5000)], filters=[strip])
    gtin = StringField(
        _l("Barcode number (GTIN)"),
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20},
    )
    unit = StringField(
        _l("Sold per"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say how it is sold, for example chai, hộp or kg.")),
            Length(max=40),
        ],
        render_kw={"list": "unit-suggestions", "autocomplete": "off"},
    )
    net_quantity = WholeNumberField(_l("Net quantity"), [Optional()], minimum=1)
    net_quantity_unit = SelectField(
        _l("Unit"),
        choices=[SelectChoice("", "—")]
        + [
            SelectChoice(u.value, _l("pieces") if u is QuantityUnit.PIECE else u.value)
            for u in QuantityUnit
        ],
        default="g",
    )
    price_vnd = WholeNumberField(
        _l("Price (đồng)"), [InputRequired(_l("Enter the price."))], maximum=MAX_PRICE_VND
    )
    stock = WholeNumberField(
        _l("Stock on hand"),
        [InputRequired(_l("Enter how many you have."))],
        maximum=MAX_STOCK,
        default=0,
    )
    shelf_life_days = WholeNumberField(
        _l("Shelf life (days)"), [Optional()], minimum=1, maximum=3650
    )
    is_active = BooleanField(_l("On sale"), default=True)
    photos = MultipleFileField(_l("Add photos"), render_kw={"accept": "image/*", "multiple": True})
    remove_photos = SelectMultipleField(_l("Remove photos"), coerce=int, choices=[])
    kept_photos = HiddenField()

    cert_number = StringField(_l("Decision number"), [Length(max=80)], filters=[strip])
    cert_date = DayField(_l("Decision date"), [Optional()])
    cert_issuer = SelectField(
        _l("Issued by"),
        choices=[
            SelectChoice("", _l("Choose…")),
            SelectChoice(PROVINCE_ISSUER, f"{PROVINCE_ISSUER} (3–4★)"),
            SelectChoice(MINISTRY_ISSUER, f"{MINISTRY_ISSUER} (5★)"),
        ],
        default="",
    )
    cert_stars = SelectField(
        _l("Stars"),
        choices=[SelectChoice("", "—"), *(SelectChoice(s, f"{s}★") for s in ("3", "4", "5"))],
        default="",
    )
    cert_score = WholeNumberField(_l("Score (out of 100)"), [Optional()], maximum=100)

    def __init__(self, *args, producer, product: Product | None = None, **kwargs):
        super().__init__(*args, obj=product, **kwargs)
        self.producer, self.product = producer, product
        self.remove_photos.choices = (
            [SelectChoice(str(p.id), p.filename) for p in product.photos] if product else []
        )
        if product and not self.is_submitted():
            self.gtin.data = gtin_rules.display(product.gtin) if product.gtin else ""
            self.net_quantity_unit.data = product.net_quantity_unit or ""
        self.new_photos: list[str] = self._kept_photo_names()

    # GTIN ------------------------------------------------------------------------------------

    def validate_gtin(self, field) -> None:
        typed = re.sub(r"[\s\-]", "", field.data or "")
        if not typed:
            if self.ocop_group.data != OcopGroup.TOURISM:
                field.errors.append(_l("Enter the barcode number printed under the barcode."))
            return
        if not typed.isascii() or not typed.isdigit():
            field.errors.append(_l("A barcode number has digits only."))
        elif len(typed) not in gtin_rules.GTIN_LENGTHS:
            field.errors.append(_l("A barcode number has 8, 12, 13 or 14 digits."))
        elif not gtin_rules.is_valid(typed):
            expected = gtin_rules.check_digit(typed[:-1])
            field.errors.append(
                _l("Check digit is wrong: the last digit should be %(digit)s", digit=expected)
            )
        elif self.gtin_taken(gtin_rules.canonical(typed)):
            field.errors.append(_l("Another product in the shop already has this barcode number."))

    def gtin_taken(self, gtin14: str) -> bool:
        query = select(Product.id).where(Product.gtin == gtin14)
        if self.product is not None:
            query = query.where(Product.id != self.product.id)
        return db.session.scalar(query.limit(1)) is not None

    @property
    def gtin14(self) -> str | None:
        typed = re.sub(r"[\s\-]", "", self.gtin.data or "")
        return gtin_rules.canonical(typed) if typed else None

    # Net quantity ----------------------------------------------------------------------------

    def validate_net_quantity_unit(self, field) -> None:
        if self.net_quantity.data is not None and not field.data:
            field.errors.append(_l("Choose the unit of the net quantity."))

    # Photos ----------------------------------------------------------------------------------

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="farm-kept-photos")

    def _kept_photo_names(self) -> list[str]:
        """Photos accepted on an earlier try of this form, so a farmer never uploads twice."""
        if not self.kept_photos.data:
            return []
        try:
            owner, names = self._serializer().loads(self.kept_photos.data)
        except (BadSignature, TypeError, ValueError):
            return []
        if owner != self.producer.id or not isinstance(names, list):
            return []
        return [n for n in names if isinstance(n, str) and _STORED_NAME.fullmatch(n)][:MAX_PHOTOS]

    def validate_photos(self, field) -> None:
        uploads = [f for f in field.data or [] if isinstance(f, FileStorage)]
        removed = set(self.remove_photos.data or [])
        staying = [p for p in (self.product.photos if self.product else []) if p.id not in removed]
        if len(staying) + len(self.new_photos) + len(uploads) > MAX_PHOTOS:
            field.errors.append(_l("A product can have at most %(n)s photos.", n=MAX_PHOTOS))
            return
        for upload in uploads:
            try:
                name = save_upload(upload.stream)
            except ImageRejected as error:
                field.errors.append(_upload_error(upload.filename, error))
                continue
            if name not in self.new_photos:
                self.new_photos.append(name)
        self.kept_photos.data = self._serializer().dumps([self.producer.id, self.new_photos])

    # OCOP certificate ------------------------------------------------------------------------

    @property
    def has_certificate(self) -> bool:
        """True when the farmer started filling in the certificate part."""
        return any(_typed(f) for f in self._certificate_fields())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._validate_certificate() and valid

    def _validate_certificate(self) -> bool:
        """All of number, date, issuer and stars, consistent with each other and the score."""
        if not self.has_certificate:
            return True
        for field in (self.cert_number, self.cert_date, self.cert_issuer, self.cert_stars):
            if not field.errors and not _typed(field):
                field.errors.append(_l("Needed for the certificate."))
        stars = int(self.cert_stars.data) if self.cert_stars.data in ("3", "4", "5") else None
        issuer = self.cert_issuer.data
        if stars == 5 and issuer == PROVINCE_ISSUER:
            self.cert_issuer.errors.append(
                _l("5★ certificates are decided by the Ministry (%(m)s).", m=MINISTRY_ISSUER)
            )
        elif stars in (3, 4) and issuer == MINISTRY_ISSUER:
            self.cert_issuer.errors.append(
                _l(
                    "3★ and 4★ certificates are decided by the province (%(p)s).",
                    p=PROVINCE_ISSUER,
                )
            )
        score = self.cert_score.data
        if stars and score is not None and not self.cert_score.errors:
            low, high = STAR_SCORES[stars]
            if not low <= score <= high:
                self.cert_score.errors.append(
                    _l(
                        "%(s)s★ needs a score from %(low)s to %(high)s.",
                        s=stars,
                        low=low,
                        high=high,
                    )
                )
        day = self.cert_date.data
        if isinstance(day, date) and not self.cert_date.errors:
            if day > local_today():
                self.cert_date.errors.append(_l("The decision date cannot be in the future."))
            elif day.year < OCOP_FIRST_YEAR:
                self.cert_date.errors.append(
                    _l("OCOP decisions date from %(year)s or later.", year=OCOP_FIRST_YEAR)
                )
        if self.product and _typed(self.cert_number) and self._certificate_recorded():
            self.cert_number.errors.append(_l("This certificate is already recorded."))
        return not any(f.errors for f in self._certificate_fields())

    def _certificate_fields(self):
        return (
            self.cert_number,
            self.cert_date,
            self.cert_issuer,
            self.cert_stars,
            self.cert_score,
        )

    def _certificate_recorded(self) -> bool:
        number = self.cert_number.data.strip().casefold()
        return any(
            c.decision_number.strip().casefold() == number for c in self.product.certificates
        )

    @property
    def certificate_open(self) -> bool:
        """Show the certificate part unfolded when it holds something or an error."""
        return self.has_certificate or any(f.errors for f in self._certificate_fields())
