"""A farmer prints serialised labels: the label page, a run of N random serials, its PDF in
which every label decodes to its own URL; and who may do what."""

import re

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role
from shop.extensions import db
from shop.labels import sheets
from shop.labels.models import LabelRun, LabelSerial
from shop.trace.models import CodeStatus


def serials_of(run_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(LabelSerial.serial).where(LabelSerial.run_id == run_id).order_by(LabelSerial.id)
        )
    )


def checked_paper(page: str) -> str:
    (value,) = re.findall(r'<input checked[^>]* name="layout" type="radio" value="(\w+)"', page)
    return value


def run_count() -> int:
    return db.session.scalar(select(func.count(LabelRun.id)))


def unit_url(batch, serial: str) -> str:
    return f"http://127.0.0.1:5000/01/{batch.product.gtin}/10/{batch.lot}/21/{serial}"


def test_the_label_page_shows_the_preview_downloads_and_the_run_form(farm, batch):
    page = farm.get(f"/labels/batches/{batch.id}")
    assert page.status_code == 200
    text = page.text
    assert "Nước mắm Ba Làng 40 độ đạm" in text and "L2026-09A" in text
    gtin = batch.product.gtin
    for href in (f"/labels/{gtin}/L2026-09A/qr.png", f"/labels/{gtin}/L2026-09A/qr.svg",
                 f"/labels/{gtin}/L2026-09A/sheet.pdf?layout=a4",
                 f"/labels/{gtin}/L2026-09A/sheet.pdf?layout=roll",
                 f"/labels/batches/{batch.id}/runs"):  # fmt: skip
        assert href in text, href
    assert "★★★★" in text
    assert f"http://127.0.0.1:5000/01/{gtin}/10/L2026-09A" in text
    assert batch.growing_area.code in text
    assert 'name="count"' in text and checked_paper(text) == "a4"


def test_a_run_of_30_makes_two_a4_pages_whose_labels_all_decode_to_their_serials(
    farm, batch, farmer, decode_labels, pdf_text
):
    response = farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "30", "layout": "a4"})
    assert response.status_code == 303
    run = db.session.scalar(select(LabelRun))
    assert response.headers["Location"] == f"/labels/runs/{run.id}.pdf"
    assert (run.count, run.layout, run.batch_id, run.created_by_id) == (
        30,
        "a4",
        batch.id,
        farmer.id,
    )
    serials = serials_of(run.id)
    assert len(serials) == 30 == len(set(serials))

    pdf = farm.get(response.headers["Location"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "private" in pdf.headers["Cache-Control"]
    first, second = decode_labels(pdf.data, sheets.SHEET_A4)
    expected = [unit_url(batch, serial) for serial in serials]
    assert first == expected[:24]
    assert second == expected[24:] + [None] * 18
    text = pdf_text(pdf.data)
    assert all("Nước mắm Ba Làng 40 độ đạm" in page for page in text)
    assert serials[0] in text[0] and serials[29] in text[1]  # each URL is printed too


def test_a_roll_run_has_one_page_per_label_each_with_its_own_url(farm, batch, decode_labels):
    response = farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "3", "layout": "roll"})
    run_id = int(response.headers["Location"].removeprefix("/labels/runs/").removesuffix(".pdf"))
    pdf = farm.get(response.headers["Location"]).data
    assert decode_labels(pdf, sheets.ROLL_50X30) == [
        [unit_url(batch, serial)] for serial in serials_of(run_id)
    ]


def test_the_layout_defaults_to_a4(farm, batch):
    assert farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "2"}).status_code == 303
    assert db.session.scalar(select(LabelRun.layout)) == "a4"


def test_a_run_accepts_the_largest_size_and_grouped_digits(farm, batch):
    response = farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "5.000"})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(LabelSerial.id))) == 5000


def test_earlier_runs_are_listed_with_their_pdf(farm, batch):
    farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "12", "layout": "roll"})
    run = db.session.scalar(select(LabelRun))
    page = farm.get(f"/labels/batches/{batch.id}").text
    assert "12 labels" in page and f"/labels/runs/{run.id}.pdf" in page


