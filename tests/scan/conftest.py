"""Scan fixtures: serialised labels as a print run leaves them."""

import itertools

import pytest

from shop.extensions import db
from shop.labels.models import LabelRun, LabelSerial

_serials = itertools.count(1)


@pytest.fixture
def make_serial(app):
    """make_serial(batch, serial=None, **columns): one issued label serial of the batch."""

    def _make(batch, serial: str | None = None, **columns) -> LabelSerial:
        run = LabelRun(batch_id=batch.id, count=1, layout="a4")
        db.session.add(run)
        db.session.flush()
        label = LabelSerial(
            batch_id=batch.id,
            run_id=run.id,
            serial=serial or f"K7Q{next(_serials):05d}X",
            **columns,
        )
        db.session.add(label)
        db.session.commit()
        return label

    return _make
