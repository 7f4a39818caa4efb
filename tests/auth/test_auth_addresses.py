"""E-mail addresses: the demo accounts' @ocop.local is accepted on purpose, garbage is not."""

import re

import pytest
from email_validator import EmailNotValidError
from sqlalchemy import select

from shop.auth.addresses import check_email
from shop.auth.models import User
from shop.catalogue.models import Product
from shop.checkout.models import Order
from shop.extensions import db
from tests.checkout.conftest import CHECKOUT_FORM


@pytest.mark.parametrize(
    "address",
    ["khach@ocop.local", "Khach.Hang+don1@ocop.local", "lan@htx.thanhhoa.local", "hoa@example.vn"],
)
def test_well_formed_addresses_are_accepted(app, address):
    assert check_email(address).lower() == address.lower()


@pytest.mark.parametrize(
    "address",
    [
        "khach",
        "khach@",
        "@ocop.local",
        "khach@@ocop.local",
        "kh ach@ocop.local",
        "khach@ocop..local",
        "khach@.local",
        "khach@local",  # a bare TLD
        "khach@ocop.local.",
        "khach@-ocop.local",
        "khach@localhost",
        "khach@ocop.invalid",
        "khach@ocop.onion",
        "khach@ocop.test",
        "khach@ocop.local.invalid",
        "khach.@ocop.local",
        "hoa@example.vn>",
    ],
)
def test_malformed_or_other_special_use_addresses_are_refused(app, address):
    with pytest.raises(EmailNotValidError):
        check_email(address)


def test_a_shop_may_refuse_local_addresses(app):
    app.config["EMAIL_SPECIAL_USE_TLDS"] = ()
    with pytest.raises(EmailNotValidError):
        check_email("khach@ocop.local")


def test_the_demo_consumer_checks_out_with_their_own_e_mail(client, runner, login):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    consumer = db.session.scalar(select(User).where(User.email == "khach@ocop.local"))
    login(consumer)
    product_id = db.session.scalar(select(Product.id).where(Product.stock > 0).limit(1))
    assert client.post("/cart/add", data={"product_id": product_id}).status_code == 303
    page = client.get("/checkout").text
    assert 'value="khach@ocop.local"' in page
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    form = {**CHECKOUT_FORM, "email": "khach@ocop.local", "idempotency_key": key}
    response = client.post("/checkout", data=form)
    assert response.status_code == 303, response.text
    assert db.session.scalar(select(Order.email)) == "khach@ocop.local"


@pytest.mark.parametrize(("email", "status"), [("moi@ocop.local", 302), ("moi@ocop", 400)])
def test_sign_up_with_a_local_address(client, email, status):
    data = {
        "name": "Người mới",
        "email": email,
        "password": "mat-khau-dai-42",
        "confirm": "mat-khau-dai-42",
    }
    assert client.post("/auth/signup", data=data).status_code == status
