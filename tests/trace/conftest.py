"""A logged-in farmer with a product, a growing area and a packing house; a neighbour's too."""

import io
import random
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from shop.auth.models import Role
from shop.extensions import db


@pytest.fixture
def farmer(make_producer, make_user):
    return make_user(
        role=Role.PRODUCER, producer=make_producer(name="HTX Bưởi Luận Văn"), name="Lê Văn Bình"
    )


@pytest.fixture
def farm(client, login, farmer):
    """The test client (English), logged in as the farmer."""
    login(farmer)
    return client


@pytest.fixture
def product(make_product, farmer):
    return make_product(producer=farmer.producer, name="Bưởi Luận Văn", shelf_life_days=30)


@pytest.fixture
def area(make_growing_area, farmer):
    return make_growing_area(producer=farmer.producer, code="VN-TH-BLV-001")


@pytest.fixture
def house(make_packing_house, farmer):
    return make_packing_house(producer=farmer.producer, code="VN-TH-DG-007")


@pytest.fixture
def neighbour(make_producer):
    return make_producer(name="HTX Chè lam Phủ Quảng")


@pytest.fixture
def batch_data(product, area, house, today):
    """What a farmer sends for a new batch; overrides change single fields."""

    def _data(**overrides) -> dict:
        data = {
            "product": str(product.id),
            "lot": "BLV-2409-01",
            "growing_area": str(area.id),
            "packing_house": str(house.id),
            "harvest_date": (today - timedelta(days=2)).isoformat(),
            "packing_date": (today - timedelta(days=1)).isoformat(),
            "best_before": "",
            "quantity": "500",
            "quantity_unit": "kg",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return _data


@pytest.fixture
def rows():
    """rows(Model): how many are stored now (read fresh from the database)."""

    def _rows(model) -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(model))

    return _rows


@pytest.fixture
def jpeg():
    """jpeg(width, height) → bytes of a real JPEG photo (noise, so each size differs)."""

    def _jpeg(width: int = 320, height: int = 240) -> bytes:
        rng = random.Random(width * height)
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        out = io.BytesIO()
        image.save(out, "JPEG")
        return out.getvalue()

    return _jpeg
