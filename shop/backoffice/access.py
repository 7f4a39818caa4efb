"""Who may use the back office: the cooperative's staff and administrators."""

from flask import abort
from flask_login import current_user

from shop.extensions import login_manager


def require_staff():
    """A before_request hook: anonymous visitors log in first, other accounts get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_staff:
        abort(403)
    return None
