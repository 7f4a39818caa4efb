"""The shop's dates are Vietnam's: at 23:30 UTC it is already tomorrow in Thanh Hóa."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from shop.auth.models import Role
from shop.catalogue.models import CertificateStatus, OcopCertificate
from shop.clock import local_date, local_now, local_today, utcnow
from shop.extensions import db

ROOT = Path(__file__).resolve().parent.parent
# A server's own clock (usually UTC) where the shop's date is meant: only shop/clock.py reads
# the time, and it always says in which zone.
SERVER_CLOCK = re.compile(r"\bdate\.today\(|\bdatetime\.(?:now\(\)|utcnow\(|today\()")


@pytest.fixture
def late_evening_utc(time_machine):
    """23:30 UTC on 14/10: 06:30 on 15/10 in Vietnam (set up before any client signs a cookie)."""
    time_machine.move_to(datetime(2026, 10, 14, 23, 30, tzinfo=UTC), tick=False)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 10, 14, 16, 59, tzinfo=UTC), date(2026, 10, 14)),
        (datetime(2026, 10, 14, 17, 0, tzinfo=UTC), date(2026, 10, 15)),
        (datetime(2026, 10, 14, 23, 30, tzinfo=UTC), date(2026, 10, 15)),
    ],
)
def test_the_shop_s_today_turns_at_vietnam_s_midnight(app, time_machine, instant, expected):
    time_machine.move_to(instant, tick=False)
    assert local_today() == expected
    assert local_now().utcoffset().total_seconds() == 7 * 3600
    assert utcnow() == instant


def test_an_instant_s_day_is_vietnam_s_and_a_naive_one_is_utc(app):
    assert local_date(datetime(2026, 10, 14, 17, 0, tzinfo=UTC)) == date(2026, 10, 15)
    assert local_date(datetime(2026, 10, 14, 17, 0)) == date(2026, 10, 15)  # SQLite's, UTC
    assert local_date(datetime(2026, 10, 14, 16, 59)) == date(2026, 10, 14)


def test_the_shop_s_zone_comes_from_the_configuration(app, time_machine):
    time_machine.move_to(datetime(2026, 10, 14, 23, 30, tzinfo=UTC), tick=False)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    assert local_today() == date(2026, 10, 14)


def test_outside_an_app_the_shop_s_today_is_still_vietnam_s(time_machine):
    time_machine.move_to(datetime(2026, 10, 14, 23, 30, tzinfo=UTC), tick=False)
    assert local_today() == date(2026, 10, 15)


def test_a_certificate_signed_this_morning_in_vietnam_shows_its_stars_at_23h30_utc(
    late_evening_utc, client, make_product
):
    product = make_product()
    product.certificates.append(
        OcopCertificate(
            decision_number="15/QĐ-UBND",
            decision_date=date(2026, 10, 15),
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()

    page = client.get(f"/products/{product.slug}").text
    assert "4-star OCOP product" in page and "No. 15/QĐ-UBND of 15/10/2026" in page
    listing = client.get("/?stars=4").text
    assert product.name in listing


def test_the_new_batch_form_proposes_vietnam_s_date_at_23h30_utc(
    late_evening_utc, client, login, make_user, make_producer
):
    login(make_user(role=Role.PRODUCER, producer=make_producer()))

    page = client.get("/trace/batches/new").text
    assert 'name="harvest_date" type="date" value="2026-10-15"' in page


def test_nothing_in_the_shop_reads_the_server_s_local_date():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for folder in ("shop", "seeds")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SERVER_CLOCK.search(line)
    ]
    assert offenders == [], "use shop.clock.local_today() / utcnow() instead"
