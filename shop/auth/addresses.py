"""E-mail addresses: checked with email_validator, and the demo's .local accepted on purpose."""

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from wtforms.validators import ValidationError

PUBLIC_STAND_IN = "example"  # a TLD email_validator treats as ordinary (RFC 6761 § 6.5)


def check_email(address: str) -> str:
    """The address as email_validator normalises it; EmailNotValidError if it is not one.

    email_validator refuses special-use domains (RFC 6761/6762) because mail to them cannot
    be delivered across the internet. The demo accounts live under ocop.local, which no one can
    ever register, so the top-level domains in EMAIL_SPECIAL_USE_TLDS (default: local) are
    accepted deliberately: the rest of such an address is checked as strictly as any other,
    as if its domain sat under a public one. Deliverability is never looked up (no DNS).
    """
    local_part, at, domain = address.rpartition("@")
    top = domain.rsplit(".", 1)[-1].lower()
    allowed = current_app.config["EMAIL_SPECIAL_USE_TLDS"]
    if at and "." in domain and top in allowed:
        stand_in = validate_email(
            f"{local_part}@{domain}.{PUBLIC_STAND_IN}", check_deliverability=False
        )
        return stand_in.normalized.removesuffix(f".{PUBLIC_STAND_IN}")
    return validate_email(address, check_deliverability=False).normalized


class EmailAddress:
    """WTForms validator: a well-formed e-mail address (see check_email)."""

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return  # DataRequired or Optional decide about an empty field
        try:
            check_email(field.data)
        except EmailNotValidError as exc:
            raise ValidationError(self.message) from exc
