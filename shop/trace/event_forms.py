"""One short form per event type: when, where, who, and the few facts that type records."""

import re
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import FileStorage
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from shop.catalogue.images import ImageRejected, save_upload
from shop.clock import utcnow
from shop.farm.fields import DayField, WholeNumberField
from shop.trace.attachments import AttachmentRejected, save_attachment
from shop.trace.batches import FUTURE_GRACE
from shop.trace.forms import clean
from shop.trace.models import BatchEvent, EventType
from shop.trace.timeline import local_time, zone_of

MAX_PHOTOS = 4
MAX_PHI_DAYS = 365
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|pdf)")


def _file_error(upload: FileStorage, error: Exception) -> str:
    return f"{upload.filename}: {error}" if upload.filename else str(error)


class EventForm(FlaskForm):
    """What every event records; subclasses add their type's details."""

    event_type = EventType.PLANTING

    day = DayField(_l("Date"), [InputRequired(_l("Enter the date."))])
    time = TimeField(
        _l("Time"),
        [InputRequired(_l("Enter the time."))],
        format=["%H:%M", "%H:%M:%S", "%Hh%M", "%H.%M", "%Hh"],
        invalid_value_message=_l("Enter the time as hours:minutes, for example 07:30."),
    )
    place = StringField(_l("Place"), [Length(max=200)], filters=[clean])
    actor = StringField(_l("Who did it"), [Length(max=160)], filters=[clean])
    notes = TextAreaField(_l("Notes"), [Length(max=2000)], filters=[clean])
    photos = MultipleFileField(
        _l("Photos (optional)"), render_kw={"accept": "image/*", "multiple": True}
    )
    drop = SelectMultipleField(_l("Remove"), choices=[], validate_choice=False)
    kept = HiddenField()

    def __init__(self, *args, owner_id: int, zone: str, defaults: dict, original=None, **kw):
        super().__init__(*args, **kw)
        self.owner_id, self.zone = owner_id, zone
        self.photo_names, self.report_name = self._kept()
        if not self.is_submitted():
            if original is not None:
                self._prefill(original)
            else:
                now = datetime.now(zone_of(zone))
                self.day.data, self.time.data = now.date(), now.time().replace(microsecond=0)
                self.place.data, self.actor.data = defaults.get("place"), defaults.get("actor")
                if "unit" in self._fields and defaults.get("unit"):
                    self._fields["unit"].data = defaults["unit"]
        self.drop.choices = [SelectChoice(name, name) for name in self.photo_names]

    # What the view reads -----------------------------------------------------------------

    def occurred_at(self) -> datetime:
        """The local date and time typed, as an aware datetime in the farm's zone."""
        return datetime.combine(self.day.data, self.time.data, tzinfo=zone_of(self.zone))

    def details(self) -> dict:
        return {}

    def attachments(self) -> list[str]:
        dropped = set(self.drop.data or [])
        names = [n for n in self.photo_names if n not in dropped]
        return [*names, self.report_name] if self.report_name else names

    def fill(self, details: dict) -> None:
        """Put an event's details back into the type's fields (for a correction)."""

    @property
    def detail_fields(self) -> list:
        base = set(EventForm.__dict__) | {"csrf_token"}
        return [f for f in self if f.name not in base and f.type != "CSRFTokenField"]

    # Validation ---------------------------------------------------------------------------

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        complete = not (self.day.errors or self.time.errors) and self.day.data and self.time.data
        if complete and self.occurred_at() > utcnow() + FUTURE_GRACE:
            self.time.errors.append(_l("The time cannot be in the future."))
            valid = False
        return valid

    def validate_photos(self, field) -> None:
        uploads = [f for f in field.data or [] if isinstance(f, FileStorage) and f.filename]
        staying = [n for n in self.photo_names if n not in set(self.drop.data or [])]
        if len(staying) + len(uploads) > MAX_PHOTOS:
            field.errors.append(_l("At most %(n)s photos per event.", n=MAX_PHOTOS))
            return
        for upload in uploads:
            try:
                name = save_upload(upload.stream)
            except ImageRejected as error:
                field.errors.append(_file_error(upload, error))
                continue
            if name not in self.photo_names:
                self.photo_names.append(name)
        self._keep()

    # Files accepted on an earlier try, so a farmer never uploads twice -------------------

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="trace-kept-files")

    def _kept(self) -> tuple[list[str], str | None]:
        if not self.kept.data:
            return [], None
        try:
            owner, photos, report = self._serializer().loads(self.kept.data)
        except (BadSignature, TypeError, ValueError):
            return [], None
        if owner != self.owner_id or not isinstance(photos, list):
            return [], None
        photos = [n for n in photos if isinstance(n, str) and _STORED_NAME.fullmatch(n)]
        if not (isinstance(report, str) and _STORED_NAME.fullmatch(report)):
            report = None
        return photos[:MAX_PHOTOS], report

    def _keep(self) -> None:
        self.kept.data = self._serializer().dumps(
            [self.owner_id, self.photo_names, self.report_name]
        )
        self.drop.choices = [SelectChoice(name, name) for name in self.photo_names]

    def _prefill(self, original: BatchEvent) -> None:
        when = local_time(original)
        self.day.data, self.time.data = when.date(), when.time().replace(microsecond=0)
        self.place.data, self.actor.data = original.place, original.actor
        self.notes.data = original.notes
        details = original.details or {}
        report = details.get("report")
        self.report_name = report if isinstance(report, str) else None
        self.photo_names = [a for a in original.attachments or [] if a != self.report_name]
        self.fill(details)
        self._keep()


