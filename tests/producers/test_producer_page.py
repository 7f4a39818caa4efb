"""The public page of a producer: who they are, where, and what they have on sale."""

import pytest

from shop.auth.models import Role
from shop.catalogue.models import ProductPhoto
from shop.extensions import db
from shop.producers.models import ApprovalStatus


@pytest.fixture
def ba_lang(make_producer):
    return make_producer(
        name="HTX Nước mắm Ba Làng",
        slug="htx-nuoc-mam-ba-lang",
        commune="Phường Tĩnh Gia",
        commune_code=16561,
        district="Nghi Sơn",
        phone="0912345678",
        story="Nước mắm truyền thống ủ chượp 12 tháng.\nLàng nghề hơn 200 năm.",
    )


def test_a_visitor_sees_the_producer_and_its_products(client, ba_lang, make_product):
    make_product(producer=ba_lang, name="Nước mắm cá cơm 40 độ đạm")
    make_product(producer=ba_lang, name="Nước mắm nhĩ", stars=4)
    response = client.get("/producers/htx-nuoc-mam-ba-lang")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>HTX Nước mắm Ba Làng</h1>" in page
    assert "Phường Tĩnh Gia, Thanh Hóa" in page
    assert '<span class="formerly">(formerly: Nghi Sơn)</span>' in page
    assert 'href="tel:0912345678"' in page
    assert "<p>Nước mắm truyền thống ủ chượp 12 tháng.</p>" in page
    assert "<p>Làng nghề hơn 200 năm.</p>" in page
    assert "Nước mắm cá cơm 40 độ đạm" in page
    assert "Nước mắm nhĩ" in page


def test_the_producer_photo_is_served_from_media(client, make_producer):
    make_producer(slug="co-anh", photo="abc123.jpg")
    page = client.get("/producers/co-anh").get_data(as_text=True)
    assert 'src="/media/abc123.jpg"' in page


def test_products_that_are_not_on_sale_are_not_shown(client, ba_lang, make_product):
    make_product(producer=ba_lang, name="Đang bán")
    make_product(producer=ba_lang, name="Chờ duyệt", status=ApprovalStatus.PENDING)
    make_product(producer=ba_lang, name="Bị từ chối", status=ApprovalStatus.REJECTED)
    make_product(producer=ba_lang, name="Ngừng bán", is_active=False)
    make_product(name="Của người khác")
    page = client.get("/producers/htx-nuoc-mam-ba-lang").get_data(as_text=True)
    assert "Đang bán" in page
    for hidden in ("Chờ duyệt", "Bị từ chối", "Ngừng bán", "Của người khác"):
        assert hidden not in page


def test_an_unknown_producer_is_not_found(client):
    assert client.get("/producers/khong-co").status_code == 404


@pytest.mark.parametrize("status", [ApprovalStatus.PENDING, ApprovalStatus.REJECTED])
def test_a_producer_not_approved_is_hidden_from_the_public(
    client, login, make_producer, make_user, status
):
    producer = make_producer(slug="cho-duyet", status=status)
    assert client.get("/producers/cho-duyet").status_code == 404
    login(make_user(role=Role.CONSUMER))
    assert client.get("/producers/cho-duyet").status_code == 404
    login(make_user(role=Role.PRODUCER, producer=make_producer()))
    assert client.get("/producers/cho-duyet").status_code == 404

    login(make_user(role=Role.PRODUCER, producer=producer))
    response = client.get("/producers/cho-duyet")
    assert response.status_code == 200
    assert "Only you and the cooperative" in response.get_data(as_text=True)
    for role in (Role.STAFF, Role.ADMIN):
        login(make_user(role=role))
        assert client.get("/producers/cho-duyet").status_code == 200


@pytest.mark.both_databases
def test_the_page_costs_the_same_queries_for_one_product_or_many(
    client, make_producer, make_product, count_queries
):
    def producer_with(n: int, slug: str) -> None:
        producer = make_producer(slug=slug)
        for i in range(n):
            product = make_product(producer=producer, stars=3 + i % 3)
            db.session.add_all(
                [
                    ProductPhoto(product=product, filename=f"{slug}-{i}-{k}.jpg", position=k)
                    for k in range(2)
                ]
            )
        db.session.commit()

    producer_with(1, "mot-san-pham")
    producer_with(6, "sau-san-pham")
    db.session.expunge_all()

    with count_queries() as one:
        assert client.get("/producers/mot-san-pham").status_code == 200
    db.session.expunge_all()
    with count_queries() as six:
        page = client.get("/producers/sau-san-pham").get_data(as_text=True)
    assert page.count('src="/media/sau-san-pham-') == 6  # one cover per card
    assert len(one) == len(six)
    assert len(six) <= 4
