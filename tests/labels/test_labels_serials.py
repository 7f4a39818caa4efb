"""Serials are random, unguessable and never sequential; unique per batch even when the
random draw collides; a run records exactly the labels asked for."""

import itertools
import re

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.labels import serials
from shop.labels.models import LabelRun, LabelSerial
from shop.labels.serials import ALPHABET, SERIAL_LENGTH, issue_serials

pytestmark = pytest.mark.both_databases  # serials unique per batch are a constraint


def as_number(serial: str) -> int:
    value = 0
    for char in serial:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


def test_the_alphabet_is_base32_without_look_alike_letters():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    assert SERIAL_LENGTH * 5 >= 50  # bits of randomness per serial


def test_5000_serials_are_random_unique_and_not_sequential(batch, farmer):
    run = issue_serials(batch, 5000, "a4", farmer)
    db.session.commit()
    issued = serials.run_serials(run)
    assert len(issued) == 5000 == len(set(issued))
    assert all(re.fullmatch(f"[{ALPHABET}]{{{SERIAL_LENGTH}}}", s) for s in issued)
    numbers = [as_number(s) for s in issued]
    # Not sequential: neighbours in print order are far apart, and the order is not sorted.
    gaps = [abs(b - a) for a, b in itertools.pairwise(numbers)]
    assert min(gaps) > 32**4
    assert numbers != sorted(numbers) and numbers != sorted(numbers, reverse=True)
    # Every character position uses the whole alphabet about evenly (5000 / 32 ≈ 156 each).
    for position in range(SERIAL_LENGTH):
        counts = dict.fromkeys(ALPHABET, 0)
        for s in issued:
            counts[s[position]] += 1
        assert min(counts.values()) > 80 and max(counts.values()) < 250
    # No two serials share a long prefix, as counters or timestamps would.
    assert len({s[:5] for s in issued}) > 4900


def test_a_serial_drawn_twice_or_already_issued_is_drawn_again(batch, farmer, monkeypatch):
    first = issue_serials(batch, 2, "roll", farmer)
    db.session.commit()
    taken = serials.run_serials(first)
    draws = iter([taken[0], "AAAAAAAAAA", "AAAAAAAAAA", taken[1], "BBBBBBBBBB", "CCCCCCCCCC"])
    monkeypatch.setattr(serials, "new_serial", lambda: next(draws))
    run = issue_serials(batch, 3, "a4", farmer)
    db.session.commit()
    assert sorted(serials.run_serials(run)) == ["AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC"]
    assert db.session.scalar(select(func.count(LabelSerial.id))) == 5


def test_the_same_serial_may_exist_on_another_batch(batch, farmer, make_batch, monkeypatch):
    other = make_batch(product=batch.product)
    monkeypatch.setattr(serials, "new_serial", lambda: "SAMESERIAL")
    issue_serials(batch, 1, "a4", farmer)
    issue_serials(other, 1, "a4", farmer)
    db.session.commit()
    assert db.session.scalar(select(func.count(LabelSerial.id))) == 2


def test_a_run_records_its_batch_size_layout_and_author(batch, farmer):
    run = issue_serials(batch, 7, "roll", farmer)
    db.session.commit()
    stored = db.session.get(LabelRun, run.id)
    assert (stored.batch_id, stored.count, stored.layout, stored.created_by_id) == (
        batch.id, 7, "roll", farmer.id
    )  # fmt: skip
    assert all(s.scan_count == 0 and s.batch_id == batch.id for s in stored.serials)
    assert len(stored.serials) == 7


@pytest.mark.parametrize(("count", "layout"), [(0, "a4"), (5001, "a4"), (-3, "a4"), (5, "a5")])
def test_impossible_runs_are_refused(batch, count, layout):
    with pytest.raises(ValueError):
        issue_serials(batch, count, layout)
    assert db.session.scalar(select(func.count(LabelRun.id))) == 0
