"""A producer's product name is text, never HTML, even inside translated messages."""

from shop.extensions import db


def test_a_product_name_with_markup_is_escaped_in_cart_messages(client, make_product):
    product = make_product(name="<script>alert(1)</script>", stock=2)
    client.post("/cart/add", data={"product_id": product.id, "quantity": 5})
    product.stock = 0
    db.session.commit()
    page = client.get("/cart").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the message is there, as text
    assert "<script>alert(1)</script>" not in page


def test_a_sold_out_message_names_the_product_as_text(client, make_product):
    product = make_product(name="<b>Mắm</b>", stock=0)
    response = client.post("/cart/add", data={"product_id": product.id, "quantity": 1})
    page = (
        client.get("/cart").get_data(as_text=True)
        if response.status_code in (302, 303)
        else response.get_data(as_text=True)
    )
    assert "sold out" in page
    assert "<b>Mắm</b>" not in page
