"""Recording a payout as paid, and a producer's own commission rate."""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from shop.periods import PeriodForm


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class PayForm(PeriodForm):
    """POST: the producer, the period (both days) and the bank's reference for the transfer."""

    class Meta(FlaskForm.Meta):  # a POST: CSRF as configured, unlike PeriodForm's GET
        pass

    producer_id = IntegerField(validators=[DataRequired()])
    bank_reference = StringField(
        _l("Bank reference"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the reference of the transfer to the producer.")),
            Length(max=100),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        """Both days are needed here (Optional() in PeriodForm stops at an empty one)."""
        valid = super().validate(extra_validators)
        if self.date_from.data is None or self.date_to.data is None:
            self.date_from.errors = [
                *self.date_from.errors,
                _l("Choose the period's first and last day."),
            ]
            return False
        return valid


class CommissionForm(FlaskForm):
    """The cooperative's share of one producer's sales in %, e.g. 7,5; empty: the shop's rate."""

    percent = StringField(_l("Commission rate"), filters=[_strip])

    def validate_percent(self, field) -> None:
        if not field.data:
            field.data = None
            return
        try:
            value = Decimal(field.data.replace(",", "."))
        except InvalidOperation:
            value = Decimal(-1)
        if not (0 <= value <= 100) or value != value.quantize(Decimal("0.01")):
            raise ValidationError(_l("Enter a percentage from 0 to 100, e.g. 10 or 7,5."))
        field.data = value
