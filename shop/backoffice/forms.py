"""The forms of the back office: approvals, growing-area codes, payments and the order desk."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from shop.checkout.models import Carrier, OrderStatus
from shop.farm.fields import WholeNumberField
from shop.payments.banks import INTEGER_MAX
from shop.trace.models import CodeStatus

NOTE_MAX = 500


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _order_code(value: str | None) -> str | None:
    """' dh7k 3m9q2x ' → 'DH7K3M9Q2X': codes are read off the phone or a bank statement."""
    return "".join(value.split()).upper() if isinstance(value, str) else value


class ReviewForm(FlaskForm):
    """A decision on a producer or a product, with an optional note for the producer."""

    decision = StringField(validators=[DataRequired(), AnyOf(("approve", "reject"))])
    note = TextAreaField(
        _l("Note for the producer (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=NOTE_MAX)],
    )


class CertificateReviewForm(FlaskForm):
    """A certificate is either verified against the decision or rejected."""

    decision = StringField(validators=[DataRequired(), AnyOf(("verify", "reject"))])


class CodeStatusForm(FlaskForm):
    """The authority's decision on a growing-area or packing-house code, with its reason."""

    status = SelectField(
        _l("New status"),
        choices=[SelectChoice(s.value, s.label) for s in CodeStatus],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Reason (required)"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Give the reason, e.g. the authority's decision number.")),
            Length(max=NOTE_MAX),
        ],
    )


class ResolveReviewForm(FlaskForm):
    """Dismiss a transfer in the review queue, with the reason."""

    note = TextAreaField(
        _l("Reason for dismissing (required)"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Give the reason, e.g. “test transfer from our own account”.")),
            Length(max=NOTE_MAX),
        ],
    )


class RefundReviewForm(FlaskForm):
    """Money sent back to the customer: the bank's reference for that transfer."""

    reference = StringField(
        _l("Bank reference of the refund"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the reference of the transfer that sent the money back.")),
            Length(max=100),
        ],
    )
    note = TextAreaField(
        _l("Note (optional)"), filters=[_strip], validators=[Optional(), Length(max=NOTE_MAX)]
    )


class ApplyReviewForm(FlaskForm):
    """Apply a transfer in the review queue to the order staff found it belongs to."""

    order_code = StringField(
        _l("Order code"),
        filters=[_order_code],
        validators=[DataRequired(_l("Enter the order code, e.g. DH7K3M9Q2X.")), Length(max=16)],
    )
    note = TextAreaField(
        _l("Note (optional)"), filters=[_strip], validators=[Optional(), Length(max=NOTE_MAX)]
    )


class TransferReceivedForm(FlaskForm):
    """A transfer staff saw on the bank statement: how much, and the bank's reference."""

    amount_vnd = WholeNumberField(
        _l("Amount received (đồng)"),
        validators=[DataRequired(_l("Enter the amount received."))],
        minimum=1,
        maximum=INTEGER_MAX,
    )
    reference = StringField(
        _l("Bank reference"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the transaction reference from the bank statement.")),
            Length(max=100),
        ],
    )


STATUS_CHOICES = [
    SelectChoice(s.value, s.label)
    for s in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
]
CARRIER_CHOICES = [SelectChoice(c.value, c.label) for c in Carrier]


class OrderStatusForm(FlaskForm):
    """Packed, shipped (with the carrier and, unless we deliver ourselves, a tracking number)
    or delivered. Whether the order may move there is the transition table's to say."""

    status = SelectField(
        _l("New status"),
        choices=STATUS_CHOICES,
        validators=[DataRequired(_l("Choose the new status."))],
    )
    # No Optional(): it would stop the checks below, which depend on the status chosen.
    carrier = SelectField(
        _l("Carrier"), choices=[SelectChoice("", "—"), *CARRIER_CHOICES], default=""
    )
    tracking_number = StringField(
        _l("Tracking number"), filters=[_strip], validators=[Length(max=60)]
    )

    def validate_carrier(self, field) -> None:
        if self.status.data == OrderStatus.SHIPPED.value and not field.data:
            raise ValidationError(_l("Choose the carrier the parcel was handed to."))

    def validate_tracking_number(self, field) -> None:
        shipped = self.status.data == OrderStatus.SHIPPED.value
        if shipped and self.carrier.data not in ("", Carrier.OWN.value) and not field.data:
            raise ValidationError(_l("Enter the carrier's tracking number."))

    @property
    def new_status(self) -> OrderStatus:
        return OrderStatus(self.status.data)

    @property
    def chosen_carrier(self) -> Carrier | None:
        return Carrier(self.carrier.data) if self.carrier.data else None


class BulkStatusForm(FlaskForm):
    """Mark the ticked orders packed, or shipped with one carrier (no tracking numbers)."""

    action = SelectField(
        _l("Action"),
        choices=[SelectChoice(s.value, s.label) for s in (OrderStatus.PACKED, OrderStatus.SHIPPED)],
        validators=[DataRequired()],
    )
    codes = SelectMultipleField(_l("Orders"), choices=[], validate_choice=False)
    carrier = SelectField(_l("Carrier"), choices=CARRIER_CHOICES, validators=[Optional()])

    def validate_codes(self, field) -> None:
        field.data = [_order_code(code)[:16] for code in field.data or [] if code.strip()][:200]
        if not field.data:
            raise ValidationError(_l("Tick at least one order."))


class CancelOrderForm(FlaskForm):
    """Cancelling is destructive: staff confirm it and say why (the customer is told)."""

    reason = TextAreaField(
        _l("Reason (required)"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Say why the order is cancelled, e.g. “customer asked by phone”.")),
            Length(max=NOTE_MAX),
        ],
    )
    confirm = BooleanField(
        _l("Yes, cancel this order"),
        validators=[DataRequired(_l("Tick the box to confirm the cancellation."))],
    )


class RefundLineForm(FlaskForm):
    """Give back part of what one line cost (a damaged or missing item), with the reason."""

    line_id = WholeNumberField(
        _l("Line"),
        validators=[DataRequired(_l("Choose the line."))],
        minimum=1,
        maximum=INTEGER_MAX,
    )
    amount_vnd = WholeNumberField(
        _l("Amount to refund (đồng)"),
        validators=[DataRequired(_l("Enter the amount to refund."))],
        minimum=1,
        maximum=INTEGER_MAX,
    )
    reason = TextAreaField(
        _l("Reason (required)"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Say why, e.g. “one jar arrived broken”.")),
            Length(max=NOTE_MAX),
        ],
    )
    confirm = BooleanField(
        _l("Yes, refund this amount"),
        validators=[DataRequired(_l("Tick the box to confirm the refund."))],
    )


class RefundSentForm(FlaskForm):
    """Staff sent a bank refund: the reference of their transfer."""

    reference = StringField(
        _l("Bank reference of the refund"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the reference of the transfer you sent.")),
            Length(max=100),
        ],
    )
