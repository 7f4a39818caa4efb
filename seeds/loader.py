"""Load the Thanh Hóa demo data: create what is missing, never change what is already there.

Rows are matched on natural keys (producer slug, product slug or GTIN, account e-mail,
certificate decision number within its product, growing-area and packing-house code, lot
number within its product), so running the loader twice changes nothing, and whatever staff
changed in the demo (an approval, a price, a revoked code) survives a re-run. origins.py
loads the traceability part. The loader flushes; the caller (`seed-demo`) commits.
"""

from dataclasses import dataclass, fields
from datetime import date
from functools import cache

from sqlalchemy import select

from seeds import images
from seeds.data import REFERENCE_DATE, place, read
from seeds.origins import load_origins
from shop.auth.models import Role, User
from shop.catalogue import gtin as gtin_rules
from shop.catalogue.images import store
from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    OcopGroup,
    Product,
    ProductPhoto,
    QuantityUnit,
)
from shop.extensions import db, utcnow
from shop.producers.models import ApprovalStatus, Producer

__all__ = ["REFERENCE_DATE", "accounts_table", "demo_accounts", "load_demo", "read"]

ISSUERS = {
    3: "UBND tỉnh Thanh Hóa",
    4: "UBND tỉnh Thanh Hóa",
    5: "Bộ Nông nghiệp và Phát triển nông thôn",
}


def demo_accounts() -> list[dict]:
    """The demo logins: role, email, password, name, phone and the producer slug they run."""
    return read("accounts")


def accounts_table() -> str:
    """The demo logins as a plain-text table, for the terminal and the README."""
    rows = [("role", "e-mail", "password")] + [
        (a["role"], a["email"], a["password"]) for a in demo_accounts()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(["Demo accounts (for trying the shop on a laptop only):", *lines])


@dataclass
class Created:
    """What one run added, for the summary."""

    producers: int = 0
    products: int = 0
    certificates: int = 0
    photos: int = 0
    accounts: int = 0
    growing_areas: int = 0
    packing_houses: int = 0
    batches: int = 0
    events: int = 0
    lab_reports: int = 0

    def __str__(self) -> str:
        parts = [
            f"{getattr(self, f.name)} {f.name.replace('_', ' ')}"
            for f in fields(self)
            if getattr(self, f.name)
        ]
        return ", ".join(parts)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def load_demo(if_empty: bool = False) -> str:
    """Create the demo producers, products, certificates, photos, accounts, growing areas,
    packing houses and batches (with their event timelines) that are missing.

    With if_empty, a shop that already has any product is left alone. Returns a summary
    for the terminal that ends with the demo accounts table.
    """
    if if_empty and db.session.scalar(select(Product.id).limit(1)) is not None:
        return "The shop already has products; demo data not loaded.\n\n" + accounts_table()
    created = Created()
    producers = _load_producers(created)
    products = _load_products(producers, created)
    _load_accounts(producers, created)
    load_origins(producers, products, created)
    db.session.flush()
    if created:
        head = f"Thanh Hóa demo data loaded: created {created}."
    else:
        head = "Thanh Hóa demo data already loaded; nothing changed."
    return f"{head}\n\n{accounts_table()}"


def _load_producers(created: Created) -> dict[str, Producer]:
    rows = read("producers")
    existing = {
        p.slug: p
        for p in db.session.scalars(
            select(Producer).where(Producer.slug.in_([r["slug"] for r in rows]))
        )
    }
    for row in rows:
        if row["slug"] in existing:
            continue
        status = ApprovalStatus(row["status"])
        producer = Producer(
            slug=row["slug"],
            name=row["name"],
            story=row["story"],
            address=row["address"],
            district=row["district"],  # the old district, shown as "formerly"
            phone=row["phone"],
            email=row["email"],
            status=status,
            reviewed_at=utcnow() if status == ApprovalStatus.APPROVED else None,
            photo=store(images.producer_photo(row["name"], row["commune"], row["scene"])),
        )
        producer.set_place(*place(row))
        db.session.add(producer)
        existing[row["slug"]] = producer
        created.producers += 1
        created.photos += 1
    return existing


def _load_products(producers: dict[str, Producer], created: Created) -> dict[str, Product]:
    """The demo products by slug: those already there and those created now."""
    rows = read("products")
    gtins = [gtin_rules.canonical(r["gtin"]) for r in rows if r["gtin"]]
    by_slug = {
        p.slug: p
        for p in db.session.scalars(
            select(Product).where(Product.slug.in_([r["slug"] for r in rows]))
        )
    }
    taken_gtins = set(db.session.scalars(select(Product.gtin).where(Product.gtin.in_(gtins))))
    known_certificates = {
        (product_id, number)
        for product_id, number in db.session.execute(
            select(OcopCertificate.product_id, OcopCertificate.decision_number).where(
                OcopCertificate.product_id.in_([p.id for p in by_slug.values()])
            )
        )
    }
    for row in rows:
        product = by_slug.get(row["slug"])
        if product is None:
            gtin = gtin_rules.canonical(row["gtin"]) if row["gtin"] else None
            if gtin in taken_gtins:
                continue  # someone listed this GTIN under another slug: theirs wins
            product = _new_product(row, producers[row["producer"]], gtin, created)
            by_slug[row["slug"]] = product
        for cert in row["certificates"]:
            if (product.id, cert["decision_number"]) in known_certificates:
                continue
            product.certificates.append(_certificate(cert))
            created.certificates += 1
    return by_slug


def _new_product(row: dict, producer: Producer, gtin: str | None, created: Created) -> Product:
    unit = row["net_quantity_unit"]
    product = Product(
        producer=producer,
        slug=row["slug"],
        name=row["name"],
        description=row["description"],
        ocop_group=OcopGroup(row["ocop_group"]),
        gtin=gtin,
        unit=row["unit"],
        net_quantity=row["net_quantity"],
        net_quantity_unit=QuantityUnit(unit) if unit else None,
        price_vnd=row["price_vnd"],
        stock=row["stock"],
        shelf_life_days=row["shelf_life_days"],
        status=ApprovalStatus(row["status"]),
        is_active=True,
    )
    for position in range(row["photos"]):
        data = images.product_photo(row["name"], row["ocop_group"], row["motif"], position)
        product.photos.append(ProductPhoto(filename=store(data), position=position))
        created.photos += 1
    db.session.add(product)
    created.products += 1
    return product


def _certificate(cert: dict) -> OcopCertificate:
    stars = cert["stars"]
    return OcopCertificate(
        decision_number=cert["decision_number"],
        decision_date=date.fromisoformat(cert["decision_date"]),
        issuer=ISSUERS[stars],
        stars=stars,
        score=cert["score"],
        status=CertificateStatus(cert["status"]),
    )


def _load_accounts(producers: dict[str, Producer], created: Created) -> None:
    rows = demo_accounts()
    existing = set(
        db.session.scalars(select(User.email).where(User.email.in_([r["email"] for r in rows])))
    )
    for row in rows:
        if row["email"] in existing:
            continue
        user = User(
            email=User.normalise_email(row["email"]),
            name=row["name"],
            phone=row["phone"],
            role=Role(row["role"]),
            producer=producers[row["producer"]] if row["producer"] else None,
        )
        user.password_hash = _password_hash(row["password"])
        db.session.add(user)
        created.accounts += 1


@cache
def _password_hash(password: str) -> str:
    """Hashing is slow on purpose; the demo's published passwords are hashed once per process."""
    scratch = User()
    scratch.set_password(password)
    return scratch.password_hash
