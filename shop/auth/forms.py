"""Log-in and sign-up forms: what a valid entry is, and what to tell people when it is not."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from shop.auth import accounts
from shop.auth.addresses import EmailAddress
from shop.auth.models import User
from shop.auth.phone import VietnamesePhone, phone_filter

MIN_PASSWORD = 8
EMAIL_TAKEN = _l("An account with this e-mail already exists. Log in instead, or use another.")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))

    user: User | None = None

    def validate(self, extra_validators=None) -> bool:
        """The fields first, then the credentials, with one message that reveals nothing."""
        if not super().validate(extra_validators):
            return False
        user = accounts.authenticate(self.email.data, self.password.data)
        if user is None:
            self.form_errors.append(_l("The e-mail or password is not correct."))
            return False
        if not user.is_enabled:
            self.form_errors.append(
                _l("This account has been disabled. Please contact the cooperative.")
            )
            return False
        self.user = user
        return True


class SignupForm(FlaskForm):
    """A shopper's account: name, e-mail, password, and a phone for deliveries."""

    name = StringField(
        _l("Your name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254),
            EmailAddress(_l("Enter a valid e-mail address, like ten@example.vn.")),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    phone = StringField(
        _l("Phone (optional)"),
        filters=[phone_filter],
        validators=[Optional(), Length(max=20), VietnamesePhone()],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use at least %(min)d characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_email(self, field) -> None:
        if accounts.email_taken(field.data):
            raise ValidationError(EMAIL_TAKEN)

    def account_data(self) -> dict:
        """The keyword arguments of accounts.create_account."""
        return {
            "name": self.name.data,
            "email": self.email.data,
            "password": self.password.data,
            "phone": self.phone.data or None,
        }
