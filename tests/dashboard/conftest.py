import pytest

from shop.auth.models import Role
from shop.dashboard import charts


@pytest.fixture(autouse=True)
def fresh_charts():
    """Drawn charts live in the process: each test starts without any."""
    charts.cache.clear()
    yield
    charts.cache.clear()


@pytest.fixture
def staff(client, login, make_user):
    user = make_user(role=Role.STAFF)
    login(user)
    return user
