"""flask create-user."""

import pytest
from sqlalchemy import select

from shop.auth.models import Role, User
from shop.extensions import db

pytestmark = pytest.mark.both_databases  # a duplicate user is a constraint


def test_create_user_with_a_role(runner):
    result = runner.invoke(
        args=["create-user", "Staff@Example.VN", "--role", "staff", "--password", "long-enough-1"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "staff@example.vn"))
    assert user.role == Role.STAFF
    assert user.check_password("long-enough-1")


def test_create_user_refuses_a_duplicate(runner, make_user):
    user = make_user()
    result = runner.invoke(args=["create-user", user.email, "--password", "long-enough-1"])
    assert result.exit_code != 0
    assert "already" in result.output


def test_create_user_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-user", "a@b.vn", "--password", "short"])
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.email == "a@b.vn")) is None


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(
        args=["create-user", "a@b.vn", "--role", "pirate", "--password", "x" * 9]
    )
    assert result.exit_code != 0
