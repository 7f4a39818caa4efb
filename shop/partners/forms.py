"""Staff forms: a new partner, a batch granted to it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class PartnerForm(FlaskForm):
    name = StringField(
        _l("Partner's name"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the partner's name.")), Length(max=160)],
    )
    contact = StringField(
        _l("Contact (e-mail or phone, optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=254)],
    )


class GrantForm(FlaskForm):
    """A batch, named by the GTIN and lot printed on its label."""

    gtin = StringField(
        _l("GTIN"),
        filters=[_strip],
        validators=[DataRequired(_l("Type the GTIN.")), Length(max=14)],
    )
    lot = StringField(
        _l("Lot"), filters=[_strip], validators=[DataRequired(_l("Type the lot.")), Length(max=20)]
    )
