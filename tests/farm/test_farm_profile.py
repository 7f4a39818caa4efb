"""The producer keeps their public profile: name, story, place, contact and a photo."""

import io
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from shop.extensions import db
from shop.producers.models import Producer


@pytest.fixture
def profile_data():
    def _data(**overrides) -> dict:
        data = {
            "name": "HTX Nước mắm Ba Làng",
            "story": "Ba thế hệ làm nước mắm bên cửa biển Lạch Bạng.",
            "address": "Thôn Ba Làng",
            "province": "38",  # Thanh Hóa
            "commune": "16561",  # Phường Tĩnh Gia (Hải Thanh and its neighbours until 2025)
            "district": "Nghi Sơn",
            "phone": "0912 345 678",
            "email": "HTX.BaLang@Example.vn ",
        }
        data.update(overrides)
        return data

    return _data


def _post_with_photo(farm, data, name, content):
    fields = MultiDict(data)
    fields.add("photo", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(fields)
    return farm.post(
        "/farm/profile", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def _producer(farmer) -> Producer:
    db.session.expire_all()
    return db.session.get(Producer, farmer.producer_id)


def test_the_profile_form_shows_the_farm_as_stored(farm):
    page = farm.get("/farm/profile").text
    assert 'value="HTX Nước mắm Ba Làng"' in page
    assert '<option selected value="38">Thanh Hóa</option>' in page
    assert '<option selected value="16540">Xã Quảng Ninh</option>' in page
    assert 'value="Quảng Xương"' in page  # the old district, as "formerly"
    assert 'value="0912345678"' in page


def test_saving_the_profile_keeps_the_address_of_the_page(farm, farmer, profile_data):
    slug = farmer.producer.slug
    response = farm.post(
        "/farm/profile",
        data=profile_data(name="HTX Nước mắm Ba Làng Nghi Sơn", phone="+84 912 345 678"),
    )
    assert response.status_code == 302
    producer = _producer(farmer)
    assert producer.name == "HTX Nước mắm Ba Làng Nghi Sơn"
    assert producer.slug == slug
    assert (producer.commune, producer.commune_code) == ("Phường Tĩnh Gia", 16561)
    assert (producer.province, producer.province_code) == ("Thanh Hóa", 38)
    assert producer.district == "Nghi Sơn"
    assert "tinh gia" in producer.search_text and "nghi son" in producer.search_text
    assert producer.phone == "0912345678"
    assert producer.email == "htx.balang@example.vn"
    assert producer.story.startswith("Ba thế hệ")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("phone", "12345", "Enter a Vietnamese phone number: 10 digits starting with 0, or +84…"),
        (
            "phone",
            "0212345678",
            "Enter a Vietnamese phone number: 10 digits starting with 0, or +84…",
        ),
        (
            "phone",
            "09123456789",
            "Enter a Vietnamese phone number: 10 digits starting with 0, or +84…",
        ),
        ("phone", "", "This field is required."),
        ("email", "not-an-address", "Enter an e-mail address like ten@example.vn."),
        ("province", "Sài Gòn", "Choose one of Vietnam's 34 provinces and cities."),
        ("province", "", "Choose the province or city."),
        ("commune", "", "Choose your commune or ward."),
        ("commune", "Phường Hải Thanh", "Choose a commune or ward of Thanh Hóa from the list."),
        ("commune", "00070", "Phường Hoàn Kiếm is not in Thanh Hóa."),
        ("district", "H" * 101, "Field cannot be longer than 100 characters."),
        ("name", "", "This field is required."),
        ("name", "H" * 161, "Field cannot be longer than 160 characters."),
        ("story", "chuyện " * 1000, "Field cannot be longer than 5000 characters."),
    ],
)
def test_bad_profile_input_is_explained_and_kept(farm, farmer, profile_data, field, typed, message):
    response = farm.post("/farm/profile", data=profile_data(**{field: typed}))
    assert response.status_code == 400
    assert message in response.text
    if field not in ("commune", "province"):
        assert '<option selected value="16561">Phường Tĩnh Gia</option>' in response.text
    if field != "district":
        assert 'value="Nghi Sơn"' in response.text
    assert _producer(farmer).commune == "Xã Quảng Ninh", "nothing saved"


def test_a_number_already_on_file_is_kept_even_if_not_a_mobile(
    client, login, make_user, make_producer, profile_data
):
    from shop.auth.models import Role

    producer = make_producer(phone="02373123456")
    login(make_user(role=Role.PRODUCER, producer=producer))
    response = client.post("/farm/profile", data=profile_data(phone="02373123456"))
    assert response.status_code == 302


def test_a_profile_photo_is_stored_and_can_be_removed(app, farm, farmer, profile_data, jpeg):
    response = _post_with_photo(farm, profile_data(), "farm.jpg", jpeg(exif={0x010F: "Cam"}))
    assert response.status_code == 302
    photo = _producer(farmer).photo
    stored = Path(app.config["UPLOAD_FOLDER"]) / photo
    with Image.open(stored) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert f"/media/{photo}" in farm.get("/farm/").text

    farm.post("/farm/profile", data=profile_data(remove_photo="y"))
    assert _producer(farmer).photo is None


def test_a_bad_profile_photo_is_refused_and_the_rest_kept(farm, farmer, profile_data):
    response = _post_with_photo(
        farm, profile_data(story="Câu chuyện mới"), "farm.jpg", b"%PDF-1.4 not a photo"
    )
    assert response.status_code == 400
    assert "farm.jpg: This file is not an image we can read." in response.text
    assert "Câu chuyện mới" in response.text
    assert _producer(farmer).photo is None
