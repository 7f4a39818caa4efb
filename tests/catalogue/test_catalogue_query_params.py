"""Whatever lands in the catalogue's query string, the visitor gets the catalogue and a message."""

import re

import pytest

pytestmark = pytest.mark.both_databases  # search words and numbers that reach SQL

CARD_NAME = re.compile(r'class="product-card-name">([^<]*)</h3>')


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", "The page number must be a whole number from 1 to 10000."),
        ("page=0", "The page number must be a whole number from 1 to 10000."),
        ("page=-1", "The page number must be a whole number from 1 to 10000."),
        ("page=1.5", "The page number must be a whole number from 1 to 10000."),
        ("page=99999999999999999999999", "The page number must be a whole number"),
        ("price_min=-5", "Enter a price in đồng as a whole number, for example 50000."),
        ("price_min=x", "Enter a price in đồng as a whole number, for example 50000."),
        ("price_max=1e9", "Enter a price in đồng as a whole number, for example 200000."),
        ("price_max=99999999999999", "Enter a price in đồng as a whole number"),
        ("price_min=50000&price_max=10", "The highest price must not be below the lowest"),
        ("stars=7", "Please choose one of the options in the list."),
        ("stars=abc", "Please choose one of the options in the list."),
        ("group=bogus", "Please choose one of the options in the list."),
        ("sort=random()", "Please choose one of the options in the list."),
        ("district=Atlantis", "We have no products from that district."),
        ("district=Vinh%00Loc", "We have no products from that district."),
        ("q=" + "a" * 101, "Please search with at most 100 characters."),
    ],
)
def test_a_malformed_parameter_is_explained_with_status_400(client, make_product, query, message):
    make_product(name="Chè lam")

    response = client.get(f"/?{query}")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert CARD_NAME.findall(page) == ["Chè lam"], "the catalogue is still shown"


def test_the_error_sits_next_to_its_filter_and_keeps_what_was_typed(client, make_product):
    make_product(name="Chè lam")

    page = client.get("/?price_min=abc&group=food").get_data(as_text=True)

    field = re.search(r'<div class="field has-error">.*?</ul>', page, re.S).group(0)
    assert 'name="price_min"' in field
    assert 'value="abc"' in field
    assert "Enter a price in đồng" in field
    assert '<option selected value="food">' in page


def test_valid_filters_still_apply_when_another_is_malformed(client, make_product):
    make_product(name="Rẻ", price_vnd=20_000)
    make_product(name="Đắt", price_vnd=500_000)

    response = client.get("/?price_max=100000&stars=9")

    assert response.status_code == 400
    assert CARD_NAME.findall(response.get_data(as_text=True)) == ["Rẻ"]


def test_control_characters_in_the_search_words_are_ignored(client, make_product):
    make_product(name="Chè lam")

    response = client.get("/?q=che%00lam")

    assert response.status_code == 200
    assert CARD_NAME.findall(response.get_data(as_text=True)) == ["Chè lam"]


def test_repeated_and_unknown_parameters_do_no_harm(client, make_product):
    make_product(name="Chè lam")

    response = client.get("/?group=food&group=bogus&utm_source=zalo&lang=en")

    assert response.status_code == 200
    assert CARD_NAME.findall(response.get_data(as_text=True)) == ["Chè lam"]
