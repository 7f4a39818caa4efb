"""Forms of the people page: a new staff account, a role, an account switched on or off."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from shop.auth import accounts
from shop.auth.forms import MIN_PASSWORD
from shop.auth.models import Role

# Roles set here; a producer account belongs to a farm and is made through the farm sign-up.
ROLES = (Role.CONSUMER, Role.STAFF, Role.ADMIN)


def role_label(role: Role):
    return {
        "consumer": _l("Customer"),
        "producer": _l("Producer"),
        "staff": _l("Staff"),
        "admin": _l("Administrator"),
    }[role.value]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, role_label(r)) for r in ROLES],
        validators=[DataRequired()],
    )


class NewStaffForm(RoleForm):
    """A colleague's account; they change the first password after logging in."""

    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the name.")), Length(max=120)],
    )
    email = EmailField(
        _l("E-mail"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the e-mail address.")),
            Length(max=254),
            Email(_l("Enter a valid e-mail address, like ten@example.vn.")),
        ],
    )
    password = PasswordField(
        _l("First password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(min=MIN_PASSWORD, max=200, message=_l("Use at least %(min)d characters.")),
        ],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(r.value, role_label(r)) for r in (Role.STAFF, Role.ADMIN)]

    def validate_email(self, field) -> None:
        if accounts.email_taken(field.data):
            raise ValidationError(
                _l("This e-mail already has an account: search for it below and change its role.")
            )
