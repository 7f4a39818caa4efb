"""Placing an order (stock and lots reserved atomically), cancelling it, and its token.

Stock is never oversold: every unit is taken by one guarded UPDATE (`stock = stock - q WHERE
stock >= q`), products in id order so two orders never wait for each other in a circle, and
on SQLite the transaction holds the write lock (BEGIN IMMEDIATE) before it reads anything.
Functions flush; the caller commits, or rolls back when they raise.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from shop.catalogue.models import Product
from shop.checkout.emails import deliver_pending, queue_order_email
from shop.checkout.models import Order, OrderLine, OrderStatus, PaymentMethod, hash_token
from shop.checkout.shipping import commission, shipping_fee
from shop.extensions import db, lock_for_writing, utcnow
from shop.places.directory import Commune, Province, find_communes, find_province
from shop.producers.models import ApprovalStatus, Producer
from shop.trace.models import Batch

# Banks keep only letters and digits of a transfer memo; no 0/O or 1/I to misread.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "DH"  # đơn hàng
CODE_LENGTH = 8


@dataclass(frozen=True)
class Customer:
    """Who receives the order and where (the phone already normalised, 0xxxxxxxxx)."""

    name: str
    phone: str
    email: str
    address: str
    province: str  # a province's name or code (the form has checked it)
    note: str = ""
    commune: str = ""  # optional: a commune/ward of that province, by name or code

    def place(self) -> tuple[Province | None, Commune | None]:
        """The official province and commune/ward of the delivery address."""
        province = find_province(self.province)
        if province is None or not self.commune:
            return province, None
        communes = find_communes(self.commune, province.code)
        return province, communes[0] if len(communes) == 1 else None


class CannotOrder(Exception):
    """A product of the order cannot be sold now; `message` says which and why."""

    def __init__(self, product_id: int, name: str, message):
        super().__init__(f"product {product_id}: {message}")
        self.product_id, self.name, self.message = product_id, name, message


class OutOfStock(CannotOrder):
    def __init__(self, product: Product, wanted: int):
        self.available = max(product.stock, 0)
        if self.available:
            message = _l(
                "Only %(n)s of “%(name)s” are left; you asked for %(wanted)s.",
                n=self.available,
                name=product.name,
                wanted=wanted,
            )
        else:
            message = str(_l("“%(name)s” has just sold out.", name=product.name))
        super().__init__(product.id, product.name, message)


class Unavailable(CannotOrder):
    def __init__(self, product_id: int, name: str = ""):
        message = (
            str(_l("“%(name)s” is no longer on sale.", name=name))
            if name
            else _l("Product %(id)s is not on sale.", id=product_id)
        )
        super().__init__(product_id, name, message)


class AlreadyPlaced(Exception):
    """This idempotency key placed an order before: here it is, with its token."""

    def __init__(self, order: Order, token: str):
        super().__init__(order.code)
        self.order, self.token = order, token


class KeyReused(Exception):
    """This idempotency key placed a different order (other items or another customer)."""


def place_order(
    items: Iterable,
    customer: Customer,
    payment_method: PaymentMethod | str,
    user=None,
    idempotency_key: str | None = None,
) -> tuple[Order, str]:
    """Reserve the stock and lots of `items` ((product_id, quantity) pairs or cart lines) and
    create the order, awaiting payment until ORDER_RESERVATION_MINUTES from now.

    Prices, names and lots come from the database, never from the client. Returns the order
    and its token (stored only hashed). Raises OutOfStock or Unavailable (the caller rolls
    back: nothing is reserved), AlreadyPlaced when `idempotency_key` placed this order before,
    KeyReused when it placed another. Queues the "placed" e-mail. Flushes.
    """
    wanted = _quantities(items)
    payment_method = PaymentMethod(payment_method)
    lock_for_writing()
    if idempotency_key:
        _wait_for_same_key(idempotency_key)
        _refuse_replay(idempotency_key, wanted, customer)
    lines = []
    for product_id in sorted(wanted):  # one order of locking for everyone: no deadlock
        lines += _reserve(product_id, wanted[product_id])
    subtotal = sum(line.total_vnd for line in lines)
    shipping = shipping_fee(customer.province, subtotal)
    token = _key_token(idempotency_key) if idempotency_key else secrets.token_urlsafe(24)
    now = utcnow()
    order = Order(
        code=_new_code(),
        token_hash=hash_token(token),
        idempotency_key=idempotency_key or None,
        user_id=getattr(user, "id", None),
        status=OrderStatus.PENDING_PAYMENT,
        payment_method=payment_method,
        customer_name=customer.name,
        phone=customer.phone,
        email=customer.email,
        address=customer.address,
        province=customer.province,  # the official name, when set_place() below finds it
        note=customer.note or "",
        subtotal_vnd=subtotal,
        shipping_vnd=shipping,
        total_vnd=subtotal + shipping,
        created_at=now,
        expires_at=now + timedelta(minutes=current_app.config["ORDER_RESERVATION_MINUTES"]),
        lines=lines,
    )
    province, commune = customer.place()
    if province is not None:
        order.set_place(province, commune)
    db.session.add(order)
    db.session.flush()
    queue_order_email(order, "placed", token=token)
    return order, token


def _quantities(items: Iterable) -> dict[int, int]:
    """{product_id: total quantity}; the same product twice is one line."""
    wanted: dict[int, int] = {}
    for item in items:
        if isinstance(item, tuple):
            product_id, quantity = item
        else:
            product_id, quantity = item.product_id, item.quantity
        if type(product_id) is not int or type(quantity) is not int or quantity <= 0:
            raise ValueError(f"not an order item: {item!r}")
        wanted[product_id] = wanted.get(product_id, 0) + quantity
    if not wanted:
        raise ValueError("an order needs at least one item")
    return wanted


def _reserve(product_id: int, quantity: int) -> list[OrderLine]:
    """Take `quantity` units off the product's stock in one guarded UPDATE, then from its lots."""
    approved_producers = select(Producer.id).where(Producer.status == ApprovalStatus.APPROVED)
    taken = db.session.execute(
        update(Product)
        .where(
            Product.id == product_id,
            Product.stock >= quantity,
            Product.is_active.is_(True),
            Product.status == ApprovalStatus.APPROVED,
            Product.producer_id.in_(approved_producers),
        )
        .values(stock=Product.stock - quantity)
        .returning(
            Product.id,
            Product.name,
            Product.price_vnd,
            Product.unit,
            Product.gtin,
            Product.producer_id,
        )
    ).one_or_none()
    if taken is None:
        raise _refusal(product_id, quantity)
    producer_name = db.session.scalar(select(Producer.name).where(Producer.id == taken.producer_id))
    return [
        OrderLine(
            product_id=taken.id,
            producer_id=taken.producer_id,
            batch_id=batch_id,
            product_name=taken.name,
            producer_name=producer_name,
            gtin=taken.gtin,
            lot=lot,
            unit=taken.unit,
            unit_price_vnd=taken.price_vnd,
            quantity=units,
            commission_vnd=commission(taken.price_vnd * units),
        )
        for batch_id, lot, units in _take_from_lots(taken.id, quantity)
    ]


