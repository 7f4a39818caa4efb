"""Demo dates follow the day the demo is first loaded: the demo never decays with the calendar,
and loading it again on a later day changes nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from seeds.data import REFERENCE_DATE, read
from seeds.loader import first_loaded_day
from shop.catalogue.models import OcopCertificate
from shop.extensions import db
from shop.trace.models import Batch, GrowingArea
from tests.seeds.test_seed_demo import listed_products, table_dump, uploads

# 23:30 UTC on 1 May 2031: already 2 May in Vietnam, years after the data files' dates.
YEARS_LATER = datetime(2031, 5, 1, 23, 30, tzinfo=UTC)


def seed(runner) -> str:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def snapshot(on: date) -> dict:
    """What the demo looks like on a day: stars shown, lapsed certificates, lots on sale."""
    products = listed_products()
    certificates = db.session.scalars(select(OcopCertificate)).all()
    batches = db.session.scalars(select(Batch)).all()
    areas = db.session.scalars(select(GrowingArea)).all()
    return {
        "stars": sorted(
            (p.slug, p.current_certificate(on).stars) for p in products if p.current_certificate(on)
        ),
        "lapsed": sorted(c.decision_number for c in certificates if not c.is_current(on)),
        "on_sale": sorted(b.lot for b in batches if b.on_sale),
        "past_best_before": sorted(b.lot for b in batches if b.best_before and b.best_before < on),
        "valid_areas": sorted(a.code for a in areas if a.is_valid(on)),
    }


def test_every_date_moves_by_the_days_between_the_reference_and_the_first_load(
    runner, clock, demo_day
):
    clock.move_to(YEARS_LATER, tick=False)
    seed(runner)

    first = date(2031, 5, 2)  # Vietnam's date, not the server's
    assert first_loaded_day() == first
    shift = first - REFERENCE_DATE
    decided = {
        (row["slug"], cert["decision_number"]): date.fromisoformat(cert["decision_date"])
        for row in read("products")
        for cert in row["certificates"]
    }
    for cert in db.session.scalars(select(OcopCertificate)):
        assert cert.decision_date == decided[(cert.product.slug, cert.decision_number)] + shift
    packed = {
        lot["lot"]: date.fromisoformat(lot["packing"])
        for entry in read("batches")["products"]
        for lot in entry["batches"]
    }
    for batch in db.session.scalars(select(Batch)):
        assert batch.packing_date == packed[batch.lot] + shift


def test_the_demo_looks_the_same_whatever_day_it_is_first_loaded(app, runner, clock, demo_day):
    seed(runner)
    on_the_tests_day = snapshot(demo_day)
    assert on_the_tests_day["stars"] and on_the_tests_day["lapsed"]

    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    clock.move_to(YEARS_LATER, tick=False)
    seed(runner)

    assert snapshot(date(2031, 5, 2)) == on_the_tests_day


def test_a_later_load_changes_nothing_and_keeps_the_first_day(app, runner, clock, demo_day):
    seed(runner)
    before, files = table_dump(), uploads(app)

    clock.move_to(YEARS_LATER, tick=False)
    again = seed(runner)

    assert "nothing changed" in again
    db.session.expire_all()
    assert table_dump() == before and uploads(app) == files
    assert first_loaded_day() == demo_day


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (datetime(2026, 10, 14, 16, 59, tzinfo=UTC), date(2026, 10, 14)),
        (datetime(2026, 10, 14, 17, 1, tzinfo=UTC), date(2026, 10, 15)),
    ],
    ids=["23h59-in-vietnam", "00h01-in-vietnam"],
)
def test_the_first_day_is_vietnam_s_date(runner, clock, demo_day, instant, day):
    clock.move_to(instant, tick=False)
    seed(runner)
    assert first_loaded_day() == day
    last_event = max(e.occurred_at for b in db.session.scalars(select(Batch)) for e in b.events)
    last_event = last_event if last_event.tzinfo else last_event.replace(tzinfo=UTC)
    assert last_event < instant  # nothing recorded in the future, even just after midnight
    assert last_event > instant - timedelta(days=30)
