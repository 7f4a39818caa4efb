"""Serialised labels: every scan is counted; a serial never issued, or scanned too often, warns."""

import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.labels.models import LabelSerial
from shop.scan.models import Scan

pytestmark = pytest.mark.both_databases  # scans counted under concurrency


def unit_path(batch, serial: str) -> str:
    return f"/01/{batch.product.gtin}/10/{batch.lot}/21/{serial}"


def stored(label: LabelSerial) -> LabelSerial:
    db.session.expire_all()
    return db.session.get(LabelSerial, label.id)


def test_each_scan_is_counted_and_the_first_one_dated(client, make_batch, make_serial):
    batch = make_batch(events=2)
    label = make_serial(batch, serial="Q7XK2M9P4T")
    before = datetime.now(UTC)

    pages = [client.get(unit_path(batch, "Q7XK2M9P4T")) for _ in range(3)]

    assert [p.status_code for p in pages] == [200, 200, 200]
    label = stored(label)
    assert label.scan_count == 3
    first = label.first_scanned_at.replace(tzinfo=label.first_scanned_at.tzinfo or UTC)
    assert first >= before.replace(microsecond=0)
    assert label.last_scanned_at >= label.first_scanned_at
    assert "scanned 1 time." in pages[0].text
    assert "scanned 3 times." in pages[2].text
    local = first.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"First scanned on {local:%d/%m/%Y %H:%M} (UTC+07:00)," in pages[2].text
    assert "Genuine label" in pages[2].text and "verdict-genuine" in pages[2].text
    assert "Q7XK2M9P4T" in pages[2].text
    rows = db.session.execute(select(Scan.batch_id, Scan.serial_id, Scan.province)).all()
    assert rows == [(batch.id, label.id, None)] * 3


def test_a_head_request_is_not_a_scan(client, make_batch, make_serial):
    batch = make_batch()
    label = make_serial(batch)

    assert client.head(unit_path(batch, label.serial)).status_code == 200

    assert stored(label).scan_count == 0
    assert db.session.scalar(select(func.count(Scan.id))) == 0


@pytest.mark.parametrize(
    ("serial", "status"),
    [("NEVERISSUED", 404), ("x" * 200, 400), ("A%00B", 400), ("%F0%9F%8D%8A", 400), ("a%20b", 400)],
)
def test_a_serial_never_issued_is_a_counterfeit_warning(
    client, make_batch, make_serial, serial, status
):
    """Well-formed but never issued: 404; one no label can carry (a syntax error): 400."""
    batch = make_batch()
    make_serial(batch, serial="REAL0001")

    response = client.get(unit_path(batch, serial))

    assert response.status_code == status
    assert "Warning: this label may be counterfeit" in response.text
    assert "verdict-counterfeit" in response.text
    assert "was never issued" in response.text
    assert "could not find" not in response.text
    assert db.session.scalar(select(func.count(Scan.id))) == 0


def test_a_serial_of_another_batch_is_counterfeit_here(client, make_batch, make_serial):
    batch, other = make_batch(), make_batch()
    label = make_serial(other, serial="OTHER0001")

    response = client.get(unit_path(batch, "OTHER0001"))

    assert response.status_code == 404
    assert "may be counterfeit" in response.text
    assert stored(label).scan_count == 0


def test_a_serial_scanned_implausibly_often_warns_of_copies(app, client, make_batch, make_serial):
    app.config["SCAN_SUSPICIOUS_COUNT"] = 3
    batch = make_batch()
    label = make_serial(batch)

    ok = [client.get(unit_path(batch, label.serial)) for _ in range(3)]
    copied = client.get(unit_path(batch, label.serial))

    assert all("verdict-genuine" in r.text for r in ok)
    assert copied.status_code == 200
    assert "verdict-warning" in copied.text
    assert "This label may have been copied." in copied.text
    assert "rarely scanned more than 3 times; this one has been scanned 4 times" in copied.text


def test_the_default_threshold_is_twenty(client, make_batch, make_serial):
    batch = make_batch()
    label = make_serial(batch, scan_count=19)

    twentieth = client.get(unit_path(batch, label.serial))
    twenty_first = client.get(unit_path(batch, label.serial))

    assert "may have been copied" not in twentieth.text
    assert "may have been copied" in twenty_first.text


def test_the_unit_page_shows_the_whole_origin(client, make_batch, make_serial):
    batch = make_batch(events=3)
    label = make_serial(batch)

    html = client.get(unit_path(batch, label.serial)).text

    assert batch.product.name in html
    assert batch.growing_area.code in html
    assert html.count('class="event ') == 3
    assert '<meta name="robots" content="noindex">' in html


def test_concurrent_scans_are_all_counted(app, make_batch, make_serial):
    """Phones scanning at the same moment: the single UPDATE … + 1 loses none of them."""
    batch = make_batch()
    label = make_serial(batch)
    path = unit_path(batch, label.serial)
    threads, per_thread = 4, 5
    statuses: list[int] = []

    def scan_repeatedly():
        client = app.test_client()
        for _ in range(per_thread):
            statuses.append(client.get(path).status_code)

    workers = [threading.Thread(target=scan_repeatedly) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert statuses == [200] * threads * per_thread
    assert stored(label).scan_count == threads * per_thread
    assert db.session.scalar(select(func.count(Scan.id))) == threads * per_thread


def test_moving_around_our_own_pages_is_not_another_scan(client, make_batch):
    from sqlalchemy import func, select

    from shop.scan.models import Scan

    batch = make_batch(events=1)
    url = f"/01/{batch.product.gtin}/10/{batch.lot}"
    client.get(url)
    client.get(url, headers={"Referer": f"http://localhost{url}"})  # e.g. the language switch
    client.get(url, headers={"Referer": "https://zalo.me/some-chat"})  # shared in a chat
    assert db.session.scalar(select(func.count()).select_from(Scan)) == 2
