"""The places directory: the 2025 units from vietnam-provinces, found by code or by name."""

import json

import pytest

from shop.places import directory
from shop.places.directory import find_communes, find_province
from shop.places.former import MAPPING_FILE, new_commune


def test_34_provinces_and_3321_communes_thanh_hoa_has_166():
    assert len(directory.provinces()) == 34
    assert sum(len(directory.communes_of(p.code)) for p in directory.provinces()) == 3321
    assert len(directory.communes_of(38)) == 166
    assert directory.province(38).name == "Thanh Hóa"
    assert directory.commune(15520).name == "Xã Xuân Hòa"


def test_provinces_are_in_reading_order_with_cities_under_their_own_name():
    names = [p.name for p in directory.provinces()]
    assert names.index("Thành phố Hà Nội") < names.index("Hà Tĩnh") < names.index("Thanh Hóa")
    assert names[0] == "An Giang" and names[-1] == "Vĩnh Long"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("38", 38),
        ("038", 38),
        ("Thanh Hóa", 38),
        ("thanh hoa", 38),
        ("Tỉnh Thanh Hóa", 38),
        ("Hà Nội", 1),
        ("TP. Hồ Chí Minh", None),  # not a name we can be sure of
        ("Thành phố Hồ Chí Minh", 79),
        ("Huế", 46),
        ("Hà Giang", None),  # merged into Tuyên Quang
        ("99", None),
        ("Thanh Hóa\x00", None),
        ("", None),
    ],
)
def test_a_province_is_found_by_code_or_by_name(typed, code):
    found = find_province(typed)
    assert (found.code if found else None) == code


def test_a_commune_is_found_within_its_province_by_code_or_name():
    assert [c.code for c in find_communes("15520")] == [15520]
    assert [c.code for c in find_communes("xuan hoa", 38)] == [15520]
    assert [c.code for c in find_communes("Xã Xuân Hòa", 38)] == [15520]
    assert find_communes("15520", 40) == []  # a code of another province
    assert len(find_communes("Xã Hưng Đạo")) > 1  # the same name in several provinces
    assert find_communes("Xã Thọ Diên", 38) == []  # a commune that no longer exists


def test_the_names_are_unicode_nfc_like_everything_the_shop_stores():
    import unicodedata

    for province in directory.provinces():
        for commune in directory.communes_of(province.code):
            assert unicodedata.is_normalized("NFC", commune.name)


def test_every_old_commune_of_the_mapping_lands_in_a_commune_of_thanh_hoa():
    data = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    assert data["province_code"] == 38
    targets = {code for communes in data["districts"].values() for code in communes.values()}
    assert all(directory.commune(code).province_code == 38 for code in targets)
    assert len(targets) >= 60


@pytest.mark.parametrize(
    ("district", "old", "new"),
    [
        ("Thọ Xuân", "Xã Thọ Diên", "Xã Xuân Hòa"),  # bánh gai Tứ Trụ
        ("Huyện Thọ Xuân", "xã Thọ Xương", "Xã Lam Sơn"),
        ("Nghi Sơn", "Phường Hải Thanh", "Phường Tĩnh Gia"),
        ("Đông Sơn", "Thị trấn Rừng Thông", "Phường Đông Sơn"),
        ("Như Xuân", "Xã Xuân Hòa", "Xã Xuân Bình"),  # not Thọ Xuân's Xuân Hòa
        ("", "Xã Vạn Xuân", "Xã Vạn Xuân"),  # a commune that kept its name
        ("Cẩm Thủy", "Xã Cẩm Ngọc", None),  # a district the mapping does not cover
        ("Thọ Xuân", "", None),  # never a guess from the district alone
    ],
)
def test_old_places_map_to_their_new_commune(district, old, new):
    found = new_commune(district, old, "Thanh Hóa")
    assert (found.name if found else None) == new
