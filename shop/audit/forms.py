"""The audit log's filters, read from the query string: a bad value gets a message, not a 500."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length

from shop.catalogue.forms import MAX_PAGE, WholeNumberField
from shop.periods import PeriodForm


class AuditFilterForm(PeriodForm):
    actor = StringField(_l("Who (e-mail)"), filters=[lambda v: v.strip() if v else v])
    action = SelectField(_l("Action"), default="", validate_choice=False)
    target = StringField(
        _l("Object (e.g. order:DH7K3M9Q2X)"),
        filters=[lambda v: v.strip() if v else v],
        validators=[Length(max=80)],
    )
    page = WholeNumberField(
        _l("Page"),
        minimum=1,
        maximum=MAX_PAGE,
        message=_l("The page number must be a whole number from 1 to %(max)s.", max=MAX_PAGE),
    )

    def __init__(self, formdata, actions: list[tuple[str, str]], **kwargs):
        super().__init__(formdata, **kwargs)
        self.action.choices = [
            SelectChoice("", _l("All actions")),
            *(SelectChoice(value, label) for value, label in actions),
        ]

    def valid(self, name: str):
        field = self[name]
        return None if field.errors else field.data
