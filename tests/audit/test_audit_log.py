"""The audit log: every staff action leaves an entry in its own transaction, entries are
chained by hash, and an edit or deletion made behind the shop's back is found and shown."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from shop.audit.log import content_of, find_entries, record, verify_log
from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.hashchain import GENESIS, link_hash
from shop.producers.models import ApprovalStatus

pytestmark = pytest.mark.both_databases  # a hash chain over stored rows and times


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF, email="thu.ha@htx.vn")


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def three_entries(staff) -> None:
    record(staff, "producer.approve", "producer:1", {"status": "pending"}, {"status": "approved"})
    record(staff, "product.reject", "product:7", {"status": "pending"}, {"status": "rejected"})
    record(None, "order.cancel", "order:DH12AB34CD", {"status": "paid"}, {"status": "cancelled"})
    db.session.commit()


def test_entries_are_numbered_and_chained(staff):
    three_entries(staff)
    first, second, third = entries()
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert (first.actor_id, first.actor_email) == (staff.id, staff.email)
    assert first.target == "producer:1"
    assert third.actor_id is None
    assert verify_log().intact and verify_log().entries == 3


def test_values_are_kept_as_json_and_still_verify(staff):
    record(staff, "payout.paid", "payout:1", None, {"on": datetime(2026, 11, 30, tzinfo=UTC)})
    db.session.commit()
    db.session.expire_all()
    [entry] = entries()
    assert entry.after == {"on": "2026-11-30 00:00:00+00:00"}
    assert verify_log().intact


def test_an_edited_entry_breaks_the_chain_there(staff):
    three_entries(staff)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET target = 'producer:2' WHERE seq = 2"))
    verdict = verify_log()
    assert (verdict.intact, verdict.broken_at) == (False, 2)


def test_an_edit_that_recomputes_its_own_hash_shows_at_the_next_entry(staff):
    three_entries(staff)
    second = entries()[1]
    second.target = "producer:2"
    forged = link_hash(second.prev_hash, content_of(second))
    db.session.rollback()
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_entries SET target = 'producer:2', hash = :h WHERE seq = 2"),
            {"h": forged},
        )
    assert verify_log().broken_at == 3


def test_a_deleted_entry_breaks_the_chain_where_it_was(staff):
    three_entries(staff)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 2"))
    assert verify_log().broken_at == 2


def test_the_first_entry_deleted_is_found_too(staff):
    three_entries(staff)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 1"))
    assert verify_log().broken_at == 1


def test_a_rolled_back_action_leaves_no_entry(staff, make_producer):
    producer = make_producer(status=ApprovalStatus.PENDING)
    producer.status = ApprovalStatus.APPROVED
    record(staff, "producer.approve", f"producer:{producer.id}")
    db.session.rollback()
    assert entries() == []


def test_filters_find_entries_by_actor_action_target_and_date(staff, make_user):
    other = make_user(role=Role.ADMIN, email="admin@htx.vn")
    three_entries(staff)
    record(other, "user.role", "user:5", {"role": "consumer"}, {"role": "staff"})
    db.session.commit()

    def seqs(**filters):
        return [e.seq for e in find_entries(**filters).items]

    assert seqs() == [4, 3, 2, 1]
    assert seqs(actor="THU.HA") == [2, 1]
    assert seqs(action="user.role") == [4]
    assert seqs(target="order:") == [3]
    assert seqs(target="producer:1") == [1]
    assert seqs(target="%") == []  # a wildcard is a character, not a pattern
    today = datetime.now(UTC)
    assert seqs(start=today.replace(year=today.year + 1)) == []
    assert seqs(end=today.replace(year=today.year - 1)) == []
    assert [e.seq for e in find_entries(page=2, per_page=3).items] == [1]


def test_the_page_lists_entries_and_says_the_chain_is_whole(client, login, staff):
    three_entries(staff)
    login(staff)
    page = client.get("/backoffice/audit").get_data(as_text=True)
    assert "Chain verified: all 3 entries" in page
    assert "Approved a producer" in page and "order:DH12AB34CD" in page
    assert "thu.ha@htx.vn" in page
    filtered = client.get("/backoffice/audit?action=product.reject").get_data(as_text=True)
    assert "product:7" in filtered and "producer:1" not in filtered


def test_the_page_warns_where_the_chain_is_broken(client, login, staff):
    three_entries(staff)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET after = NULL WHERE seq = 2"))
    login(staff)
    page = client.get("/backoffice/audit").get_data(as_text=True)
    assert "Chain broken at entry 2." in page
    assert 'role="alert"' in page


def test_the_page_speaks_vietnamese(app, login, staff):
    three_entries(staff)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(staff.id)
    page = client.get("/backoffice/audit").get_data(as_text=True)
    assert "Nhật ký thao tác" in page
    assert "Đã duyệt một nhà sản xuất" in page


@pytest.mark.parametrize(
    "query",
    ["from=2026-13-01", "to=yesterday", "from=2026-11-30&to=2026-11-01", "page=0", "page=x"],
)
def test_malformed_filters_get_a_message_not_an_error(client, login, staff, query):
    login(staff)
    response = client.get(f"/backoffice/audit?{query}")
    assert response.status_code == 200
    assert 'class="field-errors"' in response.get_data(as_text=True)


def test_no_route_can_change_an_entry(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/backoffice/audit")]
    assert rules
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
def test_shoppers_and_producers_are_refused(client, login, make_user, make_producer, role):
    login(make_user(role=role, producer=make_producer() if role == Role.PRODUCER else None))
    assert client.get("/backoffice/audit").status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client):
    assert client.get("/backoffice/audit").status_code == 302
