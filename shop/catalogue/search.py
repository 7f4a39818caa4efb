"""Finding listed products: the catalogue's search, filters, sorting and pages (HTML and API)."""

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from shop.catalogue.models import CertificateStatus, OcopCertificate, OcopGroup, Product
from shop.extensions import db
from shop.places import directory as places
from shop.places.directory import Commune, Province
from shop.producers.models import ApprovalStatus, Producer
from shop.text import fold

SORTS = ("relevance", "newest", "price_asc", "price_desc", "name", "stars")


@dataclass(frozen=True)
class Filters:
    """What a visitor asked the catalogue for; every field already validated."""

    q: str = ""
    group: OcopGroup | None = None
    stars: int | None = None
    provinces: tuple[int, ...] = ()  # official codes; any of them
    communes: tuple[int, ...] = ()
    district: str | None = None  # the old district's name ("formerly"), for existing clients
    price_min: int | None = None
    price_max: int | None = None
    sort: str = "relevance"
    page: int = 1

    @property
    def words(self) -> list[str]:
        """The query folded like the search columns: 'NƯỚC MẮM' → ['nuoc', 'mam']."""
        return fold(self.q).split()


def card_options() -> tuple:
    """Loader options for anything that renders product_card(): a fixed number of queries."""
    return (
        joinedload(Product.producer),
        selectinload(Product.photos),
        selectinload(Product.certificates),
    )


def listed_clause():
    """Shown to consumers: approved, active, and sold by an approved producer (SQL side)."""
    return and_(
        Product.status == ApprovalStatus.APPROVED,
        Product.is_active.is_(True),
        Producer.status == ApprovalStatus.APPROVED,
    )


def listed_products() -> Select:
    """Every listed product, producer joined and eager-loaded with photos and certificates."""
    return (
        select(Product)
        .join(Product.producer)
        .where(listed_clause())
        .options(
            contains_eager(Product.producer),
            selectinload(Product.photos),
            selectinload(Product.certificates),
        )
    )


def current_stars(today: date | None = None):
    """Stars a product may show today: the best verified, unexpired certificate (or NULL).

    The same rule as Product.ocop_stars, so the stars filter and the cards never disagree.
    """
    today = today or date.today()
    return (
        select(func.max(OcopCertificate.stars))
        .where(
            OcopCertificate.product_id == Product.id,
            OcopCertificate.status == CertificateStatus.VERIFIED,
            OcopCertificate.decision_date <= today,
            OcopCertificate.expires_on > today,
        )
        .correlate(Product)
        .scalar_subquery()
    )


def apply_filters(stmt: Select, filters: Filters) -> Select:
    """Narrow a listed_products() select by words, group, stars, place and price."""
    for word in filters.words:  # folded: only [a-z0-9], nothing LIKE would treat specially
        pattern = f"%{word}%"
        stmt = stmt.where(Product.search_text.like(pattern) | Producer.search_text.like(pattern))
    if filters.group:
        stmt = stmt.where(Product.ocop_group == filters.group)
    if filters.stars:
        stmt = stmt.where(current_stars() == filters.stars)
    if filters.provinces:
        stmt = stmt.where(Producer.province_code.in_(filters.provinces))
    if filters.communes:
        stmt = stmt.where(Producer.commune_code.in_(filters.communes))
    if filters.district:
        stmt = stmt.where(Producer.district == filters.district)
    if filters.price_min is not None:
        stmt = stmt.where(Product.price_vnd >= filters.price_min)
    if filters.price_max is not None:
        stmt = stmt.where(Product.price_vnd <= filters.price_max)
    return stmt


def apply_sort(stmt: Select, filters: Filters) -> Select:
    """Order the hits; the id breaks ties so that pages never overlap."""
    newest = (Product.created_at.desc(), Product.id.desc())
    if filters.sort == "price_asc":
        return stmt.order_by(Product.price_vnd.asc(), *newest)
    if filters.sort == "price_desc":
        return stmt.order_by(Product.price_vnd.desc(), *newest)
    if filters.sort == "name":  # search_text starts with the folded name
        return stmt.order_by(Product.search_text.asc(), Product.id.asc())
    if filters.sort == "stars":
        return stmt.order_by(func.coalesce(current_stars(), 0).desc(), *newest)
    if filters.sort == "relevance" and filters.words:
        phrase = " ".join(filters.words)
        rank = case(
            (Product.search_text.like(f"{phrase}%"), 0),  # the name starts with the query
            (Product.search_text.like(f"%{phrase}%"), 1),  # the words together, in order
            else_=2,  # the words scattered, or only the producer matched
        )
        return stmt.order_by(rank, *newest)
    return stmt.order_by(*newest)


def search_products(filters: Filters, per_page: int) -> Pagination:
    """One page of listed products matching the filters; .total counts every hit."""
    stmt = apply_sort(apply_filters(listed_products(), filters), filters)
    return db.paginate(stmt, page=filters.page, per_page=per_page, error_out=False, count=True)


@dataclass(frozen=True)
class ListedPlaces:
    """Where the producers of listed products are: the catalogue's "area" choice."""

    areas: list[tuple[Province, list[Commune]]]  # communes/wards grouped by province
    districts: list[str]  # old districts ("formerly"), for the legacy district filter


def listed_places() -> ListedPlaces:
    """One small DISTINCT over the producers of listed products; names from the directory."""
    stmt = (
        select(Producer.province_code, Producer.commune_code, Producer.district)
        .join(Producer.products)
        .where(listed_clause())
        .distinct()
    )
    grouped: dict[int, set[Commune]] = {}
    districts: set[str] = set()
    for province_code, commune_code, district in db.session.execute(stmt):
        found = places.commune(commune_code)
        if found is not None and found.province_code == province_code:
            grouped.setdefault(province_code, set()).add(found)
        if district:
            districts.add(district)
    areas = [
        (p, sorted(grouped[p.code], key=lambda c: (places.bare(c.name), c.name)))
        for p in places.provinces()
        if p.code in grouped
    ]
    return ListedPlaces(areas, sorted(districts, key=lambda d: (fold(d), d)))


def find_product(slug: str) -> Product | None:
    """A product by slug with what its page shows, listed or not (the view decides who sees it)."""
    if "\x00" in slug or len(slug) > Product.slug.type.length:
        return None  # could never have been stored (PostgreSQL rejects NUL in text)
    stmt = select(Product).where(Product.slug == slug).options(*card_options())
    return db.session.scalar(stmt)


def find_listed_product(product_id: int) -> Product | None:
    """A listed product by id, for the public API."""
    stmt = listed_products().where(Product.id == product_id)
    return db.session.scalar(stmt)
