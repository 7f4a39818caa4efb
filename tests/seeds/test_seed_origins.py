"""The origin data files: codes, recipes and lots that fit together before anything is loaded."""

import re
from collections import Counter
from datetime import date

from seeds.data import REFERENCE_DATE, place, read
from seeds.reports import lab_report_pdf
from shop.trace.models import CodeStatus, EventType, GapScheme, normalise_code

LOT = re.compile(r"^[A-Z0-9-]{1,20}$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def codes(kind: str) -> dict[str, dict]:
    return {normalise_code(row["code"]): row for row in read("origins")[kind]}


def listed_physical_products() -> list[dict]:
    approved = {p["slug"] for p in read("producers") if p["status"] == "approved"}
    return [
        p
        for p in read("products")
        if p["status"] == "approved" and p["producer"] in approved and p["ocop_group"] != "tourism"
    ]


def test_codes_are_unique_and_belong_to_approved_producers_in_known_districts():
    approved = {p["slug"] for p in read("producers") if p["status"] == "approved"}
    for kind in ("growing_areas", "packing_houses"):
        rows = read("origins")[kind]
        normalised = Counter(normalise_code(row["code"]) for row in rows)
        assert not [code for code, n in normalised.items() if n > 1], kind
        for row in rows:
            assert row["code"] == normalise_code(row["code"]), "stored as issued"
            assert row["producer"] in approved and row["district"]
            assert place(row)[1].province_code == 38
            CodeStatus(row.get("status", "active"))
    for row in read("origins")["growing_areas"]:
        assert isinstance(row["area_m2"], int) and row["area_m2"] > 0
        if row["gap_scheme"]:
            GapScheme(row["gap_scheme"])


def test_every_listed_physical_product_has_lots_and_no_other_product_does():
    entries = {e["product"]: e for e in read("batches")["products"]}
    physical = {p["slug"] for p in listed_physical_products()}
    assert set(entries) == physical
    for slug in physical:
        lots = [b["lot"] for b in entries[slug]["batches"]]
        assert len(lots) >= 2 and len(set(lots)) == len(lots), slug
        assert all(LOT.match(lot) for lot in lots), lots


def test_lots_point_at_codes_of_their_own_producer_and_dates_in_order():
    producer_of = {p["slug"]: p["producer"] for p in read("products")}
    areas, houses = codes("growing_areas"), codes("packing_houses")
    for entry in read("batches")["products"]:
        for lot in entry["batches"]:
            if "area" in lot:
                assert areas[lot["area"]]["producer"] == producer_of[entry["product"]], lot
            if "house" in lot:
                assert houses[lot["house"]]["producer"] == producer_of[entry["product"]], lot
            packing = date.fromisoformat(lot["packing"])
            assert packing < REFERENCE_DATE
            if "harvest" in lot:
                assert date.fromisoformat(lot["harvest"]) <= packing
            assert isinstance(lot["quantity"], int) and lot["quantity"] > 0


def test_recipes_use_the_event_types_and_the_placeholders_their_lots_provide():
    data = read("batches")
    fixed = {"lot", "quantity", "unit", "warehouse", "farm", "area", "house", "report"}
    used = set()
    for entry in data["products"]:
        recipe = data["recipes"][entry["recipe"]]
        used.add(entry["recipe"])
        for lot in entry["batches"]:
            names = fixed | set(entry.get("vars", {})) | set(lot.get("vars", {}))
            for step in recipe:
                EventType(step["type"])
                assert step["from"] in ("harvest", "packing")
                assert step["from"] == "packing" or "harvest" in lot, (lot["lot"], step)
                text = f"{step['place']} {step['actor']} {step['notes']} {step['details']}"
                missing = set(PLACEHOLDER.findall(text)) - names
                assert not missing, (lot["lot"], missing)
    assert used == set(data["recipes"]), "every recipe is used"


def test_a_lab_report_is_a_pdf_with_the_same_bytes_every_time():
    details = {
        "lab": "Trung tâm Kiểm nghiệm Thanh Hóa",
        "test": "Độ đạm toàn phần",
        "result": "Đạt",
        "value": "40,6 g/l",
        "report_no": "1234/2026/PKQ-KN",
    }
    first = lab_report_pdf(
        details, "Nước mắm Ba Làng", "BL40-2611-01", "HTX Ba Làng", date(2026, 11, 1)
    )
    second = lab_report_pdf(
        details, "Nước mắm Ba Làng", "BL40-2611-01", "HTX Ba Làng", date(2026, 11, 1)
    )
    assert first.startswith(b"%PDF-") and first == second
