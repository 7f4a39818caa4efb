"""The public label files of a batch (the API links to them): QR PNG/SVG and the batch sheet.
Any GTIN form is accepted; anything unknown or malformed is a 404, never a 500."""

import pytest
from flask import url_for
from reportlab.lib.units import mm

from shop.extensions import db
from shop.labels import qr, sheets
from shop.labels.printing import captions
from shop.trace.models import CodeStatus


def paths(batch, gtin=None, lot=None) -> dict[str, str]:
    gtin = gtin or batch.product.gtin
    lot = batch.lot if lot is None else lot
    return {
        "png": f"/labels/{gtin}/{lot}/qr.png",
        "svg": f"/labels/{gtin}/{lot}/qr.svg",
        "pdf": f"/labels/{gtin}/{lot}/sheet.pdf",
    }


def test_the_routes_have_the_names_other_features_link_to(app, batch):
    with app.test_request_context():
        gtin, lot = batch.product.gtin, batch.lot
        assert url_for("labels.qr_png", gtin=gtin, lot=lot) == paths(batch)["png"]
        assert url_for("labels.qr_svg", gtin=gtin, lot=lot) == paths(batch)["svg"]
        assert url_for("labels.sheet_pdf", gtin=gtin, lot=lot) == paths(batch)["pdf"]
        assert url_for("labels.sheet_pdf", gtin=gtin, lot=lot, layout="roll").endswith(
            "?layout=roll"
        )


