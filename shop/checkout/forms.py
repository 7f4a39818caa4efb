"""Cart and checkout forms, and the JSON order request of the API: validation and messages."""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from shop.auth.phone import normalise_phone
from shop.catalogue.models import Product
from shop.checkout.cart import MAX_QUANTITY
from shop.checkout.models import PaymentMethod
from shop.checkout.orders import Customer
from shop.checkout.payment import card_payments_offered
from shop.extensions import db
from shop.farm.fields import PhoneField
from shop.places.fields import CommuneField, ProvinceField

MAX_ID = 2**31 - 1
TOO_LONG = _l("Use at most %(max)d characters.")
MAX_ITEMS = 50
MOBILE = re.compile(r"0[35789]\d{8}")
MOBILE_MESSAGE = _l(
    "Enter a Vietnamese mobile number for the courier: 10 digits starting with 03, 05, 07, 08 "
    "or 09, or +84…"
)
KEY_PATTERN = re.compile(r"[A-Za-z0-9_\-:.]{8,64}")


def quantity_message(low: int):
    return _l("Enter a quantity from %(low)s to %(high)s.", low=low, high=MAX_QUANTITY)


def clean(value):
    """A WTForms filter: trimmed, without NUL characters (no database stores them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class QuantityField(StringField):
    """A whole number of items typed as digits; anything else is a clear error."""

    def __init__(self, label=None, validators=None, minimum=1, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum = minimum

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # not sent at all: the default (adding without a quantity adds one)
        typed = valuelist[0].strip()
        self.data = int(typed) if typed.isascii() and typed.isdigit() else (typed or None)

    def pre_validate(self, form) -> None:
        if not isinstance(self.data, int) or not self.minimum <= self.data <= MAX_QUANTITY:
            raise ValidationError(quantity_message(self.minimum))


class ProductIdField(HiddenField):
    """A product id posted by a cart form; None when it cannot be one."""

    def process_formdata(self, valuelist):
        typed = valuelist[0].strip() if valuelist else ""
        number = int(typed) if typed.isascii() and typed.isdigit() else 0
        self.data = number if 0 < number <= MAX_ID else None

    def pre_validate(self, form) -> None:
        if self.data is None:
            raise ValidationError(_l("This product is not on sale."))


class CartAddForm(FlaskForm):
    product_id = ProductIdField()
    quantity = QuantityField(_l("Quantity"), default=1)


class CartUpdateForm(FlaskForm):
    """One line: a typed quantity (0 removes it), or the − / + buttons (step −1 or 1)."""

    product_id = ProductIdField()
    quantity = QuantityField(_l("Quantity"), minimum=0)
    step = HiddenField(validators=[Optional(), Regexp(r"^(-1|1)$")])

    @property
    def new_quantity(self) -> int:
        step = int(self.step.data) if self.step.data else 0
        return max(self.quantity.data + step, 0)


class CartRemoveForm(FlaskForm):
    product_id = ProductIdField()


class MobilePhoneField(PhoneField):
    """A Vietnamese mobile number (the courier calls or texts it), stored as 0xxxxxxxxx."""

    def pre_validate(self, form) -> None:
        typed = (self.data or "").strip()
        if not typed:
            return  # the required check speaks
        number = normalise_phone(typed)
        if number is None or not MOBILE.fullmatch(number):
            raise ValidationError(MOBILE_MESSAGE)
        self.data = number


class CustomerForm(FlaskForm):
    """Who receives the order and where."""

    name = StringField(
        _l("Full name"),
        [
            DataRequired(_l("Enter the name of the person who receives the parcel.")),
            Length(max=120, message=TOO_LONG),
        ],
        filters=[clean],
        render_kw={"autocomplete": "name"},
    )
    phone = MobilePhoneField(_l("Mobile phone"), [DataRequired(MOBILE_MESSAGE)])
    email = EmailField(
        _l("E-mail"),
        [
            DataRequired(_l("Enter your e-mail address: we send the order link there.")),
            Email(_l("Enter an e-mail address like ten@example.vn.")),
            Length(max=254, message=TOO_LONG),
        ],
        filters=[clean],
        render_kw={"autocomplete": "email"},
    )
    address = StringField(
        _l("Address"),
        [
            DataRequired(_l("Enter the house number, street, and ward or commune.")),
            Length(max=300, message=TOO_LONG),
        ],
        filters=[clean],
        render_kw={"autocomplete": "address-line1"},  # "street-address" is for a textarea
    )
    # Addresses since 1 July 2025: a commune/ward and one of the 34 provinces (no district).
    province = ProvinceField(
        _l("Province or city"), [DataRequired(_l("Choose the province or city."))]
    )
    commune = CommuneField(_l("Commune or ward (optional)"))
    note = TextAreaField(
        _l("Delivery note"),
        [Optional(), Length(max=500, message=TOO_LONG)],
        filters=[clean],
        render_kw={"rows": 3},
    )

    def customer(self) -> Customer:
        return Customer(
            name=self.name.data,
            phone=self.phone.data,
            email=self.email.data,
            address=self.address.data,
            province=self.province.place.name,
            commune=str(self.commune.place.code) if self.commune.place else "",
            note=self.note.data or "",
        )


def payment_choices() -> list[SelectChoice]:
    choices = [SelectChoice(PaymentMethod.VIETQR.value, _l("Bank transfer with VietQR"))]
    if card_payments_offered():
        choices.append(SelectChoice(PaymentMethod.STRIPE.value, _l("Card (Visa, Mastercard)")))
    return choices


def offered_payment(form, field) -> None:
    if field.data not in {choice.value for choice in payment_choices()}:
        raise ValidationError(_l("Choose how you will pay."))


class CheckoutForm(CustomerForm):
    payment_method = RadioField(
        _l("Payment"),
        [offered_payment],
        choices=payment_choices,
        default=PaymentMethod.VIETQR.value,
        validate_choice=False,
    )
    # New on every render: a double click sends the same key twice, and makes one order.
    idempotency_key = HiddenField(
        default=lambda: secrets.token_urlsafe(24),
        validators=[Regexp(KEY_PATTERN.pattern, message=_l("Please reload the page."))],
    )

    def prefill(self, user, last_order) -> None:
        """What the shop already knows about a customer: their account, their last delivery."""
        if self.is_submitted() or not getattr(user, "is_authenticated", False):
            return
        self.name.data = user.name
        self.email.data = user.email
        self.phone.data = user.phone or (last_order.phone if last_order else None)
        if last_order is not None:
            self.name.data = last_order.customer_name
            self.address.data = last_order.address
            self.province.process_data(last_order.province_code or last_order.province)
            self.commune.process_data(last_order.commune_code)


class OrderTokenForm(FlaskForm):
    """Cancel or pay from the order page: the token proves it is the customer's order."""

    token = HiddenField(validators=[Optional(), Length(max=100, message=TOO_LONG)])


