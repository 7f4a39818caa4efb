"""Batch events are append-only and tamper-evident: an edit in the database is detected."""

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from shop.extensions import db
from shop.trace.events import GENESIS, corrected_ids, record_event, verify_chain
from shop.trace.models import BatchEvent, EventType, normalise_code

pytestmark = pytest.mark.both_databases  # hashes over times that go through the database


def stored_events(batch):
    db.session.expire_all()
    return db.session.scalars(
        select(BatchEvent).where(BatchEvent.batch_id == batch.id).order_by(BatchEvent.seq)
    ).all()


def test_events_chain_their_hashes(make_batch):
    batch = make_batch(events=4)
    events = stored_events(batch)
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert verify_chain(events).intact


def test_an_edited_note_in_the_database_is_detected(make_batch):
    batch = make_batch(events=3)
    target = stored_events(batch)[1]
    db.session.execute(
        text("UPDATE batch_events SET notes = 'Không phun thuốc' WHERE id = :id"), {"id": target.id}
    )
    db.session.commit()
    check = verify_chain(stored_events(batch))
    assert not check.intact
    assert check.altered == {target.id}


def test_a_moved_event_time_is_detected(make_batch):
    batch = make_batch(events=2)
    first = stored_events(batch)[0]
    db.session.execute(
        text("UPDATE batch_events SET occurred_at = :t WHERE id = :id"),
        {"t": datetime(2020, 1, 1, tzinfo=UTC), "id": first.id},
    )
    db.session.commit()
    assert verify_chain(stored_events(batch)).altered == {first.id}


def test_a_deleted_event_is_detected(make_batch):
    batch = make_batch(events=3)
    middle = stored_events(batch)[1]
    db.session.execute(text("DELETE FROM batch_events WHERE id = :id"), {"id": middle.id})
    db.session.commit()
    assert not verify_chain(stored_events(batch)).intact


def test_a_rehashed_event_still_breaks_the_next_link(make_batch):
    """Someone who edits an event and recomputes its hash still breaks the following one."""
    from shop.trace.events import compute_hash

    batch = make_batch(events=3)
    events = stored_events(batch)
    events[0].notes = "sửa lén"
    events[0].hash = compute_hash(events[0])
    db.session.commit()
    check = verify_chain(stored_events(batch))
    assert events[1].id in check.altered


def test_a_correction_is_a_new_event_and_the_original_stays(make_batch):
    batch = make_batch(events=2)
    wrong = stored_events(batch)[1]
    fix = record_event(
        batch,
        EventType.HARVEST,
        datetime(2026, 4, 2, 8, 0, tzinfo=UTC),
        notes="Ngày thu hoạch đúng là 02/04",
        corrects=wrong,
    )
    db.session.commit()
    events = stored_events(batch)
    assert len(events) == 3
    assert fix.corrects_id == wrong.id
    assert corrected_ids(events) == {wrong.id}
    assert verify_chain(events).intact


def test_a_correction_must_stay_within_its_batch(make_batch):
    first, second = make_batch(events=1), make_batch(events=1)
    with pytest.raises(ValueError):
        record_event(
            second,
            EventType.HARVEST,
            datetime(2026, 4, 2, tzinfo=UTC),
            corrects=stored_events(first)[0],
        )


def test_event_times_need_a_timezone(make_batch):
    with pytest.raises(ValueError):
        record_event(make_batch(), EventType.HARVEST, datetime(2026, 4, 2))


def test_vietnamese_text_and_details_hash_the_same_after_a_round_trip(make_batch):
    batch = make_batch()
    record_event(
        batch,
        EventType.INPUT_APPLIED,
        datetime(2026, 5, 1, 6, 15, 30, 123456, tzinfo=UTC),
        actor="Lê Thị Hường",
        details={"input": "Phân hữu cơ vi sinh", "dose": "2 kg/gốc", "phi_days": 14},
    )
    db.session.commit()
    assert verify_chain(stored_events(batch)).intact


@pytest.mark.parametrize(
    ("raw", "code"),
    [(" vn-th-0012 ", "VN-TH-0012"), ("38/ttbvtv  - 021", "38/TTBVTV - 021"), (None, "")],
)
def test_codes_are_kept_as_issued_trimmed_and_upper_cased(raw, code):
    assert normalise_code(raw) == code


def test_a_local_time_is_stored_so_that_the_hash_still_matches(make_batch):
    from zoneinfo import ZoneInfo

    batch = make_batch()
    local = datetime(2026, 5, 1, 6, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    record_event(batch, EventType.HARVEST, local)
    db.session.commit()
    events = stored_events(batch)
    assert verify_chain(events).intact
    stored = events[0].occurred_at
    assert (stored if stored.tzinfo else stored.replace(tzinfo=UTC)) == local
