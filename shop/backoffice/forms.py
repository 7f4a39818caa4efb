"""The forms of the back office: approvals, and the status of growing-area codes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from shop.trace.models import CodeStatus

NOTE_MAX = 500


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


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
