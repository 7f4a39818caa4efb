"""The default e-mail backend prints each message where a newcomer running the shop looks."""

import re

from tests.checkout.conftest import CHECKOUT_FORM


def test_the_console_backend_prints_the_order_e_mail_on_stderr(client, make_product, capfd):
    product = make_product(name="Chè lam Phủ Quảng", stock=5)
    client.post("/cart/add", data={"product_id": product.id})
    page = client.get("/checkout").text
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    capfd.readouterr()

    response = client.post("/checkout", data={**CHECKOUT_FORM, "idempotency_key": key})

    assert response.status_code == 303
    out, err = capfd.readouterr()
    assert out == ""
    assert "[OCOP Shop e-mail] not sent (MAIL_BACKEND=console)" in err
    assert "To: hoa@example.vn" in err and "Subject: " in err
    assert response.location in err  # the private order link, as the customer would get it
