"""Staff accounts: only an administrator creates them, changes roles and switches accounts off,
never their own (no one locks themselves out, or raises themselves). Each change is audited;
functions flush, the view commits."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from shop.audit.log import record
from shop.auth.accounts import create_account
from shop.auth.models import Role, User
from shop.extensions import db

PAGE = 50


class NotAllowed(ValueError):
    """A change of accounts that the rules refuse; the message says why."""


def team() -> list[User]:
    """Every staff and admin account, active first, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_((Role.STAFF, Role.ADMIN)))
            .order_by(User.is_enabled.desc(), User.name, User.id)
        )
    )


def search(q: str) -> list[User]:
    """Other accounts whose e-mail or name contains `q` (to make a customer staff)."""
    q = q.strip()
    if not q:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role.not_in((Role.STAFF, Role.ADMIN)),
                or_(
                    User.email.contains(q.lower(), autoescape=True),
                    User.name.contains(q, autoescape=True),
                ),
            )
            .order_by(User.email)
            .limit(PAGE)
        )
    )


def _check(admin: User, user: User) -> None:
    if admin.role != Role.ADMIN:
        raise NotAllowed(_("Only an administrator manages accounts."))
    if user.id == admin.id:
        raise NotAllowed(_("You cannot change your own account here; ask another administrator."))
    if user.role == Role.PRODUCER:
        raise NotAllowed(
            _("A producer's account belongs to its farm: its role is not changed here.")
        )


def create_staff(admin: User, *, name: str, email: str, password: str, role: Role) -> User:
    if admin.role != Role.ADMIN:
        raise NotAllowed(_("Only an administrator manages accounts."))
    if role not in (Role.STAFF, Role.ADMIN):
        raise NotAllowed(_("A new account here is for staff or an administrator."))
    user = create_account(name=name, email=email, password=password, role=role)
    record(admin, "user.create", f"user:{user.id}", None, {"email": user.email, "role": role.value})
    return user


def set_role(admin: User, user: User, role: Role) -> None:
    _check(admin, user)
    if role == Role.PRODUCER:
        raise NotAllowed(_("A producer's account is made through the farm sign-up."))
    if role == user.role:
        return
    before = {"role": user.role.value}
    user.role = role
    record(admin, "user.role", f"user:{user.id}", before, {"role": role.value})


def set_enabled(admin: User, user: User, enabled: bool) -> None:
    """An account switched off cannot log in (and a logged-in session of it stops working)."""
    _check(admin, user)
    if user.is_enabled == enabled:
        return
    user.is_enabled = enabled
    action = "user.reactivate" if enabled else "user.deactivate"
    record(admin, action, f"user:{user.id}", {"enabled": not enabled}, {"enabled": enabled})