class ApiCustomerForm(CustomerForm):
    class Meta:
        csrf = False


@dataclass
class OrderRequest:
    """A valid POST /api/v1/orders body."""

    items: list[tuple[int, int]]
    customer: Customer
    payment_method: PaymentMethod


def _is_whole(value: Any) -> bool:
    return type(value) is int  # not bool, not 1.0, not "1"


def _read_items(raw: Any, errors: dict[str, list[str]]) -> list[tuple[int, int]]:
    if not isinstance(raw, list) or not raw:
        errors["items"] = [str(_l("List at least one item: product_id and quantity."))]
        return []
    if len(raw) > MAX_ITEMS:
        errors["items"] = [str(_l("At most %(n)s items in one order.", n=MAX_ITEMS))]
        return []
    items = []
    for index, item in enumerate(raw):
        where = f"items[{index}]"
        if not isinstance(item, dict):
            errors[where] = [str(_l("Each item is an object with product_id and quantity."))]
            continue
        product_id, quantity = item.get("product_id"), item.get("quantity")
        if not _is_whole(product_id) or not 0 < product_id <= MAX_ID:
            errors[f"{where}.product_id"] = [str(_l("Give the product's id, a whole number."))]
        if not _is_whole(quantity) or not 1 <= quantity <= MAX_QUANTITY:
            errors[f"{where}.quantity"] = [str(quantity_message(1))]
        if f"{where}.product_id" not in errors and f"{where}.quantity" not in errors:
            items.append((product_id, quantity))
    _check_listed(items, errors)
    return items


def _check_listed(items: list[tuple[int, int]], errors: dict[str, list[str]]) -> None:
    """Unknown, unapproved or hidden products are invalid input (stock is checked later)."""
    ids = {product_id for product_id, _ in items}
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
    for index, (product_id, _quantity) in enumerate(items):
        product = products.get(product_id)
        if product is None or not product.is_listed:
            errors[f"items[{index}].product_id"] = [
                str(_l("No product on sale has the id %(id)s.", id=product_id))
            ]


def _read_customer(raw: Any, errors: dict[str, list[str]]) -> Customer | None:
    if not isinstance(raw, dict):
        errors["customer"] = [
            str(_l("Give the customer: name, phone, email, address and province."))
        ]
        return None
    typed = {}
    for name in ("name", "phone", "email", "address", "province", "commune", "note"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            errors[f"customer.{name}"] = [str(_l("This must be text."))]
        elif value is not None:
            typed[name] = value
    form = ApiCustomerForm(formdata=MultiDict(typed))
    if form.validate():
        return None if any(k.startswith("customer.") for k in errors) else form.customer()
    for name, messages in form.errors.items():
        errors.setdefault(f"customer.{name}", [str(m) for m in messages])
    return None


def read_order_request(body: Any) -> tuple[OrderRequest | None, dict[str, list[str]]]:
    """The order a JSON body asks for, or None and the messages per field
    ("items[0].quantity", "customer.phone", "payment_method" …)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(body, dict):
        return None, {
            "body": [str(_l("Send a JSON object with items, customer and payment_method."))]
        }
    items = _read_items(body.get("items"), errors)
    customer = _read_customer(body.get("customer"), errors)
    method = body.get("payment_method")
    offered = {choice.value for choice in payment_choices()}
    if method not in offered:
        errors["payment_method"] = [
            str(_l("Choose one of: %(methods)s.", methods=", ".join(sorted(offered))))
        ]
    if errors or customer is None:
        return None, errors
    return OrderRequest(items, customer, PaymentMethod(method)), errors


def read_idempotency_key(value: str | None) -> tuple[str | None, bool]:
    """The Idempotency-Key header: (key or None, whether it is acceptable)."""
    if value is None:
        return None, True
    return value, bool(KEY_PATTERN.fullmatch(value))
