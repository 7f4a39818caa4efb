"""Staff record a payout as paid, once per period; the farmer's statement; the producer's rate;
every payouts route refused to consumers and producers."""

import io
from datetime import date

import pypdfium2
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.audit.log import verify_log
from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.payouts.ledger import period_figures
from shop.payouts.models import Payout
from tests.payouts.conftest import NOV

pytestmark = pytest.mark.both_databases  # money, one payout per period


def pay(client, producer, reference="FT2612010001", period=NOV):
    data = {"producer_id": producer.id, "bank_reference": reference, **period}
    return client.post("/backoffice/payouts/pay", data=data)


def payouts() -> list[Payout]:
    db.session.expire_all()
    return list(db.session.scalars(select(Payout).order_by(Payout.id)))


def test_the_page_lists_each_producer_with_totals(client, staff, november):
    page = client.get("/backoffice/payouts", query_string=NOV).get_data(as_text=True)
    assert "HTX Bưởi Luận Văn" in page and "Cơ sở Nem chua Bà Lý" in page
    assert "222.221\u00a0₫" in page and "124.875\u00a0₫" in page  # each net
    assert "659.690\u00a0₫" in page  # goods delivered, all producers
    assert "7.5\u00a0%" in page  # English: a rate is written with a point


def test_recording_a_payout_keeps_the_figures_and_is_audited(client, staff, november):
    a, _b = november
    response = pay(client, a)
    assert response.status_code == 303
    [payout] = payouts()
    assert (payout.producer_id, payout.period_start, payout.period_end) == (
        a.id,
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert (payout.gross_vnd, payout.commission_vnd, payout.refunds_vnd, payout.net_vnd) == (
        524_690,
        52_469,
        250_000,
        222_221,
    )
    assert (payout.bank_reference, payout.paid_by_id) == ("FT2612010001", staff.id)
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.target, entry.after["net_vnd"]) == (
        "payout.paid",
        f"producer:{a.id}",
        222_221,
    )
    assert verify_log().intact
    page = client.get("/backoffice/payouts", query_string=NOV).get_data(as_text=True)
    assert "FT2612010001" in page


def test_a_period_cannot_be_paid_twice(client, staff, november):
    a, _b = november
    pay(client, a)
    again = pay(client, a, reference="FT2")
    assert again.status_code == 409
    assert "already paid" in again.get_data(as_text=True)
    overlapping = pay(client, a, reference="FT3", period={"from": "2026-11-15", "to": "2026-11-30"})
    assert overlapping.status_code == 409
    assert len(payouts()) == 1
    assert len(db.session.scalars(select(AuditEntry)).all()) == 1


def test_the_database_refuses_the_same_period_twice(app, november, make_user):
    a, _b = november
    values = {
        "producer_id": a.id,
        "period_start": date(2026, 11, 1),
        "period_end": date(2026, 11, 30),
        "gross_vnd": 100,
        "commission_percent": 10,
        "commission_vnd": 10,
        "refunds_vnd": 0,
        "net_vnd": 90,
        "bank_reference": "X",
    }
    db.session.add(Payout(**values))
    db.session.commit()
    db.session.add(Payout(**values))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Payout(**{**values, "period_start": date(2026, 11, 2), "net_vnd": 1}))
    with pytest.raises(IntegrityError):  # net must be gross − commission − refunds
        db.session.commit()


def test_a_period_not_over_or_with_nothing_to_pay_is_refused(client, staff, november):
    a, b = november
    future = {"from": "2026-11-01", "to": "2999-12-31"}
    assert pay(client, a, period=future).status_code == 409
    dec = {"from": "2026-12-01", "to": "2026-12-01"}
    response = pay(client, b, period=dec)  # only a refund: B owes, nothing to pay
    assert response.status_code == 409
    assert "nothing to pay" in response.get_data(as_text=True)
    assert payouts() == []


