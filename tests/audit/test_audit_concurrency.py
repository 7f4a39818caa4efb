"""Staff acting at the same moment still extend one unbroken chain: each append waits for the
one before it (PostgreSQL: an advisory lock; SQLite: the write lock)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from shop.audit.log import record, verify_log
from shop.audit.models import AuditEntry
from shop.auth.models import Role, User
from shop.extensions import db
from shop.producers.models import ApprovalStatus, Producer

pytestmark = pytest.mark.both_databases  # appends at the same moment: advisory lock or write lock

WRITERS = 8


@pytest.fixture
def app_overrides():
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": WRITERS + 4, "max_overflow": 0}}


def test_concurrent_actions_extend_one_chain(app, make_user, make_producer):
    staff_id = make_user(role=Role.STAFF).id
    producer_ids = [make_producer(status=ApprovalStatus.PENDING).id for _ in range(WRITERS)]
    db.session.remove()
    start = threading.Barrier(WRITERS)

    def approve(producer_id: int) -> None:
        with app.app_context():
            start.wait(timeout=30)
            producer = db.session.get(Producer, producer_id)
            before = {"status": producer.status.value}
            producer.status = ApprovalStatus.APPROVED
            staff = db.session.get(User, staff_id)
            record(
                staff, "producer.approve", f"producer:{producer_id}", before, {"status": "approved"}
            )
            db.session.commit()
            db.session.remove()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(approve, producer_ids, timeout=120))
    seqs = list(db.session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))
    assert seqs == list(range(1, WRITERS + 1))
    verdict = verify_log()
    assert verdict.intact and verdict.entries == WRITERS


def test_recording_first_in_a_transaction_takes_the_lock_too(app, make_user):
    """An action that changed nothing before recording (SQLite: no write lock held yet)."""
    staff_id = make_user(role=Role.STAFF).id
    db.session.remove()
    start = threading.Barrier(WRITERS)

    def note(n: int) -> None:
        with app.app_context():
            db.session.scalar(select(AuditEntry.id).limit(1))  # a read first, as views do
            staff = db.session.get(User, staff_id)
            start.wait(timeout=30)
            record(staff, "review.dismiss", f"review:{n}")
            db.session.commit()
            db.session.remove()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(note, range(WRITERS), timeout=120))
    assert verify_log().entries == WRITERS and verify_log().intact
