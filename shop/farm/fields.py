"""Form fields that read numbers and phone numbers the way Vietnamese farmers type them."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import StopValidation, ValidationError

from shop.auth.phone import PHONE_MESSAGE, normalise_phone
from shop.i18n import format_number, group_dong

_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_CURRENCY = re.compile(r"\s*(₫|đ|đồng|dong|vnd|vnđ|d)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_whole_number(text: str) -> int:
    """'120.000', '120,000', '120 000', '120000 ₫' and '120k' all mean 120000; '-5' is -5.

    A dot or comma is read as a thousands separator (Vietnamese writes 120.000 for
    one hundred and twenty thousand), so it must group exactly three digits.
    """
    value = _SPACES.sub("", _CURRENCY.sub("", text.strip()))
    sign = 1
    if value[:1] in ("-", "−"):
        sign, value = -1, value[1:]
    thousands = 1
    if value[-1:] in ("k", "K"):
        thousands, value = 1000, value[:-1]
    if len(value) > 24 or not value.isascii():
        raise ValueError(_l("Enter a whole number, for example 120000 or 120.000."))
    if value.isdigit():
        return sign * int(value) * thousands
    if _GROUPED.fullmatch(value):
        return sign * int(re.sub(r"[.,]", "", value)) * thousands
    raise ValueError(_l("Enter a whole number, for example 120000 or 120.000."))


class WholeNumberField(StringField):
    """A whole number within [minimum, maximum]; what was typed is shown back unchanged."""

    format_bound = staticmethod(format_number)  # the bounds, in messages

    def __init__(self, label=None, validators=None, minimum=0, maximum=1_000_000, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_whole_number(valuelist[0])

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            return
        if self.data < 0 <= self.minimum:
            raise ValidationError(_l("This cannot be negative."))
        if not self.minimum <= self.data <= self.maximum:
            raise ValidationError(
                _l(
                    "Enter a number from %(low)s to %(high)s.",
                    low=self.format_bound(self.minimum),
                    high=self.format_bound(self.maximum),
                )
            )


class MoneyField(WholeNumberField):
    """A sum of đồng: its bounds are written like prices (120.000) in every language."""

    format_bound = staticmethod(group_dong)


class PhoneField(StringField):
    """A Vietnamese phone number, mobile or landline, as shop.auth.phone accepts it everywhere."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "tel", "autocomplete": "tel", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def pre_validate(self, form) -> None:
        typed = (self.data or "").strip()
        if not typed:
            return  # the required check speaks
        number = normalise_phone(typed)
        if number is None:
            raise ValidationError(PHONE_MESSAGE)
        self.data = number

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else (self.data or "")


class DayField(DateField):
    """A date from the phone's date picker (yyyy-mm-dd) or typed as dd/mm/yyyy."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label,
            validators,
            format=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
            invalid_value_message=_l("Enter the date as day/month/year, for example 15/03/2024."),
            **kwargs,
        )
