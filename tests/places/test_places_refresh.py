"""`flask refresh-places`: stored names follow the package when it renames a unit."""

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.scan.models import Scan
from shop.trace.models import GrowingArea

pytestmark = pytest.mark.both_databases  # stored names updated in bulk


def test_names_stored_from_an_older_release_are_renamed(
    runner, make_producer, make_growing_area, make_batch
):
    # vietnam-provinces 2025.8.1 spelt this ward "Phường Đào Duy Tư"; 2025.10.1 "Đào Duy Từ".
    producer = make_producer(
        name="HTX Hải sản", commune="Phường Đào Duy Tư", commune_code=16609, district="Tĩnh Gia"
    )
    area = make_growing_area(producer=producer, province="Tỉnh Thanh Hoá")  # an old spelling
    batch = make_batch()
    db.session.add(Scan(batch_id=batch.id, province="Hà Nội", province_code=1))
    untouched = make_producer(commune="Xã Không Mã", commune_code=None, province_code=None)
    gone = make_producer(commune="Xã Đã Xóa", commune_code=99_999)
    db.session.commit()

    result = runner.invoke(args=["refresh-places"])

    assert result.exit_code == 0, result.output
    assert "3 row(s) renamed" in result.output
    assert "99999" in result.output  # reported, left alone
    db.session.expire_all()
    assert db.session.get(type(producer), producer.id).commune == "Phường Đào Duy Từ"
    assert "dao duy tu" in db.session.get(type(producer), producer.id).search_text
    assert db.session.get(GrowingArea, area.id).province == "Thanh Hóa"
    assert db.session.scalar(select(Scan.province)) == "Thành phố Hà Nội"
    assert db.session.get(type(untouched), untouched.id).commune == "Xã Không Mã"
    assert db.session.get(type(gone), gone.id).commune == "Xã Đã Xóa"

    again = runner.invoke(args=["refresh-places"])
    assert "0 row(s) renamed" in again.output
