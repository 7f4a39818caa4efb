"""The cart: guests keep it in the session, customers in CartItem (on every device they use).

When a guest logs in, the session cart merges into the account's: quantities add up, capped
by the stock. Nothing is reserved in a cart; placing the order reserves (orders.py). Writes
flush; the view commits.
"""

from dataclasses import dataclass, field

from flask import session
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_in
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload, selectinload

from shop.catalogue.models import Product
from shop.checkout.models import CartItem
from shop.extensions import db, lock_for_writing
from shop.producers.models import Producer

MAX_QUANTITY = 999  # of one product in one order
MAX_LINES = 50  # the session cookie stays small
SESSION_KEY = "cart"


class CartRefused(Exception):
    """A cart change that cannot be made; `message` tells the customer why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class CartLine:
    product: Product
    quantity: int

    @property
    def total_vnd(self) -> int:
        return self.product.price_vnd * self.quantity

    @property
    def problem(self):
        """Why this line cannot be ordered as it is (None: it can)."""
        if not self.product.is_listed:
            return _l("No longer on sale: please remove it.")
        if self.product.stock <= 0:
            return _l("Sold out: please remove it.")
        if self.quantity > self.product.stock:
            return _l("Only %(n)s left: please lower the quantity.", n=self.product.stock)
        return None


@dataclass
class ProducerGroup:
    """The lines one producer packs: a cart may hold products from several producers."""

    producer: Producer
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal_vnd(self) -> int:
        return sum(line.total_vnd for line in self.lines)


@dataclass
class Cart:
    lines: list[CartLine]

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def subtotal_vnd(self) -> int:
        return sum(line.total_vnd for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return any(line.problem for line in self.lines)

    @property
    def groups(self) -> list[ProducerGroup]:
        groups: dict[int, ProducerGroup] = {}
        for line in self.lines:
            producer = line.product.producer
            groups.setdefault(producer.id, ProducerGroup(producer)).lines.append(line)
        return list(groups.values())

    def items(self) -> list[tuple[int, int]]:
        """(product_id, quantity) pairs, for place_order."""
        return [(line.product.id, line.quantity) for line in self.lines]


def _is_customer(user) -> bool:
    return user is not None and user.is_authenticated


def _is_pair(pair) -> bool:
    return isinstance(pair, list) and len(pair) == 2 and all(type(n) is int and n > 0 for n in pair)


def _session_entries() -> dict[int, int]:
    """The guest cart, [[product_id, quantity], …] in the order things were added (a list:
    the session's JSON sorts the keys of a dict); anything malformed is ignored."""
    entries = {}
    stored = session.get(SESSION_KEY)
    for pair in stored if isinstance(stored, list) else []:
        if _is_pair(pair):
            entries[pair[0]] = pair[1]
    return entries


def _save_session(entries: dict[int, int]) -> None:
    session[SESSION_KEY] = [[pid, quantity] for pid, quantity in entries.items()]


def _entries(user) -> dict[int, int]:
    if not _is_customer(user):
        return _session_entries()
    rows = db.session.execute(
        select(CartItem.product_id, CartItem.quantity)
        .where(CartItem.user_id == user.id)
        .order_by(CartItem.added_at, CartItem.id)
    )
    return {row.product_id: row.quantity for row in rows}


def load_cart(user) -> Cart:
    """The cart with its products (and their producers), in the order things were added."""
    entries = _entries(user)
    products = {
        p.id: p
        for p in db.session.scalars(
            select(Product)
            .where(Product.id.in_(list(entries)))
            .options(joinedload(Product.producer), selectinload(Product.photos))
        )
    }
    return Cart([CartLine(products[pid], q) for pid, q in entries.items() if pid in products])


def cart_units(user) -> int:
    """How many items the cart holds (for the header), without loading the products."""
    return sum(_entries(user).values())


def _sellable(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or not product.is_listed:
        raise CartRefused(_l("This product is not on sale."))
    if product.stock <= 0:
        raise CartRefused(_l("“%(name)s” is sold out.", name=product.name))
    return product


def _begin_write(user) -> None:
    """Customers' carts are rows: take SQLite's write lock before reading them."""
    if _is_customer(user):
        lock_for_writing()


def _store(user, product_id: int, quantity: int, entries: dict[int, int]) -> None:
    if not _is_customer(user):
        entries[product_id] = quantity
        _save_session(entries)
        return
    item = db.session.scalar(
        select(CartItem).where(CartItem.user_id == user.id, CartItem.product_id == product_id)
    )
    if item is None:
        db.session.add(CartItem(user_id=user.id, product_id=product_id, quantity=quantity))
    else:
        item.quantity = quantity
    db.session.flush()


def _capped(product: Product, quantity: int):
    """The quantity the stock allows, and a note when it is less than asked for."""
    allowed = min(quantity, product.stock, MAX_QUANTITY)
    if allowed == quantity:
        return allowed, None
    # str(): a lazy string counts as safe HTML, and the product name is a producer's text.
    return allowed, str(
        _l(
            "Only %(n)s of “%(name)s” can be ordered; your cart now holds %(n)s.",
            n=allowed,
            name=product.name,
        )
    )


def add_to_cart(user, product_id: int, quantity: int) -> tuple[Product, object]:
    """Add `quantity` more; returns the product and a note when the stock capped it (else
    None). CartRefused when the product is not on sale or sold out, or the cart is full."""
    _begin_write(user)
    product = _sellable(product_id)
    entries = _entries(user)
    if product_id not in entries and len(entries) >= MAX_LINES:
        raise CartRefused(_l("Your cart is full: order what it holds first."))
    allowed, note = _capped(product, entries.get(product_id, 0) + quantity)
    _store(user, product_id, allowed, entries)
    return product, note


def set_quantity(user, product_id: int, quantity: int):
    """Change a line's quantity (0 removes it); returns a note when the stock capped it."""
    if quantity == 0:
        remove_from_cart(user, product_id)
        return None
    _begin_write(user)
    entries = _entries(user)
    if product_id not in entries:
        raise CartRefused(_l("This product is not in your cart."))
    product = _sellable(product_id)
    allowed, note = _capped(product, quantity)
    _store(user, product_id, allowed, entries)
    return note


def remove_from_cart(user, product_id: int) -> None:
    if not _is_customer(user):
        entries = _session_entries()
        entries.pop(product_id, None)
        _save_session(entries)
        return
    _begin_write(user)
    db.session.execute(
        delete(CartItem).where(CartItem.user_id == user.id, CartItem.product_id == product_id)
    )


def clear_cart(user) -> None:
    """Empty the cart (after an order). Flushes; for customers, inside the order's transaction."""
    session.pop(SESSION_KEY, None)
    if _is_customer(user):
        db.session.execute(delete(CartItem).where(CartItem.user_id == user.id))


def merge_into_account(user) -> None:
    """Move the guest cart of this browser into the account's cart: quantities add up, capped
    by the stock; products no longer on sale are dropped. Flushes."""
    guest = _session_entries()
    session.pop(SESSION_KEY, None)
    if not guest:
        return
    lock_for_writing()
    entries = _entries(user)
    for product_id, quantity in guest.items():
        product = db.session.get(Product, product_id)
        if product is None or not product.is_listed or product.stock <= 0:
            continue
        if product_id not in entries and len(entries) >= MAX_LINES:
            break
        allowed, _note = _capped(product, entries.get(product_id, 0) + quantity)
        _store(user, product_id, allowed, entries)
        entries[product_id] = allowed


@user_logged_in.connect
def _merge_on_login(sender, user, **extra) -> None:
    """Flask-Login's signal: a guest who logs in keeps what they put in the cart."""
    if not session.get(SESSION_KEY):
        return
    merge_into_account(user)
    db.session.commit()
