"""The demo is loaded on a stopped clock: its dates follow the day it is first loaded."""

import pytest

from shop.clock import local_today


@pytest.fixture(autouse=True)
def demo_day(clock):
    """The day the tests load the demo on (Vietnam's date at the stopped clock)."""
    return local_today()
