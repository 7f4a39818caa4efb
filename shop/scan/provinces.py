"""Vietnam's 34 provincial-level units since the merger of 1 July 2025 (Resolution 202/2025/QH15).

A consumer who scans a label may, if they choose, tell us their province; only these names are
stored, so the staff's "scans by province" chart groups cleanly. The six centrally-run cities
first, then the 28 provinces in alphabetical order (as folded, without diacritics).
"""

CITIES: tuple[str, ...] = (
    "Hà Nội",
    "Huế",
    "Hải Phòng",
    "Đà Nẵng",
    "Thành phố Hồ Chí Minh",
    "Cần Thơ",
)

PROVINCES_ONLY: tuple[str, ...] = (
    "An Giang",
    "Bắc Ninh",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Tĩnh",
    "Hưng Yên",
    "Khánh Hòa",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Nghệ An",
    "Ninh Bình",
    "Phú Thọ",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sơn La",
    "Tây Ninh",
    "Thái Nguyên",
    "Thanh Hóa",
    "Tuyên Quang",
    "Vĩnh Long",
)

PROVINCES: tuple[str, ...] = CITIES + PROVINCES_ONLY
