"""The farmer's form for a run of serialised labels: how many, on which paper."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from shop.farm.fields import WholeNumberField
from shop.labels.serials import MAX_RUN

LAYOUT_CHOICES = [
    SelectChoice("a4", _l("A4 sheet: 24 labels of 70 × 37 mm")),
    SelectChoice("roll", _l("Label printer roll: 50 × 30 mm")),
]


class RunForm(FlaskForm):
    count = WholeNumberField(
        _l("How many labels?"),
        [InputRequired(_l("Enter how many labels to print."))],
        minimum=1,
        maximum=MAX_RUN,
    )
    layout = RadioField(
        _l("Paper"),
        choices=LAYOUT_CHOICES,
        default="a4",  # also when a form leaves it out
    )
