"""Vietnamese is the default language: every interface string has a Vietnamese translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
VI_PO = ROOT / "shop/translations/vi/LC_MESSAGES/messages.po"


def extracted_ids(tmp_path) -> set:
    """The strings in the code today, extracted exactly as `make extract-messages` does."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return {(m.id, m.context) for m in read_po(fh) if m.id}


def vietnamese_catalogue():
    with VI_PO.open("rb") as fh:
        return read_po(fh, locale="vi")


def test_every_string_in_the_code_is_translated_into_vietnamese(tmp_path):
    catalogue = vietnamese_catalogue()
    missing = []
    for msgid, context in extracted_ids(tmp_path):
        message = catalogue.get(msgid, context=context)
        strings = (
            message.string
            if message and isinstance(message.string, tuple)
            else [message.string if message else ""]
        )
        if not all(strings):
            missing.append(str(msgid))
    assert missing == [], "run `make extract-messages` and translate: " + "; ".join(missing[:10])


def test_no_translation_is_left_fuzzy():
    fuzzy = [m.id for m in vietnamese_catalogue() if m.id and m.fuzzy]
    assert fuzzy == []


def test_first_visit_is_in_vietnamese(vi_client):
    page = vi_client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Tìm kiếm" in page or "Tìm" in page


def test_english_on_request(vi_client):
    vi_client.get("/language/en")
    page = vi_client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Search" in page


def test_choices_built_once_per_form_class_still_follow_the_language(
    vi_client, make_user, make_producer
):
    from shop.auth.models import Role

    farmer = make_user(role=Role.PRODUCER, producer=make_producer())
    with vi_client.session_transaction() as session:
        session["_user_id"] = str(farmer.id)
    page = vi_client.get("/farm/products/new").get_data(as_text=True)
    assert "Thực phẩm" in page
    assert ">Food<" not in page


def test_lazy_strings_render_outside_a_request(app):
    from shop.catalogue.models import OcopGroup

    assert str(OcopGroup.FOOD.label) == "Thực phẩm"
