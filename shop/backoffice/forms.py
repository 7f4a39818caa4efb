"""The approve / reject forms of the approvals screen."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

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
