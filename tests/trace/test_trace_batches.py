"""Recording a batch: lot numbers as GS1 allows them, valid codes only, dates that make sense."""

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.trace.batches import Refused, create_batch
from shop.trace.models import Batch, CodeStatus

pytestmark = pytest.mark.both_databases  # unique lots, dates, ids beyond what a column holds


def only_batch() -> Batch:
    db.session.expire_all()
    return db.session.scalars(select(Batch)).one()


def test_a_farmer_records_a_batch(farm, batch_data, product, area, house, today):
    response = farm.post("/trace/batches/new", data=batch_data())
    batch = only_batch()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/trace/batches/{batch.id}"
    assert batch.product_id == product.id
    assert batch.lot == "BLV-2409-01"
    assert batch.growing_area_id == area.id
    assert batch.packing_house_id == house.id
    assert batch.harvest_date == today - timedelta(days=2)
    assert batch.packing_date == today - timedelta(days=1)
    assert (batch.quantity, batch.quantity_unit) == (500, "kg")

    page = farm.get(response.headers["Location"]).text
    assert "Batch BLV-2409-01 is recorded." in page
    assert "VN-TH-BLV-001" in page and "VN-TH-DG-007" in page


def test_best_before_defaults_to_packing_date_plus_shelf_life(farm, batch_data, today):
    assert farm.post("/trace/batches/new", data=batch_data()).status_code == 302
    assert only_batch().best_before == today - timedelta(days=1) + timedelta(days=30)


def test_a_best_before_typed_is_kept(farm, batch_data, today):
    day = today + timedelta(days=10)
    assert (
        farm.post("/trace/batches/new", data=batch_data(best_before=day.isoformat())).status_code
        == 302
    )
    assert only_batch().best_before == day


def test_a_product_without_shelf_life_has_no_best_before_by_default(farm, batch_data, product):
    product.shelf_life_days = None
    db.session.commit()
    assert farm.post("/trace/batches/new", data=batch_data()).status_code == 302
    assert only_batch().best_before is None


@pytest.mark.parametrize(
    ("typed", "stored"), [("blv-1", "BLV-1"), ("  l0t-24a  ", "L0T-24A"), ("A" * 20, "A" * 20)]
)
def test_lot_numbers_are_trimmed_and_upper_cased(farm, batch_data, typed, stored):
    assert farm.post("/trace/batches/new", data=batch_data(lot=typed)).status_code == 302
    assert only_batch().lot == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("BLV 01", "Use only letters, digits and '-' (no spaces or slashes)"),
        ("BLV/01", "Use only letters, digits and '-' (no spaces or slashes)"),
        ("BLV\\01", "Use only letters, digits and '-' (no spaces or slashes)"),
        ("LÔ-1", "Use only letters, digits and '-' (no spaces or slashes)"),
        ("ＬＯＴ１", "Use only letters, digits and '-' (no spaces or slashes)"),
        ("L\x00T", "Use only letters, digits and '-' (no spaces or slashes)"),
        ("L_01", "Use only letters, digits and '-' (no spaces or slashes)"),
        ("A" * 21, "A lot number has at most 20 characters."),
        ("", "Enter the lot number."),
    ],
)
def test_a_bad_lot_number_is_explained(farm, batch_data, rows, typed, message):
    response = farm.post("/trace/batches/new", data=batch_data(lot=typed))
    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert 'value="500"' in response.text
    assert rows(Batch) == 0


def test_a_lot_is_unique_per_product(farm, batch_data, make_batch, product, make_product, farmer):
    make_batch(product=product, lot="BLV-2409-01")
    response = farm.post("/trace/batches/new", data=batch_data(lot="blv-2409-01"))
    assert response.status_code == 400
    assert "Bưởi Luận Văn already has a batch with lot BLV-2409-01." in response.text

    other = make_product(producer=farmer.producer, name="Bưởi sấy")
    response = farm.post("/trace/batches/new", data=batch_data(product=str(other.id)))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (CodeStatus.SUSPENDED, "Code VN-TH-BLV-001 is suspended by the authority"),
        (CodeStatus.REVOKED, "Code VN-TH-BLV-001 has been revoked"),
    ],
)
def test_a_suspended_or_revoked_area_is_refused_even_posted_by_hand(
    farm, batch_data, area, rows, status, message
):
    area.status = status
    db.session.commit()
    assert "VN-TH-BLV-001 ·" not in farm.get("/trace/batches/new").text  # not offered

    response = farm.post("/trace/batches/new", data=batch_data())
    assert response.status_code == 400
    assert message in response.text
    assert "no new batch can be recorded against it" in response.text
    assert rows(Batch) == 0