def test_a_payout_needs_its_reference_and_its_period(client, staff, november):
    a, _b = november
    response = pay(client, a, reference="  ")
    assert response.status_code == 400
    assert "Enter the reference" in response.get_data(as_text=True)
    assert pay(client, a, period={"from": "", "to": ""}).status_code == 400
    data = {"producer_id": 99999, "bank_reference": "X", **NOV}
    assert client.post("/backoffice/payouts/pay", data=data).status_code == 404
    assert payouts() == []


def test_a_paid_period_keeps_the_rate_it_was_paid_at(client, staff, november):
    _a, b = november
    pay(client, b)
    response = client.post(f"/backoffice/payouts/{b.id}/commission", data={"percent": "12"})
    assert response.status_code == 303
    db.session.expire_all()
    figures = {f.producer.id: f for f in period_figures(date(2026, 11, 1), date(2026, 11, 30))}
    assert figures[b.id].commission_vnd == 10_125  # 7.5 %, as paid
    assert figures[b.id].paid is not None
    [october] = period_figures(date(2026, 10, 1), date(2026, 12, 31), b.id)
    assert october.commission_percent == 12
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action != "payout.paid")).one()
    assert (entry.action, entry.before, entry.after) == (
        "producer.commission",
        {"commission_percent": "7.5"},
        {"commission_percent": "12"},
    )


@pytest.mark.parametrize("typed", ["abc", "101", "-1", "7,555"])
def test_a_wrong_rate_is_explained_and_not_saved(client, staff, november, typed):
    a, _b = november
    response = client.post(
        f"/backoffice/payouts/{a.id}/commission", data={"percent": typed}, follow_redirects=True
    )
    assert "Enter a percentage from 0 to 100" in response.get_data(as_text=True)
    db.session.expire_all()
    assert a.commission_percent is None


def test_an_empty_rate_goes_back_to_the_shop_rate(client, staff, november):
    _a, b = november
    client.post(f"/backoffice/payouts/{b.id}/commission", data={"percent": ""})
    db.session.expire_all()
    assert b.commission_percent is None


def test_the_statement_is_a_pdf_in_plain_vietnamese(client, staff, november):
    a, _b = november
    pay(client, a)
    response = client.get(f"/backoffice/payouts/{a.id}/statement.pdf", query_string=NOV)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    document = pypdfium2.PdfDocument(io.BytesIO(response.data))
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    document.close()
    assert "Bảng kê tiền bán hàng" in text
    assert "HTX Bưởi Luận Văn" in text
    assert "524.690" in text and "52.469" in text and "222.221" in text
    assert "Mật ong rừng" in text and "FT2612010001" in text
    assert "Hàng bị dập" in text  # the refund's reason


def test_a_statement_with_nothing_delivered_still_reads(client, staff, make_producer):
    farm = make_producer(name="Tổ hợp tác <Rau> & Củ")
    response = client.get(f"/backoffice/payouts/{farm.id}/statement.pdf", query_string=NOV)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


ROUTES = [
    ("GET", "/backoffice/payouts"),
    ("POST", "/backoffice/payouts/pay"),
    ("GET", "/backoffice/payouts/1/statement.pdf"),
    ("POST", "/backoffice/payouts/1/commission"),
    ("GET", "/backoffice/exports"),
    ("GET", "/backoffice/exports/orders.csv"),
    ("GET", "/backoffice/exports/payouts.csv"),
]


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_consumers_and_producers_are_refused(
    client, login, make_user, make_producer, role, method, url
):
    login(make_user(role=role, producer=make_producer() if role == Role.PRODUCER else None))
    response = client.get(url) if method == "GET" else client.post(url, data={"percent": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_visitors_log_in_first(client, method, url):
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == 302


def test_a_producer_id_beyond_the_database_range_is_a_404(client, staff):
    data = {"producer_id": 2**40, "bank_reference": "X", **NOV}
    assert client.post("/backoffice/payouts/pay", data=data).status_code == 404


def test_a_refused_payout_shows_the_period_it_was_for(client, staff, november):
    a, _b = november
    page = pay(client, a, reference="").get_data(as_text=True)
    assert 'value="2026-11-01"' in page and 'value="2026-11-30"' in page
