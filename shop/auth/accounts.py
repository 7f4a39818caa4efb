"""Accounts: create them, check a password, decide where a user lands after logging in."""

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from shop.auth.models import Role, User
from shop.extensions import db
from shop.site.views import safe_next

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class EmailTaken(Exception):
    """Another account already uses this e-mail address."""


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == User.normalise_email(email)))


def email_taken(email: str) -> bool:
    return find_by_email(email) is not None


def authenticate(email: str, password: str) -> User | None:
    """The account with this e-mail and password, or None (whether enabled or not)."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if user.check_password(password) else None


def create_account(
    *, name: str, email: str, password: str, phone: str | None = None, role: Role = Role.CONSUMER
) -> User:
    """Add a new account and flush it; EmailTaken if the address is already registered.

    Call it first in a request's transaction: losing a race for the same address rolls the
    session back, so a duplicate still gets a form error rather than a 500.
    """
    email = User.normalise_email(email)
    if email_taken(email):
        raise EmailTaken(email)
    user = User(name=name.strip(), email=email, phone=phone or None, role=role)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another sign-up with the same address won the race
        db.session.rollback()
        raise EmailTaken(email) from exc
    return user


def home_url(user: User) -> str:
    """Where each kind of account starts: staff review, producers run their farm."""
    if user.is_staff:
        return url_for("backoffice.approvals")
    if user.role == Role.PRODUCER:
        return url_for("farm.dashboard")
    return url_for("catalogue.index")


def landing_url(user: User, next_url: str | None) -> str:
    """The page the user was heading for (on this site only), else their home.

    The header's log-in link carries the page it was clicked on; the shop's front page is not
    a destination, so staff and producers who log in from there still start at their desk.
    """
    home = home_url(user)
    target = safe_next(next_url, home)
    front = url_for("catalogue.index")
    return home if target in (front, front + "?") else target
