"""The producer sign-up form: an account and the farm it speaks for, in one go."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from shop.auth.forms import SignupForm
from shop.auth.phone import VietnamesePhone, phone_filter
from shop.places.directory import HOME_PROVINCE_CODE
from shop.places.fields import CommuneField, ProvinceField


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ProducerSignupForm(SignupForm):
    """SignupForm's account fields (name, e-mail, password) plus the producer's profile."""

    producer_name = StringField(
        _l("Farm, household or cooperative name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the name customers will see.")), Length(max=160)],
        render_kw={"autocomplete": "organization"},
    )
    phone = StringField(
        _l("Contact phone"),
        filters=[phone_filter],
        validators=[
            DataRequired(_l("Enter a phone number customers and the cooperative can call.")),
            Length(max=20),
            VietnamesePhone(),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    province = ProvinceField(
        _l("Province or city"),
        [DataRequired(_l("Choose the province or city."))],
        default=HOME_PROVINCE_CODE,
    )
    commune = CommuneField(
        _l("Commune or ward"), required_message=_l("Choose your commune or ward.")
    )
    story = TextAreaField(
        _l("Your story (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 5, "maxlength": 2000},
    )

    def registration_data(self) -> dict:
        """The keyword arguments of registration.register_producer."""
        return {
            **self.account_data(),
            "producer_name": self.producer_name.data,
            "province": self.province.place,
            "commune": self.commune.place,
            "story": self.story.data or "",
        }
