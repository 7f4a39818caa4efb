"""Orders with several producers' lines, moved through their statuses at chosen times: what
payouts, exports and the dashboard add up. Built row by row, as tests/payments/orders.py does."""

from datetime import UTC, datetime, timedelta

from shop.checkout.models import Order, OrderLine, OrderStatus, PaymentMethod, hash_token
from shop.extensions import db
from shop.payments.models import Refund, RefundStatus
from tests.payments.orders import new_code

ROUTE = (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def make_sale(
    items,
    status: OrderStatus = OrderStatus.DELIVERED,
    at: datetime = datetime(2026, 11, 10, 3, 0, tzinfo=UTC),
    shipping_vnd: int = 35_000,
    province: str = "Thanh Hóa",
    customer_name: str = "Lê Thị Hoa",
) -> Order:
    """items: [(product, quantity)] or [(product, quantity, unit_price_vnd)]; the order is
    placed a day before `at` and reaches `status` at `at` (the steps before it on the way)."""
    lines = []
    for product, quantity, *price in items:
        unit_price = price[0] if price else product.price_vnd
        lines.append(
            OrderLine(
                product=product,
                producer_id=product.producer_id,
                product_name=product.name,
                producer_name=product.producer.name,
                gtin=product.gtin,
                unit=product.unit,
                unit_price_vnd=unit_price,
                quantity=quantity,
            )
        )
    subtotal = sum(line.unit_price_vnd * line.quantity for line in lines)
    order = Order(
        code=new_code(),
        token_hash=hash_token("t"),
        payment_method=PaymentMethod.VIETQR,
        customer_name=customer_name,
        phone="0912345678",
        email="hoa@example.vn",
        address="12 Lê Lợi",
        province=province,
        subtotal_vnd=subtotal,
        shipping_vnd=shipping_vnd,
        total_vnd=subtotal + shipping_vnd,
        created_at=at - timedelta(days=1),
        expires_at=at - timedelta(days=1) + timedelta(minutes=30),
        lines=lines,
        status=OrderStatus.PENDING_PAYMENT,
    )
    db.session.add(order)
    if status == OrderStatus.CANCELLED:
        order.transition(OrderStatus.PAID, at=at - timedelta(hours=1))
        order.transition(OrderStatus.CANCELLED, at=at)
    elif status in ROUTE:
        for step in ROUTE[: ROUTE.index(status) + 1]:
            order.transition(step, at=at)
    db.session.commit()
    return order


def make_refund(line: OrderLine, amount_vnd: int, refunded_at: datetime | None) -> Refund:
    """Money sent back for one line: done at `refunded_at`, or still due (None)."""
    refund = Refund(
        order_id=line.order_id,
        order_line_id=line.id,
        amount_vnd=amount_vnd,
        reason="Hàng bị dập",
        status=RefundStatus.DONE if refunded_at else RefundStatus.DUE,
        refunded_at=refunded_at,
    )
    db.session.add(refund)
    db.session.commit()
    return refund
