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
            "commune": "Phường Hải Thanh",
            "district": "Nghi Sơn",
            "province": "Thanh Hóa",
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
    assert '<option selected value="Quảng Xương">' in page
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
    assert (producer.commune, producer.district) == ("Phường Hải Thanh", "Nghi Sơn")
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
        ("district", "Quận 1", "Not a valid choice."),
        ("district", "", "Choose your district."),
        ("name", "", "This field is required."),
        ("name", "H" * 161, "Field cannot be longer than 160 characters."),
        ("story", "chuyện " * 1000, "Field cannot be longer than 5000 characters."),
    ],
)
def test_bad_profile_input_is_explained_and_kept(farm, farmer, profile_data, field, typed, message):
    response = farm.post("/farm/profile", data=profile_data(**{field: typed}))
    assert response.status_code == 400
    assert message in response.text
    if field != "commune":
        assert 'value="Phường Hải Thanh"' in response.text
    assert _producer(farmer).commune == "Xã Quảng Hải", "nothing saved"


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
