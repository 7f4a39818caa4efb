"""Orders built row by row (the checkout's place_order is not what these tests are about)."""

import secrets
from datetime import timedelta

from shop.checkout.models import Order, OrderLine, OrderStatus, PaymentMethod, hash_token
from shop.extensions import db, utcnow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "DH" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def order_factory(make_product):
    """make_order(total_vnd=135_000, status=…, method=…) → (order, token): one line, saved."""

    def _make(
        total_vnd: int = 135_000,
        shipping_vnd: int = 35_000,
        status: OrderStatus = OrderStatus.PENDING_PAYMENT,
        method: PaymentMethod = PaymentMethod.VIETQR,
        code: str | None = None,
        expires_in: timedelta = timedelta(minutes=30),
    ) -> tuple[Order, str]:
        subtotal = total_vnd - shipping_vnd
        product = make_product(name="Nem chua Thanh Hóa", price_vnd=subtotal)
        token = secrets.token_urlsafe(24)
        order = Order(
            code=code or new_code(),
            token_hash=hash_token(token),
            payment_method=method,
            customer_name="Lê Thị Hoa",
            phone="0912345678",
            email="hoa@example.vn",
            address="12 Lê Lợi, phường Hạc Thành",
            province="Thanh Hóa",
            subtotal_vnd=subtotal,
            shipping_vnd=shipping_vnd,
            total_vnd=total_vnd,
            expires_at=utcnow() + expires_in,
        )
        order.lines.append(
            OrderLine(
                product=product,
                producer_id=product.producer_id,
                product_name=product.name,
                producer_name=product.producer.name,
                gtin=product.gtin,
                unit=product.unit,
                unit_price_vnd=subtotal,
                quantity=1,
                commission_vnd=subtotal // 10,
            )
        )
        db.session.add(order)
        db.session.flush()
        if status != OrderStatus.PENDING_PAYMENT:
            order.transition(status)
        db.session.commit()
        return order, token

    return _make
