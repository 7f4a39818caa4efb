"""Numbers in the visitor's language (1,500 / 1.500), prices always as 120.000 ₫."""

from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale

from shop.auth.models import Role
from shop.catalogue.models import QuantityUnit
from shop.i18n import format_number, format_vnd


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (5000, "5.000", "5,000"),
        (1500, "1.500", "1,500"),
        (999, "999", "999"),
        (12.5, "12,5", "12.5"),
        (2400.0, "2.400", "2,400"),
        (Decimal("0.25"), "0,25", "0.25"),
        (1234567.891, "1.234.567,89", "1,234,567.89"),
    ],
)
def test_format_number_follows_the_language(app, value, vi, en):
    with app.test_request_context(), force_locale("en"):
        assert format_number(50, 1, fixed=True) == "50.0"
    for language, expected in (("vi", vi), ("en", en)):
        with app.test_request_context(), force_locale(language):
            assert format_number(value) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_prices_are_vietnamese_dong_in_every_language(app, language):
    with app.test_request_context(), force_locale(language):
        assert format_vnd(120_000) == "120.000\u00a0₫"
        assert render_template_string("{{ 1250000|vnd }}") == "1.250.000\u00a0₫"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "From 1 to 5,000 labels. 1,500 days left"),
        ("vi", "Từ 1 đến 5.000 tem. còn 1.500 ngày"),
    ],
)
def test_numbers_inside_translated_messages_follow_the_language(app, language, expected):
    template = (
        '{{ _("From 1 to %(n)s labels.", n=5000) }} '
        '{{ ngettext("%(num)s day left", "%(num)s days left", 1500) }}'
    )
    with app.test_request_context(), force_locale(language):
        assert render_template_string(template) == expected


def test_a_count_still_chooses_the_plural_form(app):
    template = '{{ ngettext("%(num)s day left", "%(num)s days left", n) }}'
    with app.test_request_context(), force_locale("en"):
        assert render_template_string(template, n=1) == "1 day left"
        assert render_template_string(template, n=2) == "2 days left"


@pytest.mark.parametrize(
    ("language", "hint"), [("en", "From 1 to 5,000 labels."), ("vi", "Từ 1 đến 5.000 tem.")]
)
def test_the_label_page_writes_the_visitor_s_numbers(
    client, login, make_user, make_producer, make_product, make_batch, language, hint
):
    farmer = make_user(role=Role.PRODUCER, producer=make_producer())
    batch = make_batch(product=make_product(producer=farmer.producer), quantity=2400)
    login(farmer)
    client.get(f"/language/{language}")

    assert hint in client.get(f"/labels/batches/{batch.id}").text


@pytest.mark.parametrize(
    ("language", "size", "area", "net", "price"),
    [
        ("en", "Batch size 2,400 kg", "24,000.5 ha", "1,500 g", "1.250.000\u00a0₫"),
        ("vi", "Số lượng trong lô 2.400 kg", "24.000,5 ha", "1.500 g", "1.250.000\u00a0₫"),
    ],
)
def test_scan_and_product_pages_write_numbers_the_visitor_s_way(
    client, make_product, make_growing_area, make_batch, language, size, area, net, price
):
    product = make_product(
        price_vnd=1_250_000, net_quantity=1500, net_quantity_unit=QuantityUnit.GRAM
    )
    batch = make_batch(
        product=product,
        quantity=2400,
        quantity_unit="kg",
        growing_area=make_growing_area(producer=product.producer, area_m2=240_005_000),
    )
    client.get(f"/language/{language}")

    scan = " ".join(client.get(f"/01/{product.gtin}/10/{batch.lot}").text.split())
    assert size in scan.replace("</dt><dd>", " ").replace("</dd>", "")
    assert area in scan
    page = client.get(f"/products/{product.slug}").text
    assert net in page and price in page