def test_the_png_is_public_decodes_and_is_cached_for_good(client, batch, decode):
    from io import BytesIO

    from PIL import Image

    response = client.get(paths(batch)["png"])
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "immutable" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]
    assert decode(Image.open(BytesIO(response.data))) == [
        f"http://127.0.0.1:5000/01/{batch.product.gtin}/10/L2026-09A"
    ]
    again = client.get(paths(batch)["png"], headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_svg_is_served_as_svg(client, batch):
    response = client.get(paths(batch)["svg"])
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<?xml") and b"viewBox" in response.data


def test_the_a4_sheet_carries_the_batch_url_on_all_24_labels(client, batch, decode_labels):
    response = client.get(paths(batch)["pdf"])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    assert "max-age=3600" in response.headers["Cache-Control"]
    url = f"http://127.0.0.1:5000/01/{batch.product.gtin}/10/{batch.lot}"
    assert decode_labels(response.data, sheets.SHEET_A4) == [[url] * 24]


def test_the_roll_sheet_is_one_50_by_30_label(client, batch, pages, decode_labels):
    response = client.get(paths(batch)["pdf"] + "?layout=roll")
    assert response.status_code == 200
    ((_, size),) = pages(response.data)
    assert size == pytest.approx((50 * mm, 30 * mm), abs=0.01)
    url = f"http://127.0.0.1:5000/01/{batch.product.gtin}/10/{batch.lot}"
    assert decode_labels(response.data, sheets.ROLL_50X30) == [[url]]


def test_the_sheet_prints_the_batch_facts_in_vietnamese(client, batch, pdf_text):
    text = pdf_text(client.get(paths(batch)["pdf"]).data)[0]
    assert "Nước mắm Ba Làng 40 độ đạm" in text
    assert "HTX Nước mắm Ba Làng" in text
    assert "L2026-09A" in text and "03/09/2026" in text and "03/09/2027" in text
    assert batch.growing_area.code in text
    assert "OCOP" in text  # the 4 stars come with the word


def test_a_lapsed_certificate_prints_no_stars(client, farmer, make_product, make_batch, pdf_text):
    from datetime import date

    product = make_product(producer=farmer.producer, stars=4)
    product.certificates[0].decision_date = date(2019, 1, 1)  # expired in 2022
    db.session.commit()
    lapsed = make_batch(product=product)
    text = pdf_text(client.get(paths(lapsed)["pdf"]).data)[0]
    assert "OCOP" not in text
    assert product.name in text


@pytest.mark.parametrize("form", ["gtin13", "gtin12", "gtin8"])
def test_shorter_gtin_forms_are_accepted(client, farmer, make_product, make_batch, form, decode):
    from io import BytesIO

    from PIL import Image

    gtin14 = {"gtin13": "08931234567897", "gtin12": "00036000291452", "gtin8": "00000096385074"}
    product = make_product(producer=farmer.producer, gtin=gtin14[form])
    batch = make_batch(product=product, lot="L7")
    short = gtin14[form].lstrip("0") if form != "gtin12" else "036000291452"
    for path in paths(batch, gtin=short).values():
        assert client.get(path).status_code == 200, path
    png = client.get(paths(batch, gtin=short)["png"]).data
    assert decode(Image.open(BytesIO(png))) == [f"http://127.0.0.1:5000/01/{gtin14[form]}/10/L7"]


@pytest.mark.both_databases
@pytest.mark.parametrize(
    ("gtin", "lot"),
    [
        ("08931234567890", None),  # wrong check digit
        ("08931234567", None),  # no GTIN length
        ("abc", None),
        ("0" * 200, None),
        (None, "NO-SUCH-LOT"),
        (None, "l2026-09a"),  # lots are case-sensitive
        (None, "L" * 21),  # longer than any stored lot
        (None, "L2026%0009A"),  # a NUL byte
        (None, "Lô%20hàng"),
        (None, "%F0%9F%8D%8A"),
        (None, "%FF%FE"),  # not UTF-8
        (None, "A%2FB"),
    ],
)
def test_unknown_or_malformed_labels_are_404(client, batch, gtin, lot):
    for path in paths(batch, gtin=gtin, lot=lot).values():
        assert client.get(path).status_code == 404, path


def test_a_gtin_of_another_product_with_the_same_lot_is_404(client, batch, make_product):
    other = make_product()
    for path in paths(batch, gtin=other.gtin).values():
        assert client.get(path).status_code == 404


def test_an_unknown_layout_is_a_bad_request(client, batch):
    assert client.get(paths(batch)["pdf"] + "?layout=letter").status_code == 400
    assert client.get(paths(batch)["pdf"] + "?layout=%00").status_code == 400


@pytest.mark.parametrize("status", [CodeStatus.SUSPENDED, CodeStatus.REVOKED])
def test_no_sheet_for_a_suspended_or_revoked_area_but_the_qr_stays(client, batch, status):
    batch.growing_area.status = status
    batch.growing_area.status_reason = "Phát hiện dư lượng thuốc bảo vệ thực vật"
    db.session.commit()
    response = client.get(paths(batch)["pdf"])
    assert response.status_code == 409
    assert "Labels cannot be printed" in response.text
    assert status.value in response.text and batch.growing_area.code in response.text
    assert "Phát hiện dư lượng" in response.text
    assert client.get(paths(batch)["pdf"] + "?layout=roll").status_code == 409
    assert client.get(paths(batch)["png"]).status_code == 200
    assert client.get(paths(batch)["svg"]).status_code == 200


def test_no_sheet_for_an_expired_area_code(client, batch):
    from datetime import date

    batch.growing_area.expires_on = date(2020, 12, 31)
    db.session.commit()
    response = client.get(paths(batch)["pdf"])
    assert response.status_code == 409
    assert "expired on 31/12/2020" in response.text


def test_a_batch_without_a_growing_area_prints_without_the_code(
    app, client, batch, farmer, make_product, make_batch, pdf_text
):
    with app.test_request_context():
        caption = captions().area  # in the shop's language, as printed
    assert caption in pdf_text(client.get(paths(batch)["pdf"]).data)[0]
    arealess = make_batch(product=make_product(producer=farmer.producer), growing_area=None)
    response = client.get(paths(arealess)["pdf"])
    assert response.status_code == 200
    assert caption not in pdf_text(response.data)[0]


def test_the_label_url_is_the_one_function_everyone_uses(app, batch):
    with app.app_context():
        assert qr.batch_url(batch.product.gtin, batch.lot) == (
            f"http://127.0.0.1:5000/01/{batch.product.gtin}/10/{batch.lot}"
        )
