"""The one form on a scan page: telling us your province, if you want to."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired

from shop.places.fields import ProvinceField


class ProvinceForm(FlaskForm):
    """Optional; only the province (its official code and name) is stored, against the scan
    made in this browser. One of the 34 provinces and cities since 1 July 2025."""

    province = ProvinceField(
        _l("Your province or city"),
        validators=[InputRequired(message=_l("Please choose your province or city."))],
    )
