"""A logged-in farmer, a valid product form, and real image files made with Pillow."""

import io
import random

import pytest
from PIL import Image

from shop.auth.models import Role


@pytest.fixture(autouse=True)
def english(client):
    """Pages are read in English, the source language, whatever the translations say."""
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def farmer(make_producer, make_user):
    """A producer's account; its farm is approved unless a test says otherwise."""
    return make_user(role=Role.PRODUCER, producer=make_producer(name="HTX Nước mắm Ba Làng"))


@pytest.fixture
def farm(client, login, farmer):
    """The test client, logged in as the farmer."""
    login(farmer)
    return client


@pytest.fixture
def product_data():
    """What a farmer types for a new product; overrides change single fields."""

    def _data(**overrides) -> dict:
        data = {
            "name": "Nước mắm Ba Làng 40 độ đạm",
            "ocop_group": "food",
            "description": "Cá cơm ủ chượp 12 tháng trong thùng gỗ.",
            "gtin": "8931234567897",
            "unit": "chai",
            "net_quantity": "500",
            "net_quantity_unit": "ml",
            "price_vnd": "120.000",
            "stock": "25",
            "shelf_life_days": "720",
            "is_active": "y",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return _data


def _noise(width: int, height: int) -> Image.Image:
    rng = random.Random(width * height)
    return Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))


@pytest.fixture
def jpeg():
    """jpeg(exif={tag: value}) → bytes of a real JPEG photo."""

    def _jpeg(width: int = 320, height: int = 240, exif: dict | None = None) -> bytes:
        out = io.BytesIO()
        image = _noise(width, height)
        if exif:
            tags = Image.Exif()
            tags.update(exif)
            image.save(out, "JPEG", exif=tags)
        else:
            image.save(out, "JPEG")
        return out.getvalue()

    return _jpeg


@pytest.fixture
def png():
    def _png(width: int = 200, height: int = 150, mode: str = "RGB") -> bytes:
        out = io.BytesIO()
        image = _noise(width, height) if mode == "RGB" else Image.new(mode, (width, height))
        image.save(out, "PNG")
        return out.getvalue()

    return _png