def _text(details: dict, key: str) -> str:
    value = details.get(key)
    return value if isinstance(value, str) else ""


class PlantingForm(EventForm):
    event_type = EventType.PLANTING
    what = StringField(
        _l("What was planted (variety, seedlings)"), [Length(max=200)], filters=[clean]
    )

    def details(self) -> dict:
        return {"what": self.what.data} if self.what.data else {}

    def fill(self, details: dict) -> None:
        self.what.data = _text(details, "what")


class InputForm(EventForm):
    event_type = EventType.INPUT_APPLIED
    input = StringField(
        _l("Input product (fertiliser, pesticide…)"),
        [DataRequired(_l("Say what was applied.")), Length(max=200)],
        filters=[clean],
    )
    dose = StringField(
        _l("Dose"), [DataRequired(_l("Enter the dose.")), Length(max=100)], filters=[clean]
    )
    phi_days = WholeNumberField(
        _l("Pre-harvest interval (days)"), [Optional()], maximum=MAX_PHI_DAYS
    )

    def details(self) -> dict:
        return {"input": self.input.data, "dose": self.dose.data, "phi_days": self.phi_days.data}

    def fill(self, details: dict) -> None:
        self.input.data, self.dose.data = _text(details, "input"), _text(details, "dose")
        phi = details.get("phi_days")
        self.phi_days.data = phi if isinstance(phi, int) and not isinstance(phi, bool) else None


class HarvestForm(EventForm):
    event_type = EventType.HARVEST
    quantity = WholeNumberField(_l("Quantity harvested"), [Optional()], minimum=1, maximum=10**9)
    unit = StringField(_l("Unit"), [Length(max=20)], filters=[clean], default="kg")

    def details(self) -> dict:
        if self.quantity.data is None:
            return {}
        return {"quantity": self.quantity.data, "unit": self.unit.data or "kg"}

    def fill(self, details: dict) -> None:
        quantity = details.get("quantity")
        self.quantity.data = quantity if isinstance(quantity, int) else None
        self.unit.data = _text(details, "unit") or "kg"


class _WhatForm(EventForm):
    what = StringField(
        _l("What was done"),
        [DataRequired(_l("Say in a few words what was done.")), Length(max=200)],
        filters=[clean],
    )

    def details(self) -> dict:
        return {"what": self.what.data}

    def fill(self, details: dict) -> None:
        self.what.data = _text(details, "what")


class ProcessingForm(_WhatForm):
    event_type = EventType.PROCESSING


class PackingForm(_WhatForm):
    event_type = EventType.PACKING


class ShippingForm(EventForm):
    event_type = EventType.SHIPPING
    destination = StringField(
        _l("Sent to"),
        [DataRequired(_l("Say where it was sent.")), Length(max=200)],
        filters=[clean],
    )
    carrier = StringField(_l("Carrier"), [Length(max=120)], filters=[clean])

    def details(self) -> dict:
        return {"destination": self.destination.data, "carrier": self.carrier.data}

    def fill(self, details: dict) -> None:
        self.destination.data = _text(details, "destination")
        self.carrier.data = _text(details, "carrier")


class LabTestForm(EventForm):
    event_type = EventType.LAB_TEST
    lab = StringField(
        _l("Laboratory"),
        [DataRequired(_l("Enter the laboratory's name.")), Length(max=160)],
        filters=[clean],
    )
    test = StringField(
        _l("What was tested"),
        [DataRequired(_l("Say what was tested.")), Length(max=200)],
        filters=[clean],
    )
    passed = RadioField(
        _l("Result"),
        choices=[SelectChoice("pass", _l("Passed")), SelectChoice("fail", _l("Failed"))],
        validators=[InputRequired(_l("Choose passed or failed."))],
    )
    result = StringField(_l("Result in words"), [Length(max=500)], filters=[clean])
    report = FileField(
        _l("Report or certificate (PDF or photo)"),
        render_kw={"accept": "application/pdf,image/*"},
    )

    def validate_report(self, field) -> None:
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            return
        try:
            self.report_name = save_attachment(upload.stream)
        except AttachmentRejected as error:
            field.errors.append(_file_error(upload, error))
            return
        self._keep()

    def details(self) -> dict:
        return {
            "lab": self.lab.data,
            "test": self.test.data,
            "passed": self.passed.data == "pass",
            "result": self.result.data,
            "report": self.report_name,
        }

    def fill(self, details: dict) -> None:
        self.lab.data, self.test.data = _text(details, "lab"), _text(details, "test")
        passed = details.get("passed")
        self.passed.data = (
            {True: "pass", False: "fail"}.get(passed) if passed in (True, False) else None
        )
        self.result.data = _text(details, "result")


EVENT_FORMS: dict[EventType, type[EventForm]] = {
    form.event_type: form
    for form in (
        PlantingForm,
        InputForm,
        HarvestForm,
        ProcessingForm,
        PackingForm,
        LabTestForm,
        ShippingForm,
    )
}
