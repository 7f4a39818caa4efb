"""GS1 Digital Link compression: GS1's own toolkit's outputs decode to what the toolkit reads."""

import json
from pathlib import Path

import pytest

from shop.scan.compression import BASE64, NotCompressed, decompress
from shop.scan.digital_link import SyntaxProblem, from_compressed

VECTORS = json.loads(
    (Path(__file__).parent.parent / "data/gs1/dl-compression-vectors.json").read_text()
)
STEM = VECTORS["uriStem"]


def uncompressed_of(vector) -> str:
    """Decode the vector's compressed URI the way the resolver does, back to a full URI."""
    path, _q, query = vector["compressed"].removeprefix(STEM).partition("?")
    segments = path.strip("/").split("/")
    gtin = segments[1] if len(segments) == 3 else None
    link = from_compressed(segments[-1], gtin)
    pairs = "&".join(part for part in (link.query, query) if part)
    return STEM + link.path + (f"?{pairs}" if pairs else "")


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["compressed"][24:])
def test_every_toolkit_vector_decompresses_to_the_toolkits_uncompressed_uri(vector):
    assert uncompressed_of(vector) == vector["uncompressed"]


def test_the_vectors_cover_optimised_plain_partial_and_compressed_other_keys():
    vectors = VECTORS["vectors"]
    assert len(vectors) >= 40
    assert any(v["optimised"] for v in vectors) and any(not v["optimised"] for v in vectors)
    assert any(v.get("uncompressedPrimary") for v in vectors)
    assert any(v.get("otherKeysCompressed") for v in vectors)


GTIN_BITS = "00000001" + f"{8931234567897:047b}"  # AI 01 as two 4-bit digits, then 47 bits


def segment(bits: str) -> str:
    """Bits as a URI-safe base64 segment, zero-padded as the standard writes it."""
    bits += "0" * (-len(bits) % 6)
    return "".join(BASE64[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))


def test_a_numeric_lot_keeps_its_leading_zeros():
    # 0B (01 + 10): GTIN 08931234567897, then lot "0042" in the all-digits encoding
    bits = "00001011" + f"{8931234567897:047b}" + "000" + "00100" + f"{42:014b}"

    assert decompress(segment(bits)) == ({"01": "08931234567897", "10": "0042"}, {})


def test_a_variable_length_number_and_a_three_digit_ai():
    # AI 30 (count, up to 8 digits): 4 length bits, then the digits; AI 242 (up to 6)
    bits = GTIN_BITS + "0011" + "0000" + "0011" + f"{7:010b}"
    bits += "0010" + "0100" + "0010" + "101" + f"{12345:017b}"

    assert decompress(segment(bits)) == ({"01": "08931234567897", "30": "007", "242": "12345"}, {})


@pytest.mark.parametrize(
    "bits",
    [
        GTIN_BITS + "00100000" + f"{127:07b}",  # AI 20 holds 2 digits: 127 is not one
        GTIN_BITS + "00010000" + "101" + "00001" + "0" * 7,  # encoding 5 does not exist
        GTIN_BITS + "00010000" + "011" + "11001" + "0" * 150,  # a lot of 25 characters
        GTIN_BITS + "0011" + "0001" + "1010" + "0000",  # AI 31 followed by the nibble A
        "1111" + "0000" + "001" + f"{BASE64.index('k'):06b}" + "011" + "0000001" + "000000",
    ],
    ids=["digits", "encoding", "length", "ai-digit", "no-ai"],
)
def test_values_that_break_the_format_are_not_compressed(bits):
    with pytest.raises(NotCompressed):
        decompress(segment(bits))


@pytest.mark.parametrize(
    "segment",
    [
        "checkout",  # a word: no AI starts with its bits
        "AAAAAAAAAA",  # runs out of bits in the middle of a GTIN
        "__________",
        "about-us-page",
        "ARA-7iCtsg_",  # a GTIN, then padding that is not zeros
        "ARA-7iCts",  # truncated
        "a+b",  # not URI-safe base64
        "",
    ],
)
def test_what_does_not_decode_is_not_compressed(segment):
    with pytest.raises(NotCompressed):
        decompress(segment)


def test_a_decoded_bad_check_digit_is_a_syntax_error():
    bits = "00000001" + f"{8931234567890:047b}"  # check digit 0 instead of 7

    with pytest.raises(SyntaxProblem):
        from_compressed(segment(bits))


def test_a_gtin_given_twice_or_not_at_all_is_not_a_compressed_link():
    with pytest.raises(NotCompressed):
        from_compressed(segment(GTIN_BITS), "08931234567897")
    with pytest.raises(NotCompressed):
        from_compressed("EGMtXUhaSu0NNNNNVw")  # 10 and 21 without 01