def _refusal(product_id: int, quantity: int) -> CannotOrder:
    product = db.session.get(Product, product_id)
    if product is None:
        return Unavailable(product_id)
    db.session.refresh(product)  # the stock as it is now, not as this session last saw it
    if not product.is_listed:
        return Unavailable(product_id, product.name)
    return OutOfStock(product, quantity)


def _take_from_lots(product_id: int, quantity: int) -> list[tuple[int | None, str | None, int]]:
    """(batch_id, lot, units) parts: the oldest packed lot on sale first, split when one lot
    is not enough; units no recorded lot holds are sold without one (lot None)."""
    lots = db.session.execute(
        select(Batch.id, Batch.lot, Batch.units_left)
        .where(
            Batch.product_id == product_id,
            Batch.on_sale.is_(True),
            Batch.recalled_at.is_(None),
            Batch.units_left > 0,
        )
        .order_by(Batch.packing_date.is_(None), Batch.packing_date, Batch.id)
    ).all()
    parts, remaining = [], quantity
    for lot in lots:
        if remaining == 0:
            break
        take = min(remaining, lot.units_left)
        result = db.session.execute(
            update(Batch)
            .where(Batch.id == lot.id, Batch.units_left >= take)
            .values(units_left=Batch.units_left - take)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            parts.append((lot.id, lot.lot, take))
            remaining -= take
    if remaining:
        parts.append((None, None, remaining))
    return parts


def _new_code() -> str:
    """DH + 8 letters and digits: what survives a bank's memo field; unique."""
    for _ in range(10):
        code = CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Order.id).where(Order.code == code)) is None:
            return code
    raise RuntimeError("could not draw an unused order code")


