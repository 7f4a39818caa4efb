"""What the customer sees of a VietQR order: a QR image a real decoder reads back as the
order's payload, the details in text with copy buttons, and a status that follows the order.
Both addresses open only with the order's token."""

import io
import re

import pytest
from flask import render_template_string
from PIL import Image

from shop.checkout.models import PaymentMethod
from shop.extensions import db
from shop.payments import vietqr
from shop.payments.fulfil import apply_payment
from shop.payments.models import Provider
from tests.conftest import skip_or_fail

PANEL = '{% from "payments/_vietqr.html" import vietqr_panel %}{{ vietqr_panel(order, token) }}'


@pytest.fixture(scope="module")
def zxing():
    try:
        import zxingcpp
    except ImportError:
        skip_or_fail("zxing-cpp is not installed (pip install -e '.[dev]')")
    return zxingcpp


def test_the_qr_image_decodes_to_the_orders_payload(client, make_order, zxing):
    order, token = make_order(total_vnd=187_500)
    response = client.get(f"/orders/{order.code}/vietqr.png?token={token}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "private" in response.headers["Cache-Control"]
    image = Image.open(io.BytesIO(response.data))
    found = zxing.read_barcodes(image.convert("L"), formats=zxing.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [vietqr.order_payload(order)]
    assert found[0].text.startswith("000201010212")
    assert "5406187500" in found[0].text
    assert f"08{len(vietqr.order_memo(order)):02d}{order.code} OCOP Shop" in found[0].text


@pytest.mark.parametrize("address", ["vietqr.png", "status.json"])
@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_without_the_right_token_both_addresses_are_not_found(client, make_order, address, token):
    order, _token = make_order()
    query = "" if token is None else f"?token={token}"
    assert client.get(f"/orders/{order.code}/{address}{query}").status_code == 404


@pytest.mark.parametrize("address", ["vietqr.png", "status.json"])
def test_an_unknown_order_is_not_found(client, make_order, address):
    _order, token = make_order()
    assert client.get(f"/orders/DH00000000/{address}?token={token}").status_code == 404
    long_code = "DH" + "X" * 300
    assert client.get(f"/orders/{long_code}/{address}?token={token}").status_code == 404


@pytest.mark.parametrize("address", ["vietqr.png", "status.json"])
def test_the_customer_who_placed_the_order_needs_no_token(
    client, login, make_user, make_order, address
):
    order, _token = make_order()
    owner, stranger = make_user(), make_user()
    order.user_id = owner.id
    db.session.commit()
    login(stranger)
    assert client.get(f"/orders/{order.code}/{address}").status_code == 404
    login(owner)
    assert client.get(f"/orders/{order.code}/{address}").status_code == 200


def test_a_card_order_has_no_transfer_qr(client, make_order):
    order, token = make_order(method=PaymentMethod.STRIPE)
    assert client.get(f"/orders/{order.code}/vietqr.png?token={token}").status_code == 404


def test_the_status_follows_the_order(client, make_order):
    order, token = make_order()
    url = f"/orders/{order.code}/status.json?token={token}"
    response = client.get(url)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {
        "code": order.code,
        "status": "pending_payment",
        "status_label": "Awaiting payment",
        "paid": False,
    }
    apply_payment(order, provider=Provider.MANUAL, reference="FT1", amount_vnd=order.total_vnd)
    db.session.commit()
    assert client.get(url).json == {
        "code": order.code,
        "status": "paid",
        "status_label": "Paid",
        "paid": True,
    }


def render_panel(app, order, token) -> str:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        from flask import session

        session["lang"] = "en"
        return render_template_string(PANEL, order=order, token=token)


def test_the_panel_shows_every_detail_as_text_with_copy_buttons(app, make_order):
    order, token = make_order(total_vnd=187_500)
    page = render_panel(app, order, token)
    assert f'src="/orders/{order.code}/vietqr.png?token={token}"' in page
    assert "Vietcombank" in page
    assert "HTX NONG SAN THANH HOA" in page
    assert '<span class="vietqr-value" id="vietqr-account">1023456789</span>' in page
    assert "187.500\u00a0₫" in page
    assert "(187500)" in page
    assert f'<span class="vietqr-value" id="vietqr-memo">{order.code} OCOP Shop</span>' in page
    # A button for the account number, the amount and the memo; shown by the script only.
    assert page.count('class="btn btn-secondary btn-small vietqr-copy-btn"') == 3
    assert 'data-copy="187500"' in page
    assert page.count(" hidden>") == 3
    # The deadline, and a status line the script keeps up to date.
    assert f'datetime="{order.expires_at.isoformat(timespec="seconds")}"' in page  # valid HTML
    assert f'data-status-url="/orders/{order.code}/status.json?token={token}"' in page
    assert 'data-status="pending_payment"' in page
    assert re.search(r"/static/js/order-status\.[0-9a-f]{10}\.js", page)  # fingerprinted
    assert re.search(r"/static/css/payments\.[0-9a-f]{10}\.css", page)
    assert "Demo shop" not in page


def test_the_panel_says_when_the_account_is_a_demo(app, make_order):
    app.config.update(VIETQR_BANK_BIN=None, VIETQR_ACCOUNT_NO=None)
    order, token = make_order()
    page = render_panel(app, order, token)
    assert "Demo shop: this is a sample account, do not transfer real money." in page
    assert "Sacombank" in page
    assert vietqr.DEMO_ACCOUNT.number in page
