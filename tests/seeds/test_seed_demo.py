"""`flask seed-demo`: a believable Thanh Hóa shop in one command, and a re-run is harmless."""

import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from seeds import demo_accounts
from shop.auth.models import Role, User
from shop.catalogue import gtin as gtin_rules
from shop.catalogue.models import CertificateStatus, OcopCertificate, Product
from shop.extensions import db
from shop.producers.models import ApprovalStatus, Producer
from shop.text import fold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def listed_products() -> list[Product]:
    products = db.session.scalars(select(Product).order_by(Product.id)).all()
    return [p for p in products if p.is_listed]


def table_dump() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    dump = {}
    for table in db.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        dump[table.name] = [tuple(row) for row in db.session.execute(query)]
    return dump


def uploads(app) -> list[str]:
    return sorted(p.name for p in Path(app.config["UPLOAD_FOLDER"]).iterdir())


def test_producers_come_from_many_districts_of_thanh_hoa(seeded):
    producers = db.session.scalars(select(Producer)).all()
    approved = [p for p in producers if p.status == ApprovalStatus.APPROVED]
    assert len(approved) >= 12
    assert len({p.district for p in approved}) >= 6
    for producer in producers:
        assert producer.province == "Thanh Hóa"
        assert producer.commune and producer.address and producer.story
        assert producer.phone.startswith("09") and len(producer.phone) == 10


def test_the_catalogue_has_enough_listed_products_in_several_ocop_groups(seeded):
    products = listed_products()
    assert len(products) >= 40
    assert len({p.ocop_group for p in products}) >= 4
    for product in products:
        assert product.price_vnd > 0 and product.stock >= 0
        assert product.description and product.unit


def test_every_gtin_is_vietnamese_and_valid(seeded):
    gtins = db.session.scalars(select(Product.gtin).where(Product.gtin.is_not(None))).all()
    assert len(gtins) >= 40
    for gtin in gtins:
        assert len(gtin) == 14 and gtin.startswith("0893")
        assert gtin_rules.is_valid(gtin)


def test_names_are_written_with_full_vietnamese_diacritics(seeded):
    names = db.session.scalars(select(Product.name)).all()
    names += db.session.scalars(select(Producer.name)).all()
    for name in names:
        assert fold(name) != name.lower(), f"{name!r} has no diacritics"
    assert any("ư" in n or "ơ" in n for n in names) and any("đ" in n.lower() for n in names)


def test_current_certificates_show_three_four_and_five_stars_and_some_have_lapsed(seeded, demo_day):
    products = listed_products()
    current = [p.current_certificate(demo_day) for p in products]
    stars = [c.stars for c in current if c]
    assert {3, 4, 5} <= set(stars)
    assert stars.count(5) >= 2
    assert any(not p.certificates for p in products), "a few products have no certificate"

    certificates = db.session.scalars(select(OcopCertificate)).all()
    lapsed = [
        c
        for c in certificates
        if c.status == CertificateStatus.VERIFIED and not c.is_current(demo_day)
    ]
    assert len(lapsed) >= 2
    for cert in certificates:
        assert cert.decision_number.split("/")[0].isdigit() and "/QĐ-" in cert.decision_number
        if cert.stars == 5:
            assert cert.issuer == "Bộ Nông nghiệp và Phát triển nông thôn"
        else:
            assert cert.issuer == "UBND tỉnh Thanh Hóa"


def test_staff_find_work_waiting_for_approval(seeded):
    pending_producers = db.session.scalars(
        select(Producer).where(Producer.status == ApprovalStatus.PENDING)
    ).all()
    assert len(pending_producers) == 1
    assert 1 <= len(pending_producers[0].products) <= 2

    pending_products = db.session.scalars(
        select(Product)
        .join(Product.producer)
        .where(
            Product.status == ApprovalStatus.PENDING,
            Producer.status == ApprovalStatus.APPROVED,
        )
    ).all()
    assert len(pending_products) >= 2
    pending_certificates = db.session.scalar(
        select(func.count(OcopCertificate.id)).where(
            OcopCertificate.status == CertificateStatus.PENDING
        )
    )
    assert pending_certificates >= 1