def _key_token(idempotency_key: str) -> str:
    """The token of the order an idempotency key places: derived from the key with the secret,
    so a retry whose answer was lost gets the same token back (only its hash is stored)."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, b"order-token:" + idempotency_key.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode()


def _wait_for_same_key(idempotency_key: str) -> None:
    """PostgreSQL: two requests with one key take turns (the second then finds the first's
    order), instead of both reserving stock and one failing on the unique key. SQLite's
    write lock already makes every order take its turn."""
    if db.engine.dialect.name != "postgresql":
        return
    number = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], signed=True)
    db.session.execute(select(func.pg_advisory_xact_lock(number)))


def _refuse_replay(idempotency_key: str, wanted: dict[int, int], customer: Customer) -> None:
    order = db.session.scalar(
        select(Order)
        .where(Order.idempotency_key == idempotency_key)
        .options(selectinload(Order.lines))
    )
    if order is None:
        return
    placed: dict[int | None, int] = {}
    for line in order.lines:
        placed[line.product_id] = placed.get(line.product_id, 0) + line.quantity
    same_customer = order.phone == customer.phone and order.email.lower() == customer.email.lower()
    if placed != wanted or not same_customer:
        raise KeyReused(idempotency_key)
    raise AlreadyPlaced(order, _key_token(idempotency_key))


def release_stock(order: Order) -> None:
    """Put the order's units back on the shelf and into their lots (products in id order).

    Units of a recalled lot are withdrawn, not put back: they must never be sold again."""
    batch_ids = {line.batch_id for line in order.lines if line.batch_id is not None}
    recalled = (
        set(
            db.session.scalars(
                select(Batch.id).where(Batch.id.in_(batch_ids), Batch.recalled_at.is_not(None))
            )
        )
        if batch_ids
        else set()
    )
    for line in sorted(order.lines, key=lambda line: (line.product_id or 0, line.batch_id or 0)):
        if line.batch_id in recalled:
            continue
        if line.product_id is not None:
            db.session.execute(
                update(Product)
                .where(Product.id == line.product_id)
                .values(stock=Product.stock + line.quantity)
            )
        if line.batch_id is not None:
            db.session.execute(
                update(Batch)
                .where(Batch.id == line.batch_id)
                .values(units_left=Batch.units_left + line.quantity)
            )


def cancel_order(order: Order, by=None, reason: str = "") -> None:
    """Cancel before shipping: stock and lots go back, money paid is to be refunded (recorded
    as due: a card refund is sent to Stripe after the commit, payments.refunds.
    send_card_refunds; a bank transfer is queued for staff), and the customer is told.

    InvalidTransition once shipped, delivered, expired or already cancelled. The caller locks
    the order first (queries.lock_order_for_change). An unpaid card order's Stripe page is
    closed beforehand (payment.close_card_payment), as it waits on the network. Flushes.
    """
    order.transition(OrderStatus.CANCELLED, by=by, note=reason)
    release_stock(order)
    if order.payments:
        from shop.payments.refunds import refund_order

        refund_order(order, by=by, reason=reason)
    queue_order_email(order, "cancelled")
    db.session.flush()


def placed_with_key(idempotency_key: str | None) -> tuple[Order, str] | None:
    """The order this idempotency key placed, with its token (a double click's first order)."""
    if not idempotency_key:
        return None
    order = db.session.scalar(select(Order).where(Order.idempotency_key == idempotency_key))
    return (order, _key_token(idempotency_key)) if order is not None else None


def find_order(code: str, token: str | None = None, user=None) -> Order | None:
    """The order when `token` is its token or `user` placed it; None otherwise (a 404)."""
    order = db.session.scalar(
        select(Order).where(Order.code == code).options(selectinload(Order.lines))
    )
    if order is None:
        return None
    owner = user is not None and user.is_authenticated and order.user_id == user.id
    return order if owner or order.check_token(token) else None


def send_order_emails() -> None:
    """Send what the last commit queued. The order is already saved: a failure here leaves the
    e-mails queued for `flask --app shop send-emails` instead of failing the request."""
    try:
        deliver_pending()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("order e-mails left queued", exc_info=True)