@pytest.mark.both_databases
@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("0", "Enter a number from 1 to 5,000."),
        ("-1", "This cannot be negative."),
        ("5001", "Enter a number from 1 to 5,000."),
        ("99999999999999999999", "Enter a number from 1 to 5,000."),
        ("abc", "Enter a whole number"),
        ("1.5", "Enter a whole number"),
        ("", "Enter how many labels to print."),
        ("\x00", "Enter a whole number"),
    ],
)
def test_a_bad_count_is_refused_with_a_message_and_keeps_what_was_typed(
    farm, batch, count, message
):
    response = farm.post(
        f"/labels/batches/{batch.id}/runs", data={"count": count, "layout": "roll"}
    )
    assert response.status_code == 400
    assert message in response.text
    assert checked_paper(response.text) == "roll"
    assert run_count() == 0


def test_an_unknown_layout_is_refused(farm, batch):
    response = farm.post(
        f"/labels/batches/{batch.id}/runs", data={"count": "5", "layout": "letter"}
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.text
    assert run_count() == 0


@pytest.mark.parametrize("status", [CodeStatus.SUSPENDED, CodeStatus.REVOKED])
def test_a_suspended_or_revoked_area_refuses_printing(farm, batch, status):
    farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "2"})
    run = db.session.scalar(select(LabelRun))
    batch.growing_area.status = status
    db.session.commit()

    page = farm.get(f"/labels/batches/{batch.id}")
    assert page.status_code == 200
    assert "Labels cannot be printed:" in page.text and status.value in page.text
    assert "sheet.pdf" not in page.text and 'name="count"' not in page.text
    assert "qr.png" in page.text  # the QR of the batch stays available

    response = farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "5"})
    assert response.status_code == 409
    assert run_count() == 1
    assert farm.get(f"/labels/runs/{run.id}.pdf").status_code == 409


# Who may do what --------------------------------------------------------------------------


def producer_pages(batch, run_id: int = 1) -> list[tuple[str, str]]:
    return [
        ("get", f"/labels/batches/{batch.id}"),
        ("post", f"/labels/batches/{batch.id}/runs"),
        ("get", f"/labels/runs/{run_id}.pdf"),
    ]


def test_a_visitor_is_sent_to_log_in(client, batch):
    for method, path in producer_pages(batch):
        response = getattr(client, method)(path, data={"count": "3"})
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/auth/login")
    assert run_count() == 0


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.STAFF, Role.ADMIN])
def test_other_roles_are_not_allowed(client, login, make_user, batch, role):
    login(make_user(role=role))
    for method, path in producer_pages(batch):
        assert getattr(client, method)(path, data={"count": "3"}).status_code == 403, path
    assert run_count() == 0


def test_another_producers_batch_and_run_do_not_exist_for_me(
    client, login, make_user, make_producer, farmer, batch
):
    login(farmer)
    client.post(f"/labels/batches/{batch.id}/runs", data={"count": "2"})
    run = db.session.scalar(select(LabelRun))

    neighbour = make_user(role=Role.PRODUCER, producer=make_producer(name="HTX Chè lam"))
    login(neighbour)
    for method, path in producer_pages(batch, run.id):
        assert getattr(client, method)(path, data={"count": "3"}).status_code == 404, path
    assert run_count() == 1


@pytest.mark.both_databases
@pytest.mark.parametrize(
    "path",
    [
        "/labels/batches/99999",
        "/labels/batches/99999999999999999999999",
        "/labels/batches/-1",
        "/labels/batches/abc",
        "/labels/runs/99999999999999999999999.pdf",
        "/labels/runs/1.png",
        "/labels/runs/%00.pdf",
    ],
)
def test_unknown_or_malformed_ids_are_404(farm, batch, path):
    assert farm.get(path).status_code == 404
    assert farm.post("/labels/batches/99999999999999999999999/runs").status_code == 404


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_label_page_and_a_run_with_mistakes_work_in_both_languages(farm, batch, language):
    """The Vietnamese hint once held a bare '(100%)': Jinja's gettext made it a 500."""
    farm.get(f"/language/{language}")
    page = farm.get(f"/labels/batches/{batch.id}")
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.text
    response = farm.post(f"/labels/batches/{batch.id}/runs", data={"count": "0", "layout": "a4"})
    assert response.status_code == 400
    assert run_count() == 0
