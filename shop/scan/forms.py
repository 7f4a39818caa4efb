"""The one form on a scan page: telling us your province, if you want to."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from shop.scan.provinces import CITIES, PROVINCES, PROVINCES_ONLY


def province_choices() -> list[SelectChoice]:
    """Cities, then provinces; the names are proper nouns, never translated."""
    return [
        SelectChoice("", _l("Choose…")),
        *(SelectChoice(name, name, optgroup=_l("Cities")) for name in CITIES),
        *(SelectChoice(name, name, optgroup=_l("Provinces")) for name in PROVINCES_ONLY),
    ]


class ProvinceForm(FlaskForm):
    """Optional; only the province is stored, against the scan made in this browser."""

    province = SelectField(
        _l("Your province or city"),
        choices=province_choices,
        validators=[InputRequired(message=_l("Please choose your province or city."))],
        validate_choice=False,
    )

    def validate_province(self, field) -> None:
        if field.data not in PROVINCES:
            raise ValidationError(_l("Please choose a province or city from the list."))
