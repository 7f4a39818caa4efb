"""The order desk's questions: which orders match the filters, page by page, and how many in
each status. A handful of queries per page however many orders there are."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shop.checkout.models import Order, OrderLine, OrderStatus, PaymentMethod
from shop.extensions import db
from shop.localtime import local_day_start
from shop.producers.models import Producer
from shop.text import fold

PAGE_SIZE = 25
Q_MAX = 100
ID_MAX = 2**31 - 1


@dataclass
class DeskFilters:
    """The filters as understood; a value that could not be is dropped, with a message."""

    status: OrderStatus | None = None
    q: str = ""
    producer_id: int | None = None
    province: str = ""
    method: PaymentMethod | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    errors: list[str] = field(default_factory=list)

    def args(self, **changes) -> dict:
        """The query string for a link to these filters with `changes` (e.g. another page)."""
        values = {
            "status": self.status.value if self.status else None,
            "q": self.q or None,
            "producer": self.producer_id,
            "province": self.province or None,
            "method": self.method.value if self.method else None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "")}


def parse_filters(args) -> DeskFilters:
    """Read the desk's query string; bad values become messages, never errors."""
    filters = DeskFilters(q=args.get("q", "").strip()[:Q_MAX])
    filters.status = _choice(OrderStatus, args.get("status"), filters.errors)
    filters.method = _choice(PaymentMethod, args.get("method"), filters.errors)
    filters.province = args.get("province", "").strip()[:100]
    if raw := args.get("producer", "").strip():
        if raw.isdigit() and 0 < int(raw) <= ID_MAX:
            filters.producer_id = int(raw)
        else:
            filters.errors.append(_("“%(value)s” is not a producer.", value=raw[:20]))
    filters.date_from = _date(args.get("from"), filters.errors)
    filters.date_to = _date(args.get("to"), filters.errors)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        filters.errors.append(_("The end date is before the start date: both were ignored."))
        filters.date_from = filters.date_to = None
    if raw := args.get("page", "").strip():
        if raw.isdigit() and 0 < int(raw) <= 100_000:
            filters.page = int(raw)
        else:
            filters.errors.append(_("“%(value)s” is not a page number.", value=raw[:20]))
    return filters


def _choice(enum_cls, raw: str | None, errors: list):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        if enum_cls is OrderStatus:
            errors.append(_("“%(value)s” is not an order status.", value=raw[:20]))
        else:
            errors.append(_("“%(value)s” is not a payment method.", value=raw[:20]))
        return None


def _date(raw: str | None, errors: list) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_("“%(value)s” is not a date (YYYY-MM-DD).", value=raw[:20]))
        return None


def _conditions(filters: DeskFilters) -> list:
    """Every filter but the status (the tabs count each status under the others)."""
    where = []
    for word in fold(filters.q).split():
        where.append(Order.search_text.contains(word, autoescape=True))
    if filters.producer_id is not None:
        lines = select(OrderLine.order_id).where(OrderLine.producer_id == filters.producer_id)
        where.append(Order.id.in_(lines))
    if filters.province:
        where.append(Order.province == filters.province)
    if filters.method is not None:
        where.append(Order.payment_method == filters.method)
    if filters.date_from is not None:
        where.append(Order.created_at >= local_day_start(filters.date_from))
    if filters.date_to is not None:
        where.append(Order.created_at < local_day_start(filters.date_to + timedelta(days=1)))
    return where


@dataclass
class DeskPage:
    orders: list[Order]
    counts: dict[OrderStatus, int]
    total: int
    page: int
    pages: int


def find_orders(filters: DeskFilters) -> DeskPage:
    """One page of matching orders, newest first, with their lines; and the status counts."""
    where = _conditions(filters)
    counted = db.session.execute(
        select(Order.status, func.count(Order.id)).where(*where).group_by(Order.status)
    ).all()
    counts = dict.fromkeys(OrderStatus, 0)
    counts.update({OrderStatus(status): n for status, n in counted})
    total = counts[filters.status] if filters.status else sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    if filters.status is not None:
        where.append(Order.status == filters.status)
    orders = db.session.scalars(
        select(Order)
        .where(*where)
        .options(selectinload(Order.lines))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return DeskPage(list(orders), counts, total, page, pages)


def filter_choices() -> dict:
    """What the filter menus offer: producers with sales, and provinces delivered to."""
    producers = db.session.execute(
        select(Producer.id, Producer.name)
        .where(Producer.id.in_(select(OrderLine.producer_id)))
        .order_by(Producer.name)
    ).all()
    provinces = db.session.scalars(select(Order.province).distinct().order_by(Order.province)).all()
    return {"producers": producers, "provinces": provinces, "methods": list(PaymentMethod)}