def test_every_listed_product_and_producer_has_a_real_photo(app, seeded):
    folder = Path(app.config["UPLOAD_FOLDER"])
    for product in listed_products():
        assert product.photos, product.slug
        for photo in product.photos:
            with Image.open(folder / photo.filename) as image:
                assert image.format == "JPEG" and image.size == (800, 800)
    for producer in db.session.scalars(select(Producer)):
        with Image.open(folder / producer.photo) as image:
            assert image.size == (800, 800)


def test_each_demo_account_can_log_in_with_its_documented_password(seeded):
    accounts = demo_accounts()
    assert {a["role"] for a in accounts} == {r.value for r in Role}
    for account in accounts:
        user = db.session.scalar(select(User).where(User.email == account["email"]))
        assert user.role == Role(account["role"])
        assert user.check_password(account["password"])
        assert account["email"] in seeded.output and account["password"] in seeded.output

    farmer = db.session.scalar(select(User).where(User.email == "nongdan@ocop.local"))
    assert farmer.is_producer and farmer.producer.is_approved
    newcomer = db.session.scalar(select(User).where(User.email == "dangky@ocop.local"))
    assert newcomer.producer.status == ApprovalStatus.PENDING


@pytest.mark.both_databases  # the seeds' idempotency
def test_running_it_twice_changes_nothing(app, runner, seeded):
    before, files_before = table_dump(), uploads(app)
    for table in ("growing_areas", "packing_houses", "batches", "batch_events"):
        assert before[table], f"the comparison covers {table}"

    again = runner.invoke(args=["seed-demo"])

    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    db.session.expire_all()
    assert table_dump() == before
    assert uploads(app) == files_before


@pytest.mark.both_databases  # the seeds' idempotency
def test_a_rerun_keeps_what_staff_changed(runner, seeded):
    newcomer = db.session.scalar(select(Producer).where(Producer.status == ApprovalStatus.PENDING))
    newcomer.status = ApprovalStatus.APPROVED
    product = db.session.scalar(select(Product).where(Product.slug == "cam-van-du"))
    product.price_vnd = 39_000
    db.session.commit()

    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    db.session.expire_all()
    assert db.session.get(Producer, newcomer.id).status == ApprovalStatus.APPROVED
    assert db.session.get(Product, product.id).price_vnd == 39_000


@pytest.mark.both_databases  # the seeds' idempotency
def test_if_empty_leaves_a_shop_with_products_alone(runner, make_product):
    make_product()

    result = runner.invoke(args=["seed-demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert db.session.scalar(select(func.count(Product.id))) == 1
    assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.both_databases  # the seeds' idempotency
def test_if_empty_loads_an_empty_shop(runner):
    result = runner.invoke(args=["seed-demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert len(listed_products()) >= 40


def test_the_summary_and_the_readme_give_the_same_counts_listed_and_all(seeded):
    producers = db.session.scalars(select(Producer)).all()
    approved = sum(p.status == ApprovalStatus.APPROVED for p in producers)
    products = db.session.scalar(select(func.count(Product.id)))
    listed = len(listed_products())
    said = (
        f"The shop now has {len(producers)} producers ({approved} approved) and "
        f"{products} products ({listed} on sale)."
    )
    assert said in seeded.output
    assert f"created {len(producers)} producers, {products} products," in seeded.output

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    found = re.search(
        r"loads (\d+) producers .*?\((\d+) approved.*?(\d+) products \((\d+) on sale", readme
    )
    assert found, "README's demo section no longer says the counts"
    assert tuple(map(int, found.groups())) == (len(producers), approved, products, listed)
