"""Vietnamese phone numbers: accepted as people type them, stored in the domestic form."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

PHONE_MESSAGE = _l("Enter a Vietnamese phone number: 10 digits starting with 0, or +84…")
_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile numbers have 10 digits (03, 05, 07, 08, 09 …); landlines 11 (02 + area code + number).
_DOMESTIC = re.compile(r"0[35789]\d{8}|02\d{9}")


def normalise_phone(raw: str | None) -> str | None:
    """'+84 912 345 678' → '0912345678'; None when it is not a Vietnamese number."""
    if not raw:
        return None
    number = _SEPARATORS.sub("", raw)
    if number.startswith("+84"):
        number = "0" + number[3:]
    return number if _DOMESTIC.fullmatch(number) else None


def phone_filter(value: str | None) -> str | None:
    """A WTForms filter: normalise a valid number, keep anything else as typed for the error."""
    if value is None:
        return None
    value = value.strip()
    return normalise_phone(value) or value


class VietnamesePhone:
    """A WTForms validator for 0xxxxxxxxx or +84xxxxxxxxx; empty passes (pair with Optional)."""

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and normalise_phone(field.data) is None:
            raise ValidationError(self.message or PHONE_MESSAGE)
