"""A farmer registers a farm: an account and a producer awaiting the cooperative's approval."""

import re

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role, User
from shop.extensions import db
from shop.producers.models import ApprovalStatus, Producer
from shop.producers.places import DISTRICTS

FARM = {
    "producer_name": "HTX Chè lam Phủ Quảng",
    "phone": "0237 3851 234",
    "commune": "Xã Thọ Xương",
    "district": "Thọ Xuân",
    "province": "Thanh Hóa",
    "story": "Chè lam làm thủ công từ gạo nếp cái hoa vàng.",
    "name": "Lê Văn Minh",
    "email": "Minh@Example.vn",
    "password": "chè lam ngon",
    "confirm": "chè lam ngon",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_form_offers_the_districts_of_thanh_hoa_and_the_province(client):
    page = client.get("/producers/signup").get_data(as_text=True)
    assert len(DISTRICTS) == 27
    for district in ("Thành phố Thanh Hóa", "Sầm Sơn", "Mường Lát", "Quảng Xương"):
        assert f'<option value="{district}">' in page
    province_input = re.search(r'<input[^>]*name="province"[^>]*>', page).group(0)
    assert 'value="Thanh Hóa"' in province_input


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
    assert producer.location == "Xã Thọ Xương, Thọ Xuân, Thanh Hóa"
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
        ({"district": "Hà Nội"}, "district", "Not a valid choice"),
        ({"district": ""}, "district", "Choose your district."),
        ({"producer_name": ""}, "producer_name", "Enter the name customers will see."),
        ({"commune": ""}, "commune", "Enter your commune or ward."),
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
    assert 'value="Xã Thọ Xương"' in page or field == "commune"
    assert 'value="Minh@Example.vn"' in page
    assert "Chè lam làm thủ công" in page
    if "district" not in changes:
        assert '<option selected value="Thọ Xuân">' in page
    assert count(User) == 0
    assert count(Producer) == 0


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
