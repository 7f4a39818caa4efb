"""Rows derived from products, producers and certificates, kept in step on every flush.

Search looks in product_search (one folded document per product) and the stars filter in
product_star_periods; both are rewritten, in the same transaction, for the products a flush
touched, so they can never disagree with what was committed. Bulk loads that bypass the ORM
call rebuild_everything() (or `flask reindex-catalogue`) once they are done.
"""

from collections.abc import Iterable

from sqlalchemy import Connection, delete, event, insert, inspect, or_, select
from sqlalchemy.orm import Session

from shop.catalogue import cache
from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    Product,
    ProductPhoto,
    ProductSearch,
    StarPeriod,
    star_periods,
)
from shop.producers.models import Producer


def rebuild_search(
    conn: Connection, product_ids: Iterable[int] = (), producer_ids: Iterable[int] = ()
) -> None:
    """Rewrite the search rows of these products and of every product of these producers."""
    product_ids, producer_ids = list(product_ids), list(producer_ids)
    if not product_ids and not producer_ids:
        return
    chosen = or_(Product.id.in_(product_ids), Product.producer_id.in_(producer_ids))
    targets = select(Product.id).where(chosen)
    conn.execute(delete(ProductSearch).where(ProductSearch.product_id.in_(targets)))
    documents = (
        select(Product.id, Product.search_text + " " + Producer.search_text)
        .join(Producer, Producer.id == Product.producer_id)
        .where(chosen)
    )
    conn.execute(
        insert(ProductSearch).from_select([ProductSearch.product_id, ProductSearch.doc], documents)
    )


def rebuild_star_periods(conn: Connection, product_ids: Iterable[int]) -> None:
    """Rewrite the star periods of these products from their verified certificates."""
    product_ids = list(product_ids)
    if product_ids:
        _write_star_periods(conn, product_ids)


def rebuild_everything(conn: Connection) -> None:
    """Rewrite every search row and star period: after a bulk load that bypassed the ORM."""
    conn.execute(delete(ProductSearch))
    documents = select(Product.id, Product.search_text + " " + Producer.search_text).join(
        Producer, Producer.id == Product.producer_id
    )
    conn.execute(
        insert(ProductSearch).from_select([ProductSearch.product_id, ProductSearch.doc], documents)
    )
    _write_star_periods(conn, None)


def _write_star_periods(conn: Connection, product_ids: list[int] | None) -> None:
    """Replace the periods of these products (None: of every product)."""
    stmt = select(
        OcopCertificate.product_id,
        OcopCertificate.stars,
        OcopCertificate.decision_date,
        OcopCertificate.expires_on,
    ).where(OcopCertificate.status == CertificateStatus.VERIFIED)
    if product_ids is None:
        conn.execute(delete(StarPeriod))
    else:
        conn.execute(delete(StarPeriod).where(StarPeriod.product_id.in_(product_ids)))
        stmt = stmt.where(OcopCertificate.product_id.in_(product_ids))
    found: dict[int, list] = {}
    rows = conn.execute(stmt)
    for product_id, stars, start, end in rows:
        found.setdefault(product_id, []).append((stars, start, end))
    periods = [
        {"product_id": product_id, "stars": stars, "starts_on": start, "ends_on": end}
        for product_id, certificates in found.items()
        for stars, start, end in star_periods(certificates)
    ]
    if periods:
        conn.execute(insert(StarPeriod), periods)


def _changed(obj, *attributes: str) -> bool:
    """Whether a flushed object's value really changed (setting the same value does not count)."""
    state = inspect(obj)
    for name in attributes:
        history = state.attrs[name].history
        if history.added and list(history.added) != list(history.deleted):
            return True
    return False


CATALOGUE = (Product, Producer, OcopCertificate, ProductPhoto)
STOCK_ONLY = {"stock", "updated_at"}  # what an order changes; no cached answer depends on it


def _changes_catalogue(session: Session) -> bool:
    """Whether the flush changed anything a cached catalogue answer is computed from."""
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, CATALOGUE):
            return True
    for obj in session.dirty:
        if isinstance(obj, Product):
            state = inspect(obj)
            changed = {a.key for a in state.attrs if a.history.has_changes()}
            if changed - STOCK_ONLY:
                return True
        elif isinstance(obj, CATALOGUE) and session.is_modified(obj):
            return True
    return False


@event.listens_for(Session, "after_commit")
def _forget_cached_answers(session: Session) -> None:
    """Only once the change is visible to other transactions: a reader that computed before
    the commit keeps its answer under the old version, which nobody asks for any more."""
    if session.info.pop("catalogue_changed", False):
        cache.bump()


@event.listens_for(Session, "after_rollback")
def _nothing_changed(session: Session) -> None:
    session.info.pop("catalogue_changed", None)


@event.listens_for(Session, "after_flush")
def _keep_in_step(session: Session, flush_context) -> None:
    """After the flush's writes, in its transaction: refresh what the flush made stale."""
    if _changes_catalogue(session):
        session.info["catalogue_changed"] = True
    searched: set[int] = set()
    producers: set[int] = set()
    starred: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Product):
            searched.add(obj.id)
        elif isinstance(obj, OcopCertificate):
            starred.add(obj.product_id)
    for obj in session.dirty:
        if isinstance(obj, Product) and _changed(obj, "search_text", "producer_id"):
            searched.add(obj.id)
        elif isinstance(obj, Producer) and _changed(obj, "search_text"):
            producers.add(obj.id)
        elif isinstance(obj, OcopCertificate) and _changed(
            obj, "status", "stars", "decision_date", "expires_on", "product_id"
        ):
            starred.add(obj.product_id)
            starred.update(inspect(obj).attrs.product_id.history.deleted or ())
    for obj in session.deleted:
        if isinstance(obj, OcopCertificate):
            starred.add(obj.product_id)
    deleted_products = {obj.id for obj in session.deleted if isinstance(obj, Product)}
    if not (searched or producers or starred or deleted_products):
        return
    conn = session.connection()
    if deleted_products:  # SQLite enforces no ON DELETE CASCADE unless told to
        conn.execute(delete(ProductSearch).where(ProductSearch.product_id.in_(deleted_products)))
        conn.execute(delete(StarPeriod).where(StarPeriod.product_id.in_(deleted_products)))
    rebuild_search(conn, searched - deleted_products, producers)
    rebuild_star_periods(conn, starred - deleted_products - {None})
