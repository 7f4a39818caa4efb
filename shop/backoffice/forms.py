"""The forms of the back office: approvals, the status of growing-area codes, and payments."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

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
