"""The recall form: a reason, advice for the consumer, and an explicit confirmation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from shop.recalls.recalls import MAX_ADVICE, MAX_REASON


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class RecallForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the batch recalled?"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Say why the batch is recalled.")),
            Length(max=MAX_REASON),
        ],
    )
    advice = TextAreaField(
        _l("What should people who bought it do?"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Tell buyers what to do with the product.")),
            Length(max=MAX_ADVICE),
        ],
    )
    confirm = BooleanField(
        _l("I understand: the lot stops being sold now and every buyer is e-mailed."),
        validators=[DataRequired(_l("Tick the box to confirm the recall."))],
    )


class FindBatchForm(FlaskForm):
    """Staff name a batch by the GTIN and lot printed on its label."""

    class Meta:
        csrf = False  # a search (GET)

    gtin = StringField(_l("GTIN"), filters=[_strip], validators=[Optional(), Length(max=14)])
    lot = StringField(_l("Lot"), filters=[_strip], validators=[Optional(), Length(max=20)])
