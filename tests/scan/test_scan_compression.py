"""GS1 Digital Link compression: GS1's own toolkit's outputs decode to what the toolkit reads."""

import json
from pathlib import Path

import pytest

from shop.scan.compression import NotCompressed, decompress
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


def test_a_numeric_lot_keeps_its_leading_zeros():
    # 0B (01 + 10): GTIN 08931234567897, then lot "0042" in the all-digits encoding
    bits = "00001011" + f"{8931234567897:047b}" + "000" + "00100" + f"{42:014b}"
    bits += "0" * (-len(bits) % 6)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    segment = "".join(alphabet[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))

    assert decompress(segment) == ({"01": "08931234567897", "10": "0042"}, {})


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
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    bits = "00000001" + f"{8931234567890:047b}"  # check digit 0 instead of 7
    bits += "0" * (-len(bits) % 6)
    segment = "".join(alphabet[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))

    with pytest.raises(SyntaxProblem):
        from_compressed(segment)
