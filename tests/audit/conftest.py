"""Audit fixtures: orders built row by row, as the payment tests build them."""

import pytest

from tests.payments.orders import order_factory


@pytest.fixture
def make_order(app, make_product):
    return order_factory(make_product)
