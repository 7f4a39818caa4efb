"""GS1 check digits, the canonical 14-digit GTIN, and Vietnamese text folding."""

import pytest

from shop.catalogue import gtin
from shop.text import fold, slugify


@pytest.mark.parametrize(
    "code",
    ["8931234567897", "08931234567897", "96385074", "036000291452", "4006381333931"],
)
def test_valid_gtins(code):
    assert gtin.is_valid(code)


@pytest.mark.parametrize(
    "code",
    [
        "8931234567890",  # wrong check digit
        "893123456789",  # 12 digits, wrong check digit
        "89312345678970",  # 14 digits, wrong
        "893123456789a",
        "１２３４５６７８",  # full-width digits are not ASCII
        "",
        "1234567",  # 7 digits: no such GTIN
        "123456789012345",
    ],
)
def test_invalid_gtins(code):
    assert not gtin.is_valid(code)


def test_spec_example_canonical_form():
    assert gtin.canonical("8931234567897") == "08931234567897"
    assert gtin.canonical(" 08931234567897 ") == "08931234567897"
    assert gtin.canonical("96385074") == "00000096385074"


def test_canonical_rejects_bad_check_digit():
    with pytest.raises(ValueError):
        gtin.canonical("8931234567890")


def test_check_digit_of_the_spec_example():
    assert gtin.check_digit("893123456789") == 7


def test_display_drops_the_padding():
    assert gtin.display("08931234567897") == "8931234567897"
    assert gtin.display("00000096385074") == "96385074"
    assert gtin.display("00036000291452") == "036000291452"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nước mắm Ba Làng", "nuoc mam ba lang"),
        ("NƯỚC MẮM", "nuoc mam"),
        ("nươc mam", "nuoc mam"),
        ("Đậu đen xanh lòng", "dau den xanh long"),
        ("Chè lam – Phủ Quảng (500g)", "che lam phu quang 500g"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_handles_decomposed_unicode():
    decomposed = "Nu\u031bo\u031b\u0301c"  # "Nước" typed with combining marks
    assert fold(decomposed) == "nuoc"


def test_slugify():
    assert slugify("Chè lam Phủ Quảng") == "che-lam-phu-quang"
    assert slugify("!!!") == "item"
