"""A farmer registers a farm: an account and a producer awaiting the cooperative's approval."""

import re

import pytest
from sqlalchemy import func, select

from shop.assets import fingerprinted
from shop.auth.models import Role, User
from shop.extensions import db
from shop.producers.models import ApprovalStatus, Producer

FARM = {
    "producer_name": "HTX Chè lam Phủ Quảng",
    "phone": "0237 3851 234",
    "province": "38",  # Thanh Hóa
    "commune": "15544",  # Xã Lam Sơn (formerly Xã Thọ Xương and its neighbours)
    "story": "Chè lam làm thủ công từ gạo nếp cái hoa vàng.",
    "name": "Lê Văn Minh",
    "email": "Minh@Example.vn",
    "password": "chè lam ngon",
    "confirm": "chè lam ngon",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_form_offers_the_34_provinces_and_the_communes_of_thanh_hoa(client):
    page = client.get("/producers/signup").get_data(as_text=True)
    province = re.search(r'<select[^>]*name="province".*?</select>', page, re.S).group(0)
    assert len(re.findall(r'<option [^>]*value="\d+"', province)) == 34
    assert '<option selected value="38">Thanh Hóa</option>' in province
    assert '<optgroup label="Cities">' in province
    commune = re.search(r'<select[^>]*name="commune".*?</select>', page, re.S).group(0)
    assert len(re.findall(r'<option [^>]*value="\d+"', commune)) == 166  # not the 3,321
    assert '<option value="15544">Xã Lam Sơn</option>' in commune
    assert 'data-province="province"' in commune
    assert 'data-communes-url="/places/provinces/0/communes.json"' in commune
    assert f"/static/{fingerprinted('js/places.js')}" in page
    assert "district" not in re.findall(r'name="(\w+)"', page)  # districts no longer exist


def test_a_farmer_registers_and_waits_for_approval(client):
    response = client.post("/producers/signup", data=FARM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/farm/"

    user = db.session.scalar(select(User))
    producer = db.session.scalar(select(Producer))
    assert user.role == Role.PRODUCER
    assert user.email == "minh@example.vn"
    assert user.producer is producer
    assert user.is_producer
    assert producer.status == ApprovalStatus.PENDING
    assert producer.slug == "htx-che-lam-phu-quang"
    assert producer.phone == "02373851234"
    assert producer.location == "Xã Lam Sơn, Thanh Hóa"
    assert (producer.commune_code, producer.province_code) == (15544, 38)
    assert producer.district is None
    assert producer.story.startswith("Chè lam")
    assert producer.email == "minh@example.vn"
    with client.session_transaction() as session:
        assert session["_user_id"] == str(user.id)
        flashes = [message for _, message in session["_flashes"]]
    assert any("awaiting approval" in message for message in flashes)


@pytest.mark.both_databases
def test_a_second_farm_with_the_same_name_gets_its_own_address(client, make_producer):
    make_producer(name="HTX Chè lam Phủ Quảng", slug="htx-che-lam-phu-quang")
    make_producer(name="HTX Chè lam Phủ Quảng", slug="htx-che-lam-phu-quang-2")
    client.post("/producers/signup", data=FARM)
    newest = db.session.scalar(select(Producer).order_by(Producer.id.desc()))
    assert newest.slug == "htx-che-lam-phu-quang-3"


def test_a_farm_called_signup_does_not_hide_the_signup_page(client):
    client.post("/producers/signup", data={**FARM, "producer_name": "Signup"})
    producer = db.session.scalar(select(Producer))
    assert producer.slug == "signup-2"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "091234"}, "phone", "Enter a Vietnamese phone number"),
        ({"phone": ""}, "phone", "Enter a phone number"),
        ({"province": "Atlantis"}, "province", "Choose one of Vietnam's 34 provinces"),
        ({"province": ""}, "province", "Choose the province or city."),
        ({"producer_name": ""}, "producer_name", "Enter the name customers will see."),
        ({"commune": ""}, "commune", "Choose your commune or ward."),
        ({"commune": "99999"}, "commune", "Choose a commune or ward of Thanh Hóa from the list."),
        ({"commune": "1²"}, "commune", "Choose a commune or ward of Thanh Hóa from the list."),
        ({"commune": "x\x00"}, "commune", "Choose a commune or ward of Thanh Hóa from the list."),
        ({"password": "1234567", "confirm": "1234567"}, "password", "Use at least 8 characters."),
        ({"confirm": "chè lam dở"}, "confirm", "The two passwords are not the same."),
    ],
)
def test_mistakes_are_explained_and_nothing_typed_is_lost(client, changes, field, message):
    response = client.post("/producers/signup", data={**FARM, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="HTX Chè lam Phủ Quảng"' in page or field == "producer_name"
    assert '<option selected value="15544">' in page or field in ("commune", "province")
    assert 'value="Minh@Example.vn"' in page
    assert "Chè lam làm thủ công" in page
    if field != "province":
        assert '<option selected value="38">' in page
    assert count(User) == 0
    assert count(Producer) == 0


def test_a_province_changed_without_javascript_shows_its_own_communes(client):
    """No script ran: the commune posted is Thanh Hóa's, the province now Nghệ An (40)."""
    response = client.post("/producers/signup", data={**FARM, "province": "40"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Xã Lam Sơn is not in Nghệ An." in page
    commune = re.search(r'<select[^>]*name="commune".*?</select>', page, re.S).group(0)
    assert "Xã Lam Sơn" not in commune
    assert '<option selected value="40">Nghệ An</option>' in page
    assert count(Producer) == 0


def test_names_are_accepted_where_codes_are_expected(client):
    """A form filled by an older page or a script: names, without diacritics too."""
    client.post("/producers/signup", data={**FARM, "province": "thanh hoa", "commune": "lam son"})
    producer = db.session.scalar(select(Producer))
    assert (producer.commune, producer.province) == ("Xã Lam Sơn", "Thanh Hóa")


@pytest.mark.both_databases
def test_an_email_with_an_account_is_a_form_error(client, make_user):
    make_user(email="minh@example.vn")
    response = client.post("/producers/signup", data=FARM)
    assert response.status_code == 400
    assert "An account with this e-mail already exists." in response.get_data(as_text=True)
    assert count(Producer) == 0
    assert count(User) == 1


def test_someone_logged_in_is_not_asked_to_register_again(client, login, make_user):
    login(make_user())
    response = client.get("/producers/signup")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
