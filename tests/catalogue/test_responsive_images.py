"""Product photos reach a phone as WebP/AVIF of the width it shows, listed in srcset."""

import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from shop.catalogue.images import save_upload
from shop.catalogue.models import ProductPhoto
from shop.catalogue.responsive import FORMATS, WIDTHS, make_variants, widths_for
from shop.extensions import db

EXTENSIONS = [ext for ext, *_ in FORMATS]


def photo_bytes(width: int = 1000, height: int = 750) -> bytes:
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def upload(app, width=1000, height=750) -> str:
    with app.test_request_context():
        return save_upload(io.BytesIO(photo_bytes(width, height)))


def test_webp_is_always_made_and_avif_where_pillow_can():
    assert "webp" in EXTENSIONS
    assert EXTENSIONS[0] == "avif" or "avif" not in EXTENSIONS  # the better format first


@pytest.mark.parametrize(
    ("source", "widths"),
    [(1600, [160, 320, 640, 960, 1280]), (1000, [160, 320, 640, 960, 1000]), (120, [120])],
)
def test_variant_widths_never_exceed_the_photo(source, widths):
    assert widths_for(source) == widths
    assert max(widths) <= WIDTHS[-1]


def test_an_upload_gets_every_width_in_every_format(app):
    name = upload(app)

    folder = Path(app.config["UPLOAD_FOLDER"])
    stem = name.removesuffix(".jpg")
    for width in widths_for(1000):
        for ext in EXTENSIONS:
            with Image.open(folder / f"{stem}-{width}.{ext}") as variant:
                assert variant.format == ext.upper()
                assert variant.size == (width, round(width * 0.75))
    assert (folder / f"{stem}-640.webp").stat().st_size < (folder / name).stat().st_size


def test_the_product_page_lists_the_variants_in_srcset(app, client, make_product):
    product = make_product(name="Chè lam")
    product.photos.append(ProductPhoto(filename=upload(app), position=0))
    product.photos.append(ProductPhoto(filename=upload(app, 800, 600), position=1))
    db.session.commit()

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)

    first = re.search(r'<figure class="gallery-slide" id="photo-1">(.*?)</figure>', page, re.S)[1]
    stem = product.photos[0].filename.removesuffix(".jpg")
    for ext in EXTENSIONS:
        source = re.search(rf'<source type="image/{ext}" srcset="([^"]+)" sizes="([^"]+)">', first)
        assert source[1].split(", ") == [
            f"/media/{stem}-{width}.{ext} {width}w" for width in widths_for(1000)
        ]
        assert "calc(100vw - 32px)" in source[2]
    image = re.search(r"<img [^>]*>", first)[0]
    assert 'fetchpriority="high"' in image and "lazy" not in image  # the largest paint
    second = re.search(r'<figure class="gallery-slide" id="photo-2">(.*?)</figure>', page, re.S)[1]
    assert 'loading="lazy"' in second


def test_a_missing_variant_is_made_on_its_first_request(app, client):
    name = upload(app, 400, 300)
    stem = name.removesuffix(".jpg")
    variant = Path(app.config["UPLOAD_FOLDER"]) / f"{stem}-320.webp"
    variant.unlink()

    with client.get(f"/media/{stem}-320.webp") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/webp"
        assert "immutable" in response.headers["Cache-Control"]
    assert variant.exists()


def test_concurrent_first_requests_all_get_their_variant(app):
    """A threaded server asks for a photo's AVIF and WebP at the same moment."""
    stem = upload(app, 400, 300).removesuffix(".jpg")
    folder = Path(app.config["UPLOAD_FOLDER"])
    names = [f"{stem}-{width}.{ext}" for width in widths_for(400) for ext in EXTENSIONS]
    for name in names:
        (folder / name).unlink()

    def fetch(name):
        with app.test_client().get(f"/media/{name}") as response:
            return response.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(fetch, names * 3))

    assert statuses == [200] * len(names) * 3
    assert not list(folder.glob("*.tmp"))
    for name in names:  # each file holds its own format, not a neighbour's bytes
        with Image.open(folder / name) as variant:
            assert variant.format == name.rpartition(".")[2].upper()


@pytest.mark.parametrize("suffix", ["-640.webp", "-333.webp", "-320.png", "-320.webp.tmp"])
def test_a_variant_that_cannot_exist_is_404(app, client, suffix):
    stem = upload(app, 400, 300).removesuffix(".jpg")  # 400 px wide: no 640 variant

    assert client.get(f"/media/{stem}{suffix}").status_code == 404
    assert not (Path(app.config["UPLOAD_FOLDER"]) / f"{stem}{suffix}").exists()


def test_a_variant_of_a_photo_that_does_not_exist_is_404(client):
    assert client.get(f"/media/{'a' * 32}-320.webp").status_code == 404


def test_the_cli_makes_what_is_missing_and_only_that(app, runner):
    name = upload(app, 400, 300)
    stem = name.removesuffix(".jpg")
    for ext in EXTENSIONS:
        (Path(app.config["UPLOAD_FOLDER"]) / f"{stem}-160.{ext}").unlink()

    first = runner.invoke(args=["make-image-variants"])
    second = runner.invoke(args=["make-image-variants"])

    assert f"{len(EXTENSIONS)} photo variants written" in first.output
    assert "0 photo variants written" in second.output
    with app.app_context():
        assert make_variants(name) == 0
