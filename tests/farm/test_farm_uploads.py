"""Product photos: real images are stored clean; anything else is a clear form error."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from shop.catalogue.models import Product, ProductPhoto
from shop.extensions import db

CAMERA_EXIF = {0x010F: "Secret Camera Co", 0x0110: "Model X", 0x0131: "PhotoTool 9"}


def _post(farm, data, files, url="/farm/products/new"):
    """A multipart POST encoded in memory (the test client would spool big bodies to a
    temporary file it never closes)."""
    fields = MultiDict(data)
    for name, content in files:
        fields.add("photos", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(fields)
    return farm.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _stored(app, filename: str) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / filename


def _only_product() -> Product:
    db.session.expire_all()
    return db.session.scalars(select(Product)).one()


def test_a_jpeg_is_stored_re_encoded_without_exif(app, farm, product_data, jpeg):
    original = jpeg(exif=CAMERA_EXIF)
    assert b"Secret Camera Co" in original

    response = _post(farm, product_data(), [("IMG_2041.JPG", original)])
    assert response.status_code == 302

    (photo,) = _only_product().photos
    stored = _stored(app, photo.filename).read_bytes()
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.filename)
    assert stored != original
    assert b"Secret Camera Co" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (320, 240)
        assert dict(image.getexif()) == {}


def test_png_photos_become_jpegs_in_the_order_given(app, farm, product_data, png, jpeg):
    response = _post(farm, product_data(), [("front.png", png()), ("back.jpg", jpeg(100, 80))])
    assert response.status_code == 302
    photos = _only_product().photos
    assert [p.position for p in photos] == [0, 1]
    with Image.open(_stored(app, photos[0].filename)) as first:
        assert (first.format, first.size) == ("JPEG", (200, 150))
    with Image.open(_stored(app, photos[1].filename)) as second:
        assert second.size == (100, 80)


def test_a_big_photo_is_shrunk_for_the_web(app, farm, product_data, jpeg):
    _post(farm, product_data(), [("wide.jpg", jpeg(3200, 1000))])
    with Image.open(_stored(app, _only_product().photos[0].filename)) as image:
        assert image.size == (1600, 500)


def test_a_text_file_named_jpg_is_refused_and_the_form_kept(farm, product_data):
    response = _post(farm, product_data(), [("anh.jpg", b"this is not a photo at all\n" * 20)])
    assert response.status_code == 400
    assert "anh.jpg: This file is not an image we can read." in response.text
    assert 'value="Nước mắm Ba Làng 40 độ đạm"' in response.text
    assert 'value="120.000"' in response.text
    assert 'value="8931234567897"' in response.text
    assert db.session.scalar(select(db.func.count(Product.id))) == 0


def test_a_truncated_jpeg_is_refused(farm, product_data, jpeg):
    whole = jpeg(400, 300)
    response = _post(farm, product_data(), [("cut.jpg", whole[: len(whole) // 2])])
    assert response.status_code == 400
    assert "cut.jpg: This file is not an image we can read." in response.text


def test_a_truncated_png_is_refused(farm, product_data, png):
    whole = png(400, 300)
    response = _post(farm, product_data(), [("cut.png", whole[: len(whole) // 2])])
    assert response.status_code == 400
    assert "cut.png: This file is not an image we can read." in response.text


@pytest.mark.parametrize("side", [7_000, 20_000], ids=["over-shop-limit", "pillow-bomb"])
def test_a_decompression_bomb_is_refused(farm, product_data, png, side):
    bomb = png(side, side, mode="1")
    assert len(bomb) < 8 * 1024 * 1024, "small on disk, huge in memory"
    response = _post(farm, product_data(), [("bomb.png", bomb)])
    assert response.status_code == 400
    assert "bomb.png: The photo has too many pixels." in response.text


def test_a_photo_over_8_mb_is_refused_with_the_limit(farm, product_data):
    response = _post(farm, product_data(), [("raw.jpg", b"\xff\xd8" + b"0" * (9 * 1024 * 1024))])
    assert response.status_code == 400
    assert "raw.jpg: The photo is larger than 8 MB." in response.text


def test_an_empty_file_is_refused(farm, product_data):
    response = _post(farm, product_data(), [("empty.jpg", b"")])
    # a browser sends an empty part when nothing is chosen: no name, no content → ignored;
    # with a name, the empty file is an error.
    assert response.status_code == 400
    assert "empty.jpg: The file is empty." in response.text


def test_an_upload_of_50_mb_gets_the_friendly_413_page(farm, product_data):
    response = _post(farm, product_data(), [("film.jpg", b"0" * (50 * 1024 * 1024))])
    assert response.status_code == 413
    assert "The file you sent is too large." in response.text
    assert db.session.scalar(select(db.func.count(Product.id))) == 0


def test_at_most_six_photos(farm, product_data, jpeg):
    files = [(f"{n}.jpg", jpeg(40 + n, 40)) for n in range(7)]
    response = _post(farm, product_data(), files)
    assert response.status_code == 400
    assert "A product can have at most 6 photos." in response.text


def test_accepted_photos_survive_a_form_error(app, farm, product_data, jpeg):
    """A farmer on a slow connection never uploads the same photo twice."""
    response = _post(farm, product_data(price_vnd="-1"), [("good.jpg", jpeg())])
    assert response.status_code == 400
    assert "Already uploaded, saved with the product:" in response.text
    kept = re.search(r'name="kept_photos" type="hidden" value="([^"]+)"', response.text).group(1)

    response = farm.post("/farm/products/new", data=product_data(kept_photos=kept))
    assert response.status_code == 302
    (photo,) = _only_product().photos
    assert _stored(app, photo.filename).exists()


def test_a_forged_list_of_kept_photos_is_ignored(farm, product_data):
    forged = "WyIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZi5qcGciXQ"
    response = farm.post("/farm/products/new", data=product_data(kept_photos=forged))
    assert response.status_code == 302
    assert _only_product().photos == []


def test_photos_are_removed_and_added_on_edit(app, farm, farmer, make_product, product_data, jpeg):
    product = make_product(producer=farmer.producer, gtin="08931234567897")
    for n in range(3):
        product.photos.append(ProductPhoto(filename=f"{n:032x}.jpg", position=n))
    db.session.commit()
    first, second, third = (p.id for p in product.photos)

    data = product_data(remove_photos=[str(first), str(third)])
    response = _post(farm, data, [("new.jpg", jpeg())], url=f"/farm/products/{product.id}/edit")
    assert response.status_code == 302

    photos = _only_product().photos
    assert photos[0].id == second
    assert [p.position for p in photos] == [0, 1]
    assert _stored(app, photos[1].filename).exists()
    assert db.session.get(ProductPhoto, first) is None


def test_editing_without_new_photos_keeps_the_photos(farm, farmer, make_product, product_data):
    product = make_product(producer=farmer.producer, gtin="08931234567897")
    product.photos.append(ProductPhoto(filename="a" * 32 + ".jpg"))
    db.session.commit()
    page = farm.get(f"/farm/products/{product.id}/edit").text
    assert f"/media/{'a' * 32}.jpg" in page
    response = farm.post(f"/farm/products/{product.id}/edit", data=product_data(stock="4"))
    assert response.status_code == 302
    assert [p.filename for p in _only_product().photos] == ["a" * 32 + ".jpg"]


def test_a_seventh_photo_on_edit_is_refused(farm, farmer, make_product, product_data, jpeg):
    product = make_product(producer=farmer.producer, gtin="08931234567897")
    for n in range(6):
        product.photos.append(ProductPhoto(filename=f"{n:032x}.jpg", position=n))
    db.session.commit()
    url = f"/farm/products/{product.id}/edit"
    response = _post(farm, product_data(), [("7.jpg", jpeg())], url=url)
    assert response.status_code == 400
    assert "A product can have at most 6 photos." in response.text

    one_removed = product_data(remove_photos=str(product.photos[0].id))
    assert _post(farm, one_removed, [("7.jpg", jpeg())], url=url).status_code == 302


def test_another_products_photo_cannot_be_removed_through_mine(
    farm, farmer, make_product, product_data
):
    mine = make_product(producer=farmer.producer, gtin="08931234567897")
    theirs = make_product()
    theirs.photos.append(ProductPhoto(filename="f" * 32 + ".jpg"))
    db.session.commit()
    response = farm.post(
        f"/farm/products/{mine.id}/edit",
        data=product_data(remove_photos=str(theirs.photos[0].id)),
    )
    assert response.status_code == 400
    assert db.session.get(ProductPhoto, theirs.photos[0].id) is not None
