"""Choosing a place on a 360 px phone: the commune list follows the province, no framework."""

import pytest

pytestmark = pytest.mark.e2e


def options(page, selector: str) -> list[str]:
    return page.locator(f"{selector} option").all_inner_texts()


def test_a_farmer_signs_up_in_a_commune_of_another_province(phone, live_server):
    phone.goto(live_server + "/producers/signup")
    assert phone.locator("#province").input_value() == "38"  # the cooperative's province
    assert "Xã Xuân Hòa" in options(phone, "#commune")
    assert len(options(phone, "#commune")) == 167  # Thanh Hóa's 166 and "Chọn…"

    with phone.expect_response(lambda r: "/places/provinces/40/communes.json" in r.url):
        phone.select_option("#province", "40")  # Nghệ An
    phone.wait_for_function("document.querySelectorAll('#commune option').length > 100")
    communes = options(phone, "#commune")
    assert "Xã Xuân Hòa" not in communes and "Phường Vinh Lộc" in communes
    phone.select_option("#commune", label="Phường Vinh Lộc")
    phone.fill("#producer_name", "HTX Cam Vinh Thử")
    phone.fill("#phone", "0912 345 678")
    phone.fill("#name", "Nguyễn Văn Cam")
    phone.fill("#email", "cam-e2e@example.vn")
    phone.fill("#password", "cam vinh ngon")
    phone.fill("#confirm", "cam vinh ngon")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("form[action$='/producers/signup'] button[type=submit]")
    phone.wait_for_load_state()
    assert phone.url.endswith("/farm/")
    assert "Phường Vinh Lộc, Nghệ An" in phone.content()


def test_the_catalogue_filters_by_commune_grouped_by_province(phone, live_server):
    phone.goto(live_server + "/")
    phone.click("details.filters summary")
    groups = phone.locator("#area optgroup").evaluate_all("els => els.map(e => e.label)")
    assert groups == ["Thanh Hóa"]
    phone.select_option("#area", label="Xã Xuân Hòa")
    phone.click(".catalogue-filters button[type=submit]")
    phone.wait_for_load_state()
    assert "area=15520" in phone.url
    assert phone.locator("article.product-card").count() >= 1
