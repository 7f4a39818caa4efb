"""Every pair of order statuses: allowed changes happen and stamp their time, the rest raise."""

from datetime import UTC, datetime

import pytest

import shop.models  # noqa: F401 - every mapper, so an Order can be built without an app
from shop.checkout.models import (
    TIMESTAMPS,
    InvalidTransition,
    Order,
    OrderStatus,
    PaymentMethod,
)

S = OrderStatus
ALLOWED = {
    (S.PENDING_PAYMENT, S.PAID),
    (S.PENDING_PAYMENT, S.CANCELLED),
    (S.PENDING_PAYMENT, S.EXPIRED),
    (S.PAID, S.PACKED),
    (S.PAID, S.CANCELLED),
    (S.PACKED, S.SHIPPED),
    (S.PACKED, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
}
PAIRS = [(a, b) for a in OrderStatus for b in OrderStatus]


def an_order(status: OrderStatus) -> Order:
    return Order(
        code="DHTEST2345",
        status=status,
        payment_method=PaymentMethod.VIETQR,
        total_vnd=100_000,
    )


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_only_the_allowed_status_changes_happen(before, after):
    order = an_order(before)
    moment = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)

    if (before, after) in ALLOWED:
        assert order.can_transition(after)
        order.transition(after, at=moment)
        assert order.status == after
        assert getattr(order, TIMESTAMPS[after]) == moment
    else:
        assert not order.can_transition(after)
        with pytest.raises(InvalidTransition):
            order.transition(after, at=moment)
        assert order.status == before
        if after in TIMESTAMPS:
            assert getattr(order, TIMESTAMPS[after]) is None


def test_nothing_leaves_a_final_status_and_cancelling_stops_at_shipping():
    finals = {S.DELIVERED, S.CANCELLED, S.EXPIRED}
    assert {a for a, _ in ALLOWED}.isdisjoint(finals)
    assert {a for a, b in ALLOWED if b == S.CANCELLED} == {S.PENDING_PAYMENT, S.PAID, S.PACKED}
    assert len(PAIRS) == 49
