"""A consumer browses the catalogue: search without caring about accents, filter, sort, page."""

import re
from datetime import timedelta

import pytest

from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    OcopGroup,
    ProductPhoto,
    add_months,
)
from shop.clock import local_today
from shop.extensions import db
from shop.places.directory import commune, province
from shop.producers.models import ApprovalStatus

pytestmark = pytest.mark.both_databases  # search, filters and sorting are SQL

CARD_NAME = re.compile(r'class="product-card-name">([^<]*)</h3>')


def names_on(response) -> list[str]:
    """Product names on the cards of a catalogue page, in order."""
    return CARD_NAME.findall(response.get_data(as_text=True))


def lapse(product, stars=4):
    """Give the product a verified certificate whose 36 months ran out yesterday or earlier."""
    product.certificates.append(
        OcopCertificate(
            decision_number="77/QĐ-UBND",
            decision_date=add_months(local_today(), -37),
            issuer="UBND tỉnh Thanh Hóa",
            stars=stars,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()


def test_home_page_lists_products_as_cards(client, make_product):
    product = make_product(name="Nem chua Thanh Hóa", price_vnd=60_000, unit="chục", stars=4)
    product.photos.append(ProductPhoto(filename="abc123.jpg", position=0))
    db.session.commit()

    response = client.get("/")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert names_on(response) == ["Nem chua Thanh Hóa"]
    assert "60.000\u00a0₫" in page
    assert "/media/abc123.jpg" in page
    assert f'href="/products/{product.slug}"' in page
    assert f"{product.producer.name} · Xã Quảng Ninh" in page
    assert "★★★★<" in page


def test_a_product_without_photo_gets_a_placeholder_and_no_stars_without_certificate(
    client, make_product
):
    make_product(name="Bánh gai Tứ Trụ")

    page = client.get("/").get_data(as_text=True)

    assert "photo-placeholder" in page
    assert 'class="stars"' not in page


def test_search_ignores_diacritics_and_case(client, make_product):
    make_product(name="Nước mắm Ba Làng 40 độ đạm")
    make_product(name="Chè lam Phủ Quảng")

    for query in ("nuoc mam", "NƯỚC MẮM", "nươc mam", "Nuoc   MAM ba", "mắm"):
        response = client.get("/", query_string={"q": query})
        assert names_on(response) == ["Nước mắm Ba Làng 40 độ đạm"], query


def test_plain_d_finds_d_with_stroke(client, make_product):
    make_product(name="Đậu phụ Hàng Vị")
    make_product(name="Chè lam")

    assert names_on(client.get("/?q=dau")) == ["Đậu phụ Hàng Vị"]
    assert names_on(client.get("/?q=ĐẬU")) == ["Đậu phụ Hàng Vị"]


def test_every_word_must_match(client, make_product):
    make_product(name="Nước mắm cốt nhĩ")
    make_product(name="Mắm tôm")

    assert names_on(client.get("/?q=mam nhi")) == ["Nước mắm cốt nhĩ"]
    assert names_on(client.get("/?q=mam tom nhi")) == []


def test_search_finds_words_in_the_description(client, make_product):
    make_product(name="Mật ong", description="Thu hoạch ở rừng Như Xuân.")
    make_product(name="Gạo nếp")

    assert names_on(client.get("/?q=nhu xuan")) == ["Mật ong"]


def test_search_by_producer_name_and_across_producer_and_product(
    client, make_producer, make_product
):
    ba_lang = make_producer(name="HTX Nước mắm Ba Làng")
    make_product(producer=ba_lang, name="Cốt nhĩ 40 độ")
    make_product(producer=ba_lang, name="Mắm tép")
    make_product(name="Chè lam")

    assert sorted(names_on(client.get("/?q=ba lang"))) == ["Cốt nhĩ 40 độ", "Mắm tép"]
    assert names_on(client.get("/?q=ba lang tep")) == ["Mắm tép"]


def test_a_query_of_only_punctuation_shows_everything(client, make_product):
    make_product(name="Chè lam")

    assert names_on(client.get("/?q=%25%25__")) == ["Chè lam"]


def test_empty_search_says_so_kindly(client, make_product):
    make_product(name="Chè lam")

    response = client.get("/?q=sau rieng")

    assert response.status_code == 200
    assert names_on(response) == []
    assert "No products match" in response.get_data(as_text=True)


def test_unlisted_products_are_hidden(client, make_producer, make_product):
    make_product(name="Đang bán")
    make_product(name="Chờ duyệt", status=ApprovalStatus.PENDING)
    make_product(name="Bị từ chối", status=ApprovalStatus.REJECTED)
    make_product(name="Tạm ẩn", is_active=False)
    make_product(name="Của HTX chờ duyệt", producer=make_producer(status=ApprovalStatus.PENDING))

    response = client.get("/")

    assert names_on(response) == ["Đang bán"]
    assert "1 product" in response.get_data(as_text=True)
    assert names_on(client.get("/?q=cho duyet")) == []


def test_filter_by_ocop_group(client, make_product):
    make_product(name="Nem chua", ocop_group=OcopGroup.FOOD)
    make_product(name="Rượu làng Quỳ", ocop_group=OcopGroup.BEVERAGE)

    assert names_on(client.get("/?group=beverage")) == ["Rượu làng Quỳ"]
    assert len(names_on(client.get("/?group="))) == 2


def test_filter_by_current_stars(client, make_product):
    make_product(name="Ba sao", stars=3)
    make_product(name="Bốn sao", stars=4)
    make_product(name="Năm sao", stars=5)
    make_product(name="Chưa xếp hạng")

    assert names_on(client.get("/?stars=4")) == ["Bốn sao"]
    assert names_on(client.get("/?stars=5")) == ["Năm sao"]
    assert names_on(client.get("/?stars=3")) == ["Ba sao"]


def test_a_lapsed_certificate_shows_no_stars_and_is_not_matched(client, make_product):
    old = make_product(name="Hết hạn")
    lapse(old, stars=4)

    page = client.get("/").get_data(as_text=True)

    assert names_on(client.get("/")) == ["Hết hạn"]
    assert 'class="stars"' not in page
    assert names_on(client.get("/?stars=4")) == []


def test_unverified_and_future_certificates_do_not_count(client, make_product, any_hour, today):
    pending = make_product(name="Chờ xác minh")
    pending.certificates.append(
        OcopCertificate(
            decision_number="1/QĐ",
            decision_date=today - timedelta(days=10),
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
            status=CertificateStatus.PENDING,
        )
    )
    future = make_product(name="Quyết định ngày mai")
    future.certificates.append(
        OcopCertificate(
            decision_number="2/QĐ",
            decision_date=today + timedelta(days=1),
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()

    assert names_on(client.get("/?stars=4")) == []


def test_stars_filter_agrees_with_the_stars_shown(client, make_product, any_hour, today):
    """A product upgraded from 3★ to 4★ shows 4★, so it is found under 4★ and not under 3★."""
    upgraded = make_product(name="Nâng hạng", stars=3)
    upgraded.certificates.append(
        OcopCertificate(
            decision_number="9/QĐ-UBND",
            decision_date=today - timedelta(days=1),
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
            status=CertificateStatus.VERIFIED,
        )
    )
    db.session.commit()

    assert names_on(client.get("/?stars=4")) == ["Nâng hạng"]
    assert names_on(client.get("/?stars=3")) == []


def producer_in(make_producer, code: int, **overrides):
    """A producer in the commune/ward with this official code (names from the directory)."""
    place = commune(code)
    return make_producer(
        commune=place.name,
        commune_code=code,
        province=province(place.province_code).name,
        province_code=place.province_code,
        **overrides,
    )


def test_the_area_filter_lists_the_communes_of_listed_products_by_province(
    client, make_producer, make_product
):
    make_product(name="Nem chua", producer=producer_in(make_producer, 14797))  # Hạc Thành
    make_product(name="Chè lam", producer=producer_in(make_producer, 15544))  # Lam Sơn
    make_product(name="Bánh đa", producer=producer_in(make_producer, 17515))  # Nghệ An
    make_product(
        name="Chờ duyệt",
        producer=producer_in(make_producer, 16177),  # Xuân Bình
        status=ApprovalStatus.PENDING,
    )
    producer_in(make_producer, 14923)  # Bá Thước: approved, but nothing listed

    response = client.get("/?area=15544")

    assert names_on(response) == ["Chè lam"]
    page = response.get_data(as_text=True)
    select = re.search(r'<select id="area".*?</select>', page, re.S).group(0)
    assert re.findall(r'<optgroup label="([^"]+)">', select) == ["Nghệ An", "Thanh Hóa"]
    assert '<option value="15544" selected>Xã Lam Sơn</option>' in select
    assert '<option value="14797">Phường Hạc Thành</option>' in select
    assert "Xuân Bình" not in select and "Bá Thước" not in select
    unlisted = client.get("/?area=16177")
    assert unlisted.status_code == 400
    assert "We have no products from that commune or ward." in unlisted.text


def test_the_old_district_still_filters_for_links_people_kept(client, make_producer, make_product):
    make_product(name="Chè lam", producer=make_producer(district="Vĩnh Lộc"))
    make_product(name="Nem chua", producer=make_producer(district="TP Thanh Hóa"))
    make_producer(district="Bá Thước")  # approved, but nothing listed

    response = client.get("/?district=Vĩnh Lộc")

    assert names_on(response) == ["Chè lam"]
    assert '<input type="hidden" name="district" value="Vĩnh Lộc">' in response.text
    assert client.get("/?district=Bá Thước").status_code == 400


def test_search_finds_producers_by_their_new_and_old_place_names(
    client, make_producer, make_product
):
    make_product(name="Chè lam", producer=producer_in(make_producer, 15544, district="Thọ Xuân"))
    make_product(name="Nem chua", producer=producer_in(make_producer, 14797))

    assert names_on(client.get("/?q=lam son")) == ["Chè lam"]
    assert names_on(client.get("/?q=tho xuan")) == ["Chè lam"]
    assert names_on(client.get("/?q=Hạc Thành")) == ["Nem chua"]


def test_district_may_be_typed_without_diacritics(client, make_producer, make_product):
    make_product(name="Chè lam", producer=make_producer(district="Vĩnh Lộc"))
    make_product(name="Nem chua", producer=make_producer(district="TP Thanh Hóa"))

    assert names_on(client.get("/?district=vinh loc")) == ["Chè lam"]


def test_filter_by_price_range_in_dong(client, make_product):
    make_product(name="Rẻ", price_vnd=25_000)
    make_product(name="Vừa", price_vnd=120_000)
    make_product(name="Đắt", price_vnd=350_000)

    assert names_on(client.get("/?price_min=100000&price_max=120000")) == ["Vừa"]
    assert sorted(names_on(client.get("/?price_min=120.000"))) == ["Vừa", "Đắt"]
    assert names_on(client.get("/?price_max=25 000 ₫")) == ["Rẻ"]


def test_filters_combine(client, make_producer, make_product):
    vinh_loc = make_producer(district="Vĩnh Lộc")
    make_product(name="Chè lam 4 sao", producer=vinh_loc, stars=4, price_vnd=45_000)
    make_product(name="Chè lam 3 sao", producer=vinh_loc, stars=3, price_vnd=45_000)
    make_product(name="Chè lam đắt", producer=vinh_loc, stars=4, price_vnd=450_000)
    make_product(name="Chè lam nơi khác", stars=4, price_vnd=45_000)
    make_product(
        name="Chè lam đồ uống",
        producer=vinh_loc,
        stars=4,
        price_vnd=45_000,
        ocop_group=OcopGroup.BEVERAGE,
    )

    response = client.get(
        "/?q=che lam&group=food&stars=4&district=Vĩnh Lộc&price_min=10000&price_max=100000"
    )

    assert response.status_code == 200
    assert names_on(response) == ["Chè lam 4 sao"]


def test_sorting(client, make_product):
    make_product(name="Bánh gai", price_vnd=80_000, stars=3)
    make_product(name="Anh đào", price_vnd=300_000)
    make_product(name="Đậu phụ", price_vnd=25_000, stars=5)
    make_product(name="Cà phê", price_vnd=120_000, stars=4)

    assert names_on(client.get("/")) == ["Cà phê", "Đậu phụ", "Anh đào", "Bánh gai"]
    assert names_on(client.get("/?sort=newest")) == ["Cà phê", "Đậu phụ", "Anh đào", "Bánh gai"]
    assert names_on(client.get("/?sort=price_asc")) == ["Đậu phụ", "Bánh gai", "Cà phê", "Anh đào"]
    assert names_on(client.get("/?sort=price_desc")) == ["Anh đào", "Cà phê", "Bánh gai", "Đậu phụ"]
    # Đ sorts as D, as a Vietnamese reader expects, not after Z.
    assert names_on(client.get("/?sort=name")) == ["Anh đào", "Bánh gai", "Cà phê", "Đậu phụ"]
    assert names_on(client.get("/?sort=stars")) == ["Đậu phụ", "Cà phê", "Bánh gai", "Anh đào"]


def test_best_match_puts_names_that_start_with_the_words_first(client, make_producer, make_product):
    make_product(name="Chè lam Phủ Quảng")
    make_product(name="Gạo nếp", description="Dùng để làm chè lam.")
    make_product(name="Bánh gai", producer=make_producer(name="HTX Chè lam Vĩnh Lộc"))

    assert names_on(client.get("/?q=che lam")) == ["Chè lam Phủ Quảng", "Gạo nếp", "Bánh gai"]


def test_pagination_keeps_the_filters(app, client, make_product):
    app.config["CATALOGUE_PAGE_SIZE"] = 2
    for price in (10_000, 20_000, 30_000, 40_000, 50_000):
        make_product(name=f"Mắm {price}", price_vnd=price)
    make_product(name="Chè", price_vnd=15_000)

    first = client.get("/?q=mam&sort=price_asc")
    second = client.get("/?q=mam&sort=price_asc&page=2")
    third = client.get("/?q=mam&sort=price_asc&page=3")

    assert names_on(first) == ["Mắm 10000", "Mắm 20000"]
    assert names_on(second) == ["Mắm 30000", "Mắm 40000"]
    assert names_on(third) == ["Mắm 50000"]
    page = first.get_data(as_text=True)
    assert "5 products" in page
    assert 'href="/?q=mam&amp;sort=price_asc&amp;page=2"' in page
    assert 'href="/?q=mam&amp;sort=price_asc&amp;page=3"' in page


def test_a_page_beyond_the_last_is_a_friendly_404(app, client, make_product):
    app.config["CATALOGUE_PAGE_SIZE"] = 2
    make_product()

    response = client.get("/?page=2")

    assert response.status_code == 404
    assert "Back to the catalogue" in response.get_data(as_text=True)


def test_the_first_page_of_an_empty_catalogue_is_fine(client):
    response = client.get("/?page=1")

    assert response.status_code == 200
    assert "No products match" in response.get_data(as_text=True)


def test_search_words_are_shown_back_escaped(client):
    page = client.get("/?q=<script>alert(1)</script>").get_data(as_text=True)

    assert "<script>alert(1)" not in page
    assert "Results for “&lt;script&gt;alert(1)&lt;/script&gt;”" in page
