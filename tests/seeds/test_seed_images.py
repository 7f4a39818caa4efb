"""Placeholder photos: real JPEGs, the same bytes every time, no crash without fonts."""

import io

import pytest
from PIL import Image

from seeds import images
from tests.conftest import skip_or_fail


@pytest.fixture
def fresh_fonts():
    """Forget the fonts found so far, before and after the test."""
    images._font_path.cache_clear()
    images._font.cache_clear()
    yield
    images._font_path.cache_clear()
    images._font.cache_clear()


def test_a_product_photo_is_the_same_jpeg_every_time():
    first = images.product_photo.__wrapped__("Chè lam Phủ Quảng hộp 500 g", "food", "box", 0)
    second = images.product_photo.__wrapped__("Chè lam Phủ Quảng hộp 500 g", "food", "box", 0)

    assert first == second
    with Image.open(io.BytesIO(first)) as image:
        assert image.format == "JPEG" and image.size == (800, 800)


def test_variants_of_one_product_are_different_pictures():
    photos = {
        images.product_photo("Mật ong hoa nhãn Như Xuân 500 g", "food", "jar", v) for v in range(3)
    }
    assert len(photos) == 3


@pytest.mark.parametrize("motif", sorted(images.MOTIFS))
def test_every_motif_draws(motif):
    data = images.product_photo.__wrapped__("Thử", "handicraft", motif, 0)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (800, 800)


@pytest.mark.parametrize("scene", sorted(images.SCENES))
def test_every_producer_landscape_draws(scene):
    data = images.producer_photo.__wrapped__("HTX Thử", "Nga Sơn", scene)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (800, 800)


def test_without_a_vietnamese_font_the_name_is_drawn_without_diacritics(monkeypatch, fresh_fonts):
    monkeypatch.setattr(images, "FONT_CANDIDATES", ())

    assert images._printable("Nước mắm Đồng") == "Nuoc mam Dong"
    data = images.producer_photo.__wrapped__("HTX Nước mắm Ba Làng", "Nghi Sơn", "sea")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (800, 800)


def test_an_installed_font_is_used_only_if_it_has_vietnamese_letters(fresh_fonts):
    path = images._font_path()
    if path is None:
        skip_or_fail("no font with Vietnamese letters (make test installs fonts-dejavu-core)")
    assert images._has_vietnamese(images._font(40))
    assert images._printable("Nước mắm") == "Nước mắm"
