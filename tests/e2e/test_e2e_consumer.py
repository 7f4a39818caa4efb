"""A consumer on a 360 px phone, in a real Chromium, against the seeded demo shop."""

import re

import pytest

pytestmark = pytest.mark.e2e

PRICE = re.compile(r"^\d{1,3}(\.\d{3})*\s₫")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_home_page_fits_a_phone_and_speaks_vietnamese(phone, live_server):
    phone.goto(live_server + "/")
    assert phone.locator("html").get_attribute("lang") == "vi"
    assert page_width(phone) <= 360
    assert phone.locator("article.product-card").count() > 0


def test_search_without_diacritics_finds_nuoc_mam(phone, live_server):
    phone.goto(live_server + "/")
    phone.fill("#header-q", "nuoc mam")
    phone.press("#header-q", "Enter")
    phone.wait_for_load_state()
    names = phone.locator("article.product-card h3, article.product-card h2").all_inner_texts()
    # Names that match come first; a description that mentions nước mắm may follow.
    assert names and "nước mắm" in names[0].lower(), names
    assert sum("nước mắm" in name.lower() for name in names) >= 3, names


def test_product_page_shows_price_in_dong_and_its_producer(phone, live_server):
    phone.goto(live_server + "/?q=mat+ong")
    phone.locator("a.product-card-link").first.click()
    phone.wait_for_load_state()
    assert "/products/" in phone.url
    assert page_width(phone) <= 360
    assert PRICE.match(phone.locator(".price").first.inner_text())
    assert phone.locator("a[href^='/producers/']").count() >= 1


def test_switching_to_english_and_back(phone, live_server):
    phone.goto(live_server + "/")
    assert not phone.locator(".lang-switch a[hreflang=en]").is_visible()  # folded in the menu
    phone.click(".header-menu > summary")
    phone.click(".lang-switch a[hreflang=en]")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.url.rstrip("/") == live_server
    phone.click(".header-menu > summary")
    phone.click(".lang-switch a[hreflang=vi]")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "vi"


def test_filters_fold_away_on_a_phone(phone, live_server):
    phone.goto(live_server + "/?group=handicraft")
    cards = phone.locator("article.product-card")
    assert cards.count() > 0
    assert page_width(phone) <= 360
