"""Finding listed products: the catalogue's search, filters, sorting and pages (HTML and API)."""

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, column, func, select, table
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from shop.catalogue import cache, upkeep  # noqa: F401  (upkeep: its flush listeners)
from shop.catalogue.models import OcopGroup, Product, ProductSearch, StarPeriod
from shop.clock import local_today
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


def stars_on(today: date | None = None):
    """The star period covering today (at most one per product): its stars are the current ones.

    The same rule as Product.ocop_stars (verified, decision_date <= today < expires_on), read
    from product_star_periods with an index instead of a sub-query per product.
    """
    today = today or local_today()
    return StarPeriod.starts_on <= today, StarPeriod.ends_on > today


# SQLite's FTS5 trigram mirror of product_search (see shop.catalogue.models): not an ORM table.
_fts = table("product_search_fts", column("rowid"), column("doc"))
TRIGRAM = 3


def matching_ids(words: list[str]) -> Select:
    """Ids of products whose folded words or producer's contain every word, through an index.

    PostgreSQL: the trigram index on product_search.doc; SQLite: the FTS5 trigram table. Both
    answer the same `LIKE '%word%'` (words are folded to [a-z0-9], nothing LIKE treats
    specially), so both databases find the same products.
    """
    stmt = select(ProductSearch.product_id)
    if db.session.get_bind().dialect.name != "sqlite":
        return stmt.where(*(ProductSearch.doc.like(f"%{word}%") for word in words))
    # SQLite: a word of fewer than 3 letters has no trigram to look up (and SQLite 3.40's FTS5
    # crashes on such a LIKE beside others), so the short words are checked on the row itself.
    long = [word for word in words if len(word) >= TRIGRAM]
    short = [word for word in words if len(word) < TRIGRAM]
    if long:
        indexed = select(_fts.c.rowid).where(*(_fts.c.doc.like(f"%{word}%") for word in long))
        stmt = stmt.where(ProductSearch.product_id.in_(indexed))
    return stmt.where(*(ProductSearch.doc.like(f"%{word}%") for word in short))


def apply_filters(stmt: Select, filters: Filters) -> Select:
    """Narrow a select of listed products (producer joined) by words, group, stars, place, price."""
    if filters.words:
        stmt = stmt.where(Product.id.in_(matching_ids(filters.words)))
    if filters.group:
        stmt = stmt.where(Product.ocop_group == filters.group)
    if filters.stars:
        starred = select(StarPeriod.product_id).where(
            StarPeriod.stars == filters.stars, *stars_on()
        )
        stmt = stmt.where(Product.id.in_(starred))
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
        period = aliased(StarPeriod)
        today = local_today()
        covering = and_(
            period.product_id == Product.id, period.starts_on <= today, period.ends_on > today
        )
        stmt = stmt.outerjoin(period, covering)
        return stmt.order_by(func.coalesce(period.stars, 0).desc(), *newest)
    if filters.sort == "relevance" and filters.words:
        phrase = " ".join(filters.words)
        rank = case(
            (Product.search_text.like(f"{phrase}%"), 0),  # the name starts with the query
            (Product.search_text.like(f"%{phrase}%"), 1),  # the words together, in order
            else_=2,  # the words scattered, or only the producer matched
        )
        return stmt.order_by(rank, *newest)
    return stmt.order_by(*newest)


class ListingPage(Pagination):
    """One page of a listing: which products, and how many in all, from the catalogue cache.

    Both only change when the catalogue does (a write bumps the cache) or the day does (the
    key holds the date); the products themselves are always read fresh, so stock and stars
    on the page are the database's, never a copy.
    """

    def _query_items(self) -> list[Product]:
        key = (self._query_args["filters"], self.per_page)
        ids = cache.remember("page", key, self._page_ids)
        if not ids:
            return []
        stmt = listed_products().where(Product.id.in_(ids))
        found = {product.id: product for product in db.session.scalars(stmt)}
        return [found[i] for i in ids if i in found]

    def _page_ids(self) -> list[int]:
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(db.session.scalars(stmt))

    def _query_count(self) -> int:
        counted = replace(self._query_args["filters"], page=1, sort="relevance")
        return cache.remember("total", counted, self._count)

    def _count(self) -> int:
        sub = self._query_args["select"].order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(sub))


def search_products(filters: Filters, per_page: int) -> Pagination:
    """One page of listed products matching the filters; .total counts every hit."""
    ids = select(Product.id).join(Product.producer).where(listed_clause())
    stmt = apply_sort(apply_filters(ids, filters), filters)
    return ListingPage(
        page=filters.page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        select=stmt,
        filters=filters,
    )


@dataclass(frozen=True)
class ListedPlaces:
    """Where the producers of listed products are: the catalogue's "area" choice."""

    areas: list[tuple[Province, list[Commune]]]  # communes/wards grouped by province
    districts: list[str]  # old districts ("formerly"), for the legacy district filter


def listed_places() -> ListedPlaces:
    """Where producers of listed products are (cached rows); names from the directory."""
    rows = cache.remember("places", (), _listed_place_rows)
    return _group_places(tuple(tuple(row) for row in rows))


@lru_cache(maxsize=16)
def _group_places(rows: tuple[tuple, ...]) -> ListedPlaces:
    """Communes grouped by province and sorted by name: the same rows give the same answer,
    so it is worked out once per process, not on every request (sorting folds ~every name)."""
    grouped: dict[int, set[Commune]] = {}
    districts: set[str] = set()
    for province_code, commune_code, district in rows:
        commune = places.commune(commune_code)
        if commune is not None and commune.province_code == province_code:
            grouped.setdefault(province_code, set()).add(commune)
        if district:
            districts.add(district)
    areas = [
        (p, sorted(grouped[p.code], key=lambda c: (places.bare(c.name), c.name)))
        for p in places.provinces()
        if p.code in grouped
    ]
    return ListedPlaces(areas, sorted(districts, key=lambda d: (fold(d), d)))


def _listed_place_rows() -> list[list]:
    """Places of approved producers with a listed product (a cache miss): one probe of the
    products' producer index per producer, not a join over every product."""
    sells = (
        select(Product.id)
        .where(
            Product.producer_id == Producer.id,
            Product.status == ApprovalStatus.APPROVED,
            Product.is_active.is_(True),
        )
        .exists()
    )
    stmt = (
        select(Producer.province_code, Producer.commune_code, Producer.district)
        .where(Producer.status == ApprovalStatus.APPROVED, sells)
        .distinct()
    )
    return [list(row) for row in db.session.execute(stmt)]


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
