"""The demo data files themselves: consistent keys, plausible values, Vietnamese text."""

import json
import re
from collections import Counter
from datetime import date

from seeds.data import place
from seeds.loader import ISSUERS, read
from shop.catalogue import gtin as gtin_rules
from shop.catalogue.models import OcopGroup, QuantityUnit
from shop.places.former import MAPPING_FILE
from shop.producers.models import ApprovalStatus

SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text))


def test_natural_keys_are_unique():
    for name, key in (
        ("producers", "slug"),
        ("products", "slug"),
        ("products", "gtin"),
        ("accounts", "email"),
    ):
        values = [row[key] for row in read(name) if row[key]]
        duplicates = [v for v, n in Counter(values).items() if n > 1]
        assert not duplicates, f"{name}.{key}: {duplicates}"


def test_every_product_belongs_to_a_producer_of_the_data():
    slugs = {p["slug"] for p in read("producers")}
    assert {p["producer"] for p in read("products")} <= slugs
    assert {a["producer"] for a in read("accounts") if a["producer"]} <= slugs


def test_producers_are_in_communes_of_thanh_hoa_and_their_old_districts_are_known():
    old_districts = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))["districts"]
    for producer in read("producers"):
        province, commune = place(producer)
        assert (province.code, commune.province_code) == (38, 38), producer["slug"]
        assert producer["district"] in old_districts, producer["slug"]
        assert producer["phone"].startswith("09") and len(producer["phone"]) == 10
    approved = {p["district"] for p in read("producers") if p["status"] == "approved"}
    assert len(approved) >= 6


def test_stories_and_descriptions_have_two_to_four_sentences():
    for producer in read("producers"):
        assert 2 <= sentences(producer["story"]) <= 4, producer["slug"]
    for product in read("products"):
        assert 2 <= sentences(product["description"]) <= 4, product["slug"]


def test_products_use_the_shops_vocabulary():
    for product in read("products"):
        OcopGroup(product["ocop_group"])
        ApprovalStatus(product["status"])
        if product["net_quantity_unit"]:
            QuantityUnit(product["net_quantity_unit"])
        assert isinstance(product["price_vnd"], int) and product["price_vnd"] >= 1000
        assert 1 <= product["photos"] <= 3
        if product["gtin"]:
            assert len(product["gtin"]) == 13 and product["gtin"].startswith("893")
            assert gtin_rules.check_digit(product["gtin"][:-1]) == int(product["gtin"][-1])


def test_certificates_are_dated_in_the_past_with_a_score_matching_the_stars():
    for product in read("products"):
        for cert in product["certificates"]:
            assert cert["stars"] in ISSUERS
            assert date.fromisoformat(cert["decision_date"]) < date(2026, 11, 21)
            low, high = {3: (50, 69), 4: (70, 89), 5: (90, 100)}[cert["stars"]]
            assert low <= cert["score"] <= high, (product["slug"], cert)