def test_an_expired_area_is_refused(farm, batch_data, area, rows, today):
    area.expires_on = today - timedelta(days=1)
    db.session.commit()
    assert "VN-TH-BLV-001 ·" not in farm.get("/trace/batches/new").text
    response = farm.post("/trace/batches/new", data=batch_data())
    assert response.status_code == 400
    expired = (today - timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"Code VN-TH-BLV-001 expired on {expired}" in response.text
    assert rows(Batch) == 0


def test_an_area_expiring_today_is_still_valid(farm, batch_data, area, today):
    area.expires_on = today
    db.session.commit()
    assert farm.post("/trace/batches/new", data=batch_data()).status_code == 302


def test_a_suspended_packing_house_is_refused(farm, batch_data, house, rows):
    house.status = CodeStatus.SUSPENDED
    db.session.commit()
    response = farm.post("/trace/batches/new", data=batch_data())
    assert response.status_code == 400
    assert "Code VN-TH-DG-007 is suspended by the authority" in response.text
    assert rows(Batch) == 0


def test_the_verb_refuses_an_invalid_area_too(product, area, farmer, today):
    """Whatever calls create_batch (a view, a script, the seeds), the rule holds."""
    area.status = CodeStatus.REVOKED
    db.session.commit()
    with pytest.raises(Refused) as refusal:
        create_batch(
            farmer.producer_id,
            product=product,
            lot="L1",
            quantity=1,
            quantity_unit="kg",
            today=today,
            growing_area=area,
        )
    assert refusal.value.field == "growing_area"


def test_the_verb_refuses_another_producers_area(
    product, make_growing_area, neighbour, farmer, today
):
    with pytest.raises(Refused):
        create_batch(
            farmer.producer_id,
            product=product,
            lot="L1",
            quantity=1,
            quantity_unit="kg",
            today=today,
            growing_area=make_growing_area(producer=neighbour),
        )


def test_another_producers_codes_and_products_cannot_be_used(
    farm, batch_data, make_growing_area, make_packing_house, make_product, neighbour, rows
):
    theirs = make_growing_area(producer=neighbour, code="VN-HANG-XOM")
    response = farm.post("/trace/batches/new", data=batch_data(growing_area=str(theirs.id)))
    assert response.status_code == 400
    assert "Choose one of your growing areas." in response.text
    assert "VN-HANG-XOM" not in response.text

    house = make_packing_house(producer=neighbour)
    response = farm.post("/trace/batches/new", data=batch_data(packing_house=str(house.id)))
    assert "Choose one of your packing houses." in response.text

    product = make_product(producer=neighbour, name="Chè lam")
    response = farm.post("/trace/batches/new", data=batch_data(product=str(product.id)))
    assert "Choose one of your products." in response.text
    assert rows(Batch) == 0


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "0", "1.5", "\x00"])
def test_garbage_ids_are_form_errors(farm, batch_data, rows, value):
    for field in ("product", "growing_area", "packing_house"):
        response = farm.post("/trace/batches/new", data=batch_data(**{field: value}))
        assert response.status_code == 400, field
    assert rows(Batch) == 0


def test_a_batch_without_growing_area_or_packing_house_is_allowed(farm, batch_data):
    data = batch_data(growing_area="", packing_house="")
    assert farm.post("/trace/batches/new", data=data).status_code == 302
    assert only_batch().growing_area_id is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"harvest_date": 1}, "The harvest date cannot be in the future."),
        ({"packing_date": 1, "harvest_date": 0}, "The packing date cannot be in the future."),
        ({"harvest_date": -1, "packing_date": -3}, "Packing cannot come before the harvest."),
        (
            {"packing_date": -1, "best_before": -2},
            "Best-before cannot come before the packing date.",
        ),
        ({"quantity": "0"}, "Enter a number from 1 to 10,000,000."),
        ({"quantity": ""}, "Enter the quantity."),
        ({"quantity_unit": ""}, "Say what the quantity counts, for example kg or hộp."),
        ({"harvest_date": "hôm qua"}, "Enter the date as day/month/year"),
    ],
)
def test_dates_and_quantities_that_make_no_sense_are_refused(
    farm, batch_data, rows, today, overrides, message
):
    values = {  # whole numbers are days from today
        key: (today + timedelta(days=value)).isoformat() if isinstance(value, int) else value
        for key, value in overrides.items()
    }
    response = farm.post("/trace/batches/new", data=batch_data(**values))
    assert response.status_code == 400
    assert message in response.text
    assert rows(Batch) == 0


def test_the_form_defaults_to_today_and_the_last_area_used(
    farm, farmer, product, make_growing_area, make_batch, today
):
    make_growing_area(producer=farmer.producer, code="A-FIRST")
    second = make_growing_area(producer=farmer.producer, code="B-LAST-USED")
    make_batch(product=product, growing_area=second)
    page = farm.get("/trace/batches/new").text
    assert f'<option selected value="{second.id}">' in page
    assert page.count(f'value="{today.isoformat()}"') == 2


def test_products_without_barcode_are_not_offered(farm, farmer, make_product):
    make_product(producer=farmer.producer, name="Tour trải nghiệm", gtin=None)
    page = farm.get("/trace/batches/new").text
    assert "Tour trải nghiệm" not in page


def test_batches_are_listed_newest_first_with_area_status_and_events(
    farm, product, area, make_batch
):
    make_batch(product=product, lot="OLD-1", growing_area=area, events=2)
    make_batch(product=product, lot="NEW-2", growing_area=area, events=3)
    area.status = CodeStatus.REVOKED
    db.session.commit()
    page = farm.get("/trace/batches").text
    assert page.index("NEW-2") < page.index("OLD-1")
    assert "3 events" in page and "2 events" in page
    assert "Revoked" in page
    assert page.count("Records intact") == 2


def test_another_producers_batches_are_not_listed(farm, make_batch, make_product, neighbour):
    make_batch(product=make_product(producer=neighbour), lot="NOT-MINE")
    assert "NOT-MINE" not in farm.get("/trace/batches").text
