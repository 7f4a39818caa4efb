"""With CSRF protection on (as in production), a run of labels is only made with the token."""

import re

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.labels.models import LabelRun, LabelSerial


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def test_a_run_posted_without_the_token_is_refused_and_makes_nothing(farm, batch):
    response = farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "10", "layout": "a4"})
    assert response.status_code == 400
    assert "Your form expired or was sent from elsewhere." in response.text
    assert db.session.scalar(select(func.count(LabelRun.id))) == 0
    assert db.session.scalar(select(func.count(LabelSerial.id))) == 0


def test_a_run_posted_with_the_token_from_the_page_is_made(farm, batch):
    page = farm.get(f"/labels/batches/{batch.id}").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = farm.post(
        f"/labels/batches/{batch.id}/runs",
        data={"count": "10", "layout": "a4", "csrf_token": token},
    )
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(LabelSerial.id))) == 10
