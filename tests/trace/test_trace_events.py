"""Events on the farmer's batch page: short forms per type, corrections, warnings, the seal."""

import html
import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from shop.extensions import db
from shop.trace.events import verify_chain
from shop.trace.models import BatchEvent, EventType

pytestmark = pytest.mark.both_databases  # event times, NUL characters, a constant query count

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def batch(make_batch, product, area, today):
    return make_batch(
        product=product,
        growing_area=area,
        lot="BLV-01",
        harvest_date=today - timedelta(days=2),
        packing_date=today - timedelta(days=1),
        best_before=today + timedelta(days=30),
    )


def events_of(batch) -> list[BatchEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(BatchEvent).where(BatchEvent.batch_id == batch.id).order_by(BatchEvent.seq)
        )
    )


def event_data(day, **overrides) -> dict:
    data = {
        "day": day.isoformat(),
        "time": "07:30",
        "place": "Xã Xuân Minh, Thọ Xuân",
        "actor": "Lê Văn Bình",
        "notes": "",
    }
    data.update(overrides)
    return data


def post_multipart(client, url, data: dict, files: list[tuple[str, str, bytes]]):
    fields = MultiDict(data)
    for field, name, content in files:
        fields.add(field, FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_batch_page_offers_big_buttons_for_each_type(farm, batch):
    page = farm.get(f"/trace/batches/{batch.id}/events/new").text
    for kind in EventType:
        if kind in (EventType.RECALL, EventType.PARTNER_STEP):  # the recall page, EPCIS capture
            assert f"/events/new/{kind.value}" not in page
            continue
        assert f"/trace/batches/{batch.id}/events/new/{kind.value}" in page
        assert str(kind.label) in html.unescape(page)


def test_the_form_defaults_to_now_the_area_and_the_farmer(farm, batch, any_hour):
    page = farm.get(f"/trace/batches/{batch.id}/events/new/harvest").text
    now = any_hour.astimezone(HANOI)
    assert f'value="{now.date().isoformat()}"' in page
    assert f'value="{now:%H:%M}"' in page
    assert 'value="Xã Xuân Lập, Thanh Hóa"' in page  # the area's commune and province
    assert 'value="Lê Văn Bình"' in page
    assert 'value="kg"' in page


def test_a_harvest_is_recorded_with_its_local_time(farm, batch, farmer, any_hour, today):
    yesterday = today - timedelta(days=1)  # 07:30 yesterday is past at any hour of today
    data = event_data(yesterday, quantity="1.200", unit="kg", notes="Hái buổi sáng")
    response = farm.post(f"/trace/batches/{batch.id}/events/new/harvest", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/trace/batches/{batch.id}#event-1")
    (event,) = events_of(batch)
    assert event.type == EventType.HARVEST
    occurred = event.occurred_at.replace(tzinfo=event.occurred_at.tzinfo or UTC)
    assert occurred == datetime.combine(yesterday, time(7, 30), HANOI)
    assert event.timezone == "Asia/Ho_Chi_Minh"
    assert event.details == {"quantity": 1200, "unit": "kg"}
    assert event.recorded_by_id == farmer.id
    assert event.actor == "Lê Văn Bình"

    page = farm.get(f"/trace/batches/{batch.id}").text
    assert "Recorded as #1: Harvest." in page
    assert f"{yesterday:%d/%m/%Y} 07:30" in page
    assert "1,200 kg" in page and "Hái buổi sáng" in page


def test_this_morning_0730_is_accepted_once_it_has_passed_in_vietnam(farm, batch, any_hour, today):
    response = farm.post(f"/trace/batches/{batch.id}/events/new/harvest", data=event_data(today))
    passed = any_hour.astimezone(HANOI).time() >= time(7, 30)
    assert response.status_code == (302 if passed else 400)
    assert len(events_of(batch)) == (1 if passed else 0)
    if not passed:
        assert "The time cannot be in the future." in response.text


@pytest.mark.parametrize(
    ("kind", "fields", "details"),
    [
        ("planting", {"what": "Cây giống bưởi ghép"}, {"what": "Cây giống bưởi ghép"}),
        (
            "input_applied",
            {"input": "Phân hữu cơ vi sinh", "dose": "2 kg/gốc", "phi_days": "7"},
            {"input": "Phân hữu cơ vi sinh", "dose": "2 kg/gốc", "phi_days": 7},
        ),
        ("processing", {"what": "Sấy lạnh 48 giờ"}, {"what": "Sấy lạnh 48 giờ"}),
        ("packing", {"what": "Hộp 2 quả"}, {"what": "Hộp 2 quả"}),
        (
            "shipping",
            {"destination": "Siêu thị Thanh Hóa", "carrier": "Viettel Post"},
            {"destination": "Siêu thị Thanh Hóa", "carrier": "Viettel Post"},
        ),
        (
            "lab_test",
            {"lab": "Quatest 1", "test": "Dư lượng thuốc BVTV", "passed": "pass", "result": "Đạt"},
            {
                "lab": "Quatest 1",
                "test": "Dư lượng thuốc BVTV",
                "passed": True,
                "result": "Đạt",
                "report": None,
            },
        ),
    ],
)
def test_each_type_records_its_own_details(farm, batch, today, kind, fields, details):
    url = f"/trace/batches/{batch.id}/events/new/{kind}"
    response = farm.post(url, data=event_data(today - timedelta(days=10), **fields))
    assert response.status_code == 302, response.text
    (event,) = events_of(batch)
    assert event.type == EventType(kind)
    assert event.details == details


@pytest.mark.parametrize(
    ("kind", "missing", "message"),
    [
        ("input_applied", "input", "Say what was applied."),
        ("input_applied", "dose", "Enter the dose."),
        ("shipping", "destination", "Say where it was sent."),
        ("lab_test", "passed", "Choose passed or failed."),
        ("packing", "what", "Say in a few words what was done."),
        ("harvest", "day", "Enter the date."),
        ("harvest", "time", "Enter the time."),
    ],
)
def test_a_missing_fact_is_asked_for(farm, batch, today, kind, missing, message):
    data = event_data(
        today,
        input="Ure",
        dose="1 kg",
        destination="Hà Nội",
        lab="Lab",
        test="Test",
        passed="pass",
        what="x",
    )
    data[missing] = ""
    response = farm.post(f"/trace/batches/{batch.id}/events/new/{kind}", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert events_of(batch) == []


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("time", "25:99", "Enter the time as hours:minutes, for example 07:30."),
        ("time", "bảy giờ", "Enter the time as hours:minutes, for example 07:30."),
        ("day", "32/13/2024", "Enter the date as day/month/year"),
        ("phi_days", "-3", "This cannot be negative."),
        ("phi_days", "999", "Enter a number from 0 to 365."),
        ("notes", "x" * 2001, "Field cannot be longer than 2000 characters."),
    ],
)
def test_bad_values_are_explained_and_kept(farm, batch, today, field, typed, message):
    data = event_data(today, input="Ure", dose="1 kg", phi_days="7", notes="ghi chú")
    data[field] = typed
    response = farm.post(f"/trace/batches/{batch.id}/events/new/input_applied", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Ure"' in response.text
    assert events_of(batch) == []


def test_an_event_in_the_future_is_refused(farm, batch, any_hour, today):
    url = f"/trace/batches/{batch.id}/events/new/harvest"
    response = farm.post(url, data=event_data(today + timedelta(days=1)))
    assert response.status_code == 400
    assert "The time cannot be in the future." in response.text
    for ahead in (timedelta(hours=2), timedelta(minutes=6)):  # past the 5 minutes' grace
        later = (any_hour + ahead).astimezone(HANOI)
        response = farm.post(url, data=event_data(later.date(), time=f"{later:%H:%M}"))
        assert response.status_code == 400
    assert events_of(batch) == []
    now = any_hour.astimezone(HANOI)
    response = farm.post(url, data=event_data(now.date(), time=f"{now:%H:%M}"))
    assert response.status_code == 302


def test_an_event_long_before_planting_is_allowed(farm, make_batch, product, today):
    batch = make_batch(product=product, events=1)  # planted 2026-03-01
    url = f"/trace/batches/{batch.id}/events/new/input_applied"
    data = event_data(today.replace(year=2020), input="Vôi bột", dose="50 kg/ha")
    assert farm.post(url, data=data).status_code == 302
    assert len(events_of(batch)) == 2


def test_a_harvest_before_the_pre_harvest_interval_ended_is_kept_with_a_warning(farm, batch, today):
    url = f"/trace/batches/{batch.id}/events/new/input_applied"
    applied = today - timedelta(days=5)  # harvest (batch) was 2 days ago: 3 days after
    data = event_data(applied, input="Thuốc trừ sâu Abamectin", dose="10 ml/bình", phi_days="7")
    response = farm.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Warning: harvested 4 days before the pre-harvest interval of Thuốc trừ sâu" in page
    assert "harvested 4 days before the pre-harvest interval ended" in page
    assert len(events_of(batch)) == 1  # recorded truthfully, not refused

    page = html.unescape(farm.get(f"/trace/batches/{batch.id}").text)
    assert "Pre-harvest interval not respected" in page
    assert "Harvested 4 days before the pre-harvest interval ended." in page


def test_a_harvest_event_inside_the_interval_warns_too(farm, make_batch, product, today):
    batch = make_batch(product=product, harvest_date=None, packing_date=None, best_before=None)
    base = f"/trace/batches/{batch.id}/events/new"
    sprayed = event_data(today - timedelta(days=3), input="Ridomil", dose="25 g", phi_days="10")
    assert farm.post(f"{base}/input_applied", data=sprayed).status_code == 302
    assert "Pre-harvest interval" not in farm.get(f"/trace/batches/{batch.id}").text

    response = farm.post(f"{base}/harvest", data=event_data(today), follow_redirects=True)
    assert "Warning: harvested 7 days before the pre-harvest interval" in html.unescape(
        response.text
    )


def test_a_harvest_after_the_interval_gives_no_warning(farm, batch, today):
    url = f"/trace/batches/{batch.id}/events/new/input_applied"
    data = event_data(today - timedelta(days=20), input="Ure", dose="1 kg", phi_days="7")
    response = farm.post(url, data=data, follow_redirects=True)
    assert "Recorded as #1" in response.text
    assert "Warning: harvested" not in response.text
    assert "Pre-harvest interval not respected" not in response.text


def test_photos_are_stored_and_shown(app, farm, batch, today, jpeg):
    url = f"/trace/batches/{batch.id}/events/new/harvest"
    response = post_multipart(
        farm, url, event_data(today), [("photos", "a.jpg", jpeg()), ("photos", "b.jpg", jpeg(64))]
    )
    assert response.status_code == 302
    (event,) = events_of(batch)
    assert len(event.attachments) == 2
    assert all(name.endswith(".jpg") for name in event.attachments)
    page = farm.get(f"/trace/batches/{batch.id}").text
    for name in event.attachments:
        assert f"/media/{name}" in page


def test_at_most_four_photos(farm, batch, today, jpeg):
    url = f"/trace/batches/{batch.id}/events/new/harvest"
    files = [("photos", f"{i}.jpg", jpeg(32 + i)) for i in range(5)]
    response = post_multipart(farm, url, event_data(today), files)
    assert response.status_code == 400
    assert "At most 4 photos per event." in response.text
    assert events_of(batch) == []


def test_a_file_that_is_not_a_photo_is_refused(farm, batch, today):
    url = f"/trace/batches/{batch.id}/events/new/harvest"
    response = post_multipart(farm, url, event_data(today), [("photos", "x.jpg", b"GIF89a no")])
    assert response.status_code == 400
    assert "x.jpg:" in response.text
    assert events_of(batch) == []


def test_a_photo_uploaded_with_a_mistake_elsewhere_is_not_lost(farm, batch, today, jpeg):
    url = f"/trace/batches/{batch.id}/events/new/shipping"
    first = post_multipart(
        farm, url, event_data(today, destination=""), [("photos", "a.jpg", jpeg())]
    )
    assert first.status_code == 400
    kept = html.unescape(first.text).split('name="kept" type="hidden" value="')[1].split('"')[0]
    response = farm.post(url, data=event_data(today, destination="Hà Nội", kept=kept))
    assert response.status_code == 302
    (event,) = events_of(batch)
    assert len(event.attachments) == 1


def test_a_forged_kept_list_is_ignored(farm, batch, today):
    url = f"/trace/batches/{batch.id}/events/new/harvest"
    response = farm.post(url, data=event_data(today, kept="W10.forged"))
    assert response.status_code == 302
    assert events_of(batch)[0].attachments == []


def test_an_unknown_event_type_is_not_found(farm, batch, today):
    for kind in ("eating", "HARVEST", "harvest%00", "ﬁ"):
        assert farm.get(f"/trace/batches/{batch.id}/events/new/{kind}").status_code == 404
        assert farm.post(f"/trace/batches/{batch.id}/events/new/{kind}").status_code == 404


# Corrections ---------------------------------------------------------------------------------


def test_a_correction_is_a_new_event_and_the_original_stays_visible(farm, make_batch, product):
    batch = make_batch(product=product, events=2)  # #1 planting, #2 harvest
    wrong = events_of(batch)[1]
    url = f"/trace/batches/{batch.id}/events/{wrong.id}/correct"

    form = farm.get(url).text
    assert "Correct record #2" in form
    assert 'value="Ghi chép số 2"' not in form  # notes are a textarea
    assert "Ghi chép số 2" in form
    assert 'value="Nguyễn Văn An"' in form

    data = {
        "day": "2026-04-02",
        "time": "08:00",
        "place": "Xã Xuân Minh, Thọ Xuân",
        "actor": "Nguyễn Văn An",
        "notes": "Ngày thu hoạch đúng là 02/04",
        "quantity": "",
        "unit": "kg",
    }
    response = farm.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#event-3")

    events = events_of(batch)
    assert len(events) == 3
    original, fix = events[1], events[2]
    assert original.notes == "Ghi chép số 2"  # never updated
    assert fix.corrects_id == original.id
    assert fix.type == EventType.HARVEST
    assert verify_chain(events).intact

    page = farm.get(f"/trace/batches/{batch.id}").text
    assert "is-corrected" in page
    assert 'Corrected by <a href="#event-3">#3</a>' in page
    assert 'Corrects <a href="#event-2">#2</a>' in page
    assert "Ghi chép số 2" in page and "Ngày thu hoạch đúng là 02/04" in page


def test_an_event_already_corrected_is_not_corrected_twice(farm, make_batch, product):
    batch = make_batch(product=product, events=2)
    wrong = events_of(batch)[1]
    url = f"/trace/batches/{batch.id}/events/{wrong.id}/correct"
    data = {"day": "2026-04-02", "time": "08:00", "notes": "sửa"}
    assert farm.post(url, data=data).status_code == 302
    again = farm.post(url, data=data)
    assert again.status_code == 302
    assert len(events_of(batch)) == 3
    page = farm.get(again.headers["Location"]).text
    assert "This record was already corrected" in page


def test_there_is_no_way_to_edit_or_delete_an_event(farm, make_batch, product):
    batch = make_batch(product=product, events=1)
    event = events_of(batch)[0]
    for path in (
        f"/trace/batches/{batch.id}/events/{event.id}",
        f"/trace/batches/{batch.id}/events/{event.id}/edit",
        f"/trace/batches/{batch.id}/events/{event.id}/delete",
    ):
        assert farm.post(path).status_code in (404, 405)
        assert farm.delete(path).status_code in (404, 405)
    assert events_of(batch)[0].notes == "Ghi chép số 1"


def test_a_correction_of_a_lab_test_keeps_its_report(farm, make_batch, product, today):
    batch = make_batch(product=product)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    url = f"/trace/batches/{batch.id}/events/new/lab_test"
    data = event_data(today, lab="Quatest 1", test="Vi sinh", passed="pass")
    assert post_multipart(farm, url, data, [("report", "kq.pdf", pdf)]).status_code == 302
    original = events_of(batch)[0]

    url = f"/trace/batches/{batch.id}/events/{original.id}/correct"
    form = farm.get(url).text
    kept = html.unescape(form).split('name="kept" type="hidden" value="')[1].split('"')[0]
    data = event_data(today, lab="Quatest 1", test="Vi sinh", passed="fail", kept=kept)
    assert farm.post(url, data=data).status_code == 302
    fix = events_of(batch)[1]
    assert fix.details["passed"] is False
    assert fix.details["report"] == original.details["report"]
    assert fix.attachments == original.attachments


# The seal --------------------------------------------------------------------------------------


def test_a_record_altered_in_the_database_is_shown_on_the_batch_page(farm, make_batch, product):
    batch = make_batch(product=product, events=3)
    target = events_of(batch)[1]
    page = farm.get(f"/trace/batches/{batch.id}").text
    assert "Records intact." in page and "Record altered" not in page

    db.session.execute(
        text("UPDATE batch_events SET notes = 'Không phun thuốc' WHERE id = :id"),
        {"id": target.id},
    )
    db.session.commit()

    page = farm.get(f"/trace/batches/{batch.id}").text
    assert "Record altered!" in page
    assert page.count("Record altered: this record was changed after it was recorded.") == 1
    altered = page.split('id="event-2"')[1].split("</li>")[0]
    assert altered.startswith(' class="trace-event trace-event-harvest is-altered"')
    assert "Record altered: this record" in altered
    assert "Records intact." not in page
    assert "Record altered" in farm.get("/trace/batches").text


def test_the_batch_page_costs_the_same_queries_with_2_or_12_events(
    farm, make_batch, product, count_queries
):
    few = f"/trace/batches/{make_batch(product=product, events=2).id}"
    many = f"/trace/batches/{make_batch(product=product, events=12).id}"
    farm.get(few)  # warm up: the logged-in user is loaded once per test client session
    with count_queries() as queries_few:
        assert farm.get(few).status_code == 200
    with count_queries() as queries_many:
        assert farm.get(many).status_code == 200
    assert len(queries_few) == len(queries_many)
    assert len(queries_many) <= 4


def test_the_batch_page_links_to_labels_and_the_public_page_when_they_exist(
    app, farm, make_batch, product
):
    batch = make_batch(product=product)
    page = farm.get(f"/trace/batches/{batch.id}").text
    has_labels = "labels.batch_labels" in app.view_functions
    has_scan = "scan.batch" in app.view_functions
    assert ("Print labels" in page) == has_labels
    assert ("View public page" in page) == has_scan
    if has_scan:
        assert f"/01/{product.gtin}/10/{batch.lot}" in page


def test_a_correction_can_drop_a_wrong_photo(farm, batch, today, jpeg):
    url = f"/trace/batches/{batch.id}/events/new/harvest"
    files = [("photos", "right.jpg", jpeg(100)), ("photos", "wrong.jpg", jpeg(120))]
    assert post_multipart(farm, url, event_data(today), files).status_code == 302
    original = events_of(batch)[0]
    right, wrong = original.attachments

    url = f"/trace/batches/{batch.id}/events/{original.id}/correct"
    form = html.unescape(farm.get(url).text)
    assert f'name="drop" value="{wrong}"' in form
    kept = form.split('name="kept" type="hidden" value="')[1].split('"')[0]
    data = MultiDict(event_data(today, kept=kept, notes="Ảnh thứ hai nhầm lô"))
    data.add("drop", wrong)
    assert farm.post(url, data=data).status_code == 302
    fix = events_of(batch)[1]
    assert fix.attachments == [right]
    assert events_of(batch)[0].attachments == [right, wrong]  # the original is untouched


def test_nul_characters_never_reach_the_database(farm, batch, today):
    url = f"/trace/batches/{batch.id}/events/new/shipping"
    data = event_data(today, destination="Hà\x00 Nội", notes="ghi\x00chú", actor="\x00An")
    assert farm.post(url, data=data).status_code == 302
    (event,) = events_of(batch)
    assert (event.details["destination"], event.notes, event.actor) == ("Hà Nội", "ghichú", "An")


def test_the_pages_render_in_vietnamese_the_default_language(
    vi_client, farmer, make_batch, product
):
    batch = make_batch(product=product, events=3)
    with vi_client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(farmer.id), True
    for path in (
        "/trace/batches",
        "/trace/batches/new",
        "/trace/areas",
        "/trace/areas/new",
        "/trace/packing-houses/new",
        f"/trace/batches/{batch.id}",
        f"/trace/batches/{batch.id}/events/new",
        f"/trace/batches/{batch.id}/events/new/lab_test",
    ):
        response = vi_client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="vi">' in response.text
