"""Pick list, packing sheet and slips: read back from the PDF (text and QR), as a printer would."""

import pypdfium2
import pytest
import zxingcpp

from shop.extensions import db


def pdf_text(body: bytes) -> str:
    pdf = pypdfium2.PdfDocument(body)
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def pdf_qr_codes(body: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(body)
    image = pdf[0].render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.fixture
def two_farms(place, make_product, make_producer, make_batch):
    tea = make_product(
        producer=make_producer(name="HTX Chè Lam Phủ Quảng"), name="Chè lam gừng", stock=50
    )
    lot_a = make_batch(product=tea, lot="CL2611A", units_left=3, on_sale=True)
    lot_b = make_batch(product=tea, lot="CL2611B", units_left=20, on_sale=True)
    nem = make_product(
        producer=make_producer(name="HTX Nem Chua Thọ Xuân"), name="Nem chua", stock=50
    )
    first = place([(tea.id, 2), (nem.id, 1)])
    second = place([(tea.id, 4)])
    unpaid = place([(nem.id, 5)], paid=False)
    return first, second, unpaid, lot_a, lot_b


def test_the_pick_list_says_what_each_farmer_brings_lot_by_lot(client, staff, two_farms):
    page = client.get("/backoffice/packing").text
    assert "HTX Chè Lam Phủ Quảng" in page and "CL2611A" in page and "CL2611B" in page
    response = client.get("/backoffice/packing/pick-list.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "HTX Chè Lam Phủ Quảng" in text and "HTX Nem Chua Thọ Xuân" in text
    assert "CL2611A" in text and "3 hộp" in text  # the first lot ran out after 3
    assert "CL2611B" in text and "6 hộp" in text and "1 hộp" in text
    assert "5 hộp" not in text  # the unpaid order is not packed


def test_the_packing_sheet_and_slip_carry_the_order_and_its_qr(app, client, staff, two_farms):
    first = two_farms[0]
    response = client.get(f"/backoffice/orders/{first.code}/slip.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert first.code in text and "Nguyễn Thị Hoà" in text and "12 Lê Lợi" in text
    assert "CL2611A" in text
    base = app.config["SHOP_BASE_URL"].rstrip("/")
    assert pdf_qr_codes(response.data) == [f"{base}/backoffice/orders/{first.code}"]

    sheet = client.get("/backoffice/packing/by-customer.pdf")
    assert first.code in pdf_text(sheet.data) and two_farms[1].code in pdf_text(sheet.data)


def test_a_day_with_nothing_paid_says_so(client, staff, two_farms):
    text = pdf_text(
        client.get("/backoffice/packing/pick-list.pdf?from=2020-01-01&to=2020-01-02").data
    )
    assert "No paid order is waiting to be packed." in text


def test_a_bad_date_is_refused_clearly(client, staff):
    assert client.get("/backoffice/packing?from=2026-02-30").status_code == 400
    assert client.get("/backoffice/packing/pick-list.pdf?to=xyz").status_code == 400
    db.session.rollback()
