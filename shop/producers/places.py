"""The places a producer can be in: the province this instance serves and its districts.

One list, imported by the sign-up form, the producer profile and the catalogue's district
filter, so the same spelling is stored and searched everywhere. Values are stored as shown
(proper names, not translated). The province city is spelt out so it is not mistaken for the
province of the same name.
"""

PROVINCE = "Thanh Hóa"

# Cities and towns first, then the rural districts, as the provincial directory lists them.
DISTRICTS: tuple[str, ...] = (
    "Thành phố Thanh Hóa",
    "Sầm Sơn",
    "Bỉm Sơn",
    "Nghi Sơn",
    "Hoằng Hóa",
    "Hậu Lộc",
    "Nga Sơn",
    "Hà Trung",
    "Vĩnh Lộc",
    "Thạch Thành",
    "Cẩm Thủy",
    "Ngọc Lặc",
    "Lang Chánh",
    "Bá Thước",
    "Quan Hóa",
    "Quan Sơn",
    "Mường Lát",
    "Thường Xuân",
    "Như Xuân",
    "Như Thanh",
    "Nông Cống",
    "Đông Sơn",
    "Thiệu Hóa",
    "Yên Định",
    "Thọ Xuân",
    "Triệu Sơn",
    "Quảng Xương",
)


def district_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for a WTForms SelectField."""
    return [(name, name) for name in DISTRICTS]
