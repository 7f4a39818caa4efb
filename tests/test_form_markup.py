"""Form fields never print a Python value (None, False) into HTML, with or without errors.

WTForms writes any keyword it is given as an attribute, so `field(aria_invalid=None)` becomes
aria-invalid="None", which screen readers announce as invalid. Every form of the app is
rendered here through the shared macros, with and without errors.
"""

import importlib
import pkgutil
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, SelectFieldBase

import shop

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PYTHON_VALUES = {"None", "False", "True"}
RENDER_ALL = """{% from "_forms.html" import render_field %}
{% for field in form %}{{ render_field(field, hint="A hint") }}{% endfor %}"""


def all_form_classes() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(shop.__path__, "shop."):
        importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.append(subclass)
            todo.append(subclass)
    return sorted(set(found), key=lambda cls: cls.__qualname__)


class Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.by_id: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        self.attributes += [(tag, name, value) for name, value in attrs]
        if "id" in dict(attrs):
            self.by_id[dict(attrs)["id"]] = dict(attrs)


def blank_form(form_class: type[FlaskForm]) -> FlaskForm:
    """The form with its fields but without its own __init__ (which wants records to edit)."""
    blank = type(form_class.__name__, (form_class,), {"__init__": FlaskForm.__init__})
    form = blank(formdata=MultiDict(), meta={"csrf": False})
    for field in form:
        if isinstance(field, SelectFieldBase) and getattr(field, "choices", ()) is None:
            field.choices = []
    return form


def test_every_form_class_is_found():
    names = {cls.__name__ for cls in all_form_classes()}
    assert {"CatalogueForm", "CheckoutForm", "ProductForm"} <= names, names


@pytest.mark.parametrize("form_class", all_form_classes(), ids=lambda cls: cls.__qualname__)
@pytest.mark.parametrize("with_errors", [False, True], ids=["clean", "with-errors"])
def test_every_form_renders_without_python_values_in_attributes(app, form_class, with_errors):
    with app.test_request_context("/"):
        form = blank_form(form_class)
        fields_with_errors = []
        if with_errors:
            for field in form:
                if not isinstance(field, FormField | FieldList):
                    field.errors = ["This is wrong."]
                    fields_with_errors.append(field)
        parsed = Attributes()
        parsed.feed(render_template_string(RENDER_ALL, form=form))

    assert not [attribute for attribute in parsed.attributes if attribute[2] in PYTHON_VALUES]
    # A one-line <input> takes address-line1; "street-address" (several lines) is a textarea's.
    assert ("input", "autocomplete", "street-address") not in parsed.attributes
    invalid = {value for tag, name, value in parsed.attributes if name == "aria-invalid"}
    assert invalid <= {"true"}
    for tag, name, value in parsed.attributes:
        if name == "aria-describedby":
            assert set(value.split()) <= parsed.by_id.keys(), f"<{tag}> points nowhere: {value}"
    for field in fields_with_errors:
        if field.type not in ("CSRFTokenField", "HiddenField", "SubmitField"):
            assert parsed.by_id[field.id].get("aria-invalid") == "true", field.id
            assert f"{field.id}-error" in parsed.by_id


# A keyword that may be None or False handed to a field: field(aria_invalid="true" if x else None)
MAYBE_PYTHON_VALUE = re.compile(r"\w+\s*=\s*[^,()]*\bif\b[^,()]*\belse\s+(None|none|False|false)\b")


def test_no_template_hands_a_field_a_keyword_that_may_be_none():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in TEMPLATES.rglob("*.html")
        if path.name != "_forms.html"  # control() there passes false, which WTForms leaves out
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if MAYBE_PYTHON_VALUE.search(line) and "{{" in line and "url_for(" not in line
    ]
    assert not offenders, "render fields with _forms.html's control():\n" + "\n".join(offenders)


def test_catalogue_filters_with_errors_say_invalid_and_point_at_the_message(client, make_product):
    make_product(name="Chè lam")

    page = client.get("/?price_min=abc&stars=9&sort=random").get_data(as_text=True)

    assert 'aria-invalid="None"' not in page
    for name in ("price_min", "stars", "sort"):
        tag = re.search(rf'<(input|select)[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag
        assert f'aria-describedby="{name}-error"' in tag
        assert f'id="{name}-error"' in page
    group = re.search(r'<select[^>]*name="group"[^>]*>', page).group(0)
    assert "aria-invalid" not in group
