"""GET /backoffice/people: the cooperative's team. Staff see it; only administrators change it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from shop.auth.accounts import EmailTaken
from shop.auth.models import Role, User
from shop.backoffice.access import require_staff
from shop.extensions import db
from shop.people import staff
from shop.people.forms import NewStaffForm, RoleForm, role_label

bp = Blueprint("people", __name__, url_prefix="/backoffice/people")
bp.before_request(require_staff)


def require_admin() -> None:
    if current_user.role != Role.ADMIN:
        abort(403)


@bp.get("")
def index():
    return _page(NewStaffForm())


def _page(form: NewStaffForm):
    q = request.args.get("q", "")[:100]
    return render_template(
        "people/index.html",
        team=staff.team(),
        found=staff.search(q),
        q=q,
        form=form,
        role_form=RoleForm(),
        role_label=role_label,
        is_admin=current_user.role == Role.ADMIN,
    )


@bp.post("")
def create():
    require_admin()
    form = NewStaffForm()
    if not form.validate_on_submit():
        return _page(form), 400
    try:
        user = staff.create_staff(
            current_user,
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            role=Role(form.role.data),
        )
    except EmailTaken:
        form.email.errors = [_("This e-mail already has an account.")]
        return _page(form), 409
    db.session.commit()
    flash(_("Created the account of %(name)s.", name=user.name), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/<int(max=2147483647):user_id>/role")
def change_role(user_id: int):
    require_admin()
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(lambda: staff.set_role(current_user, user, Role(form.role.data)), user)


@bp.post("/<int(max=2147483647):user_id>/active")
def change_active(user_id: int):
    require_admin()
    user = db.get_or_404(User, user_id)
    if not FlaskForm().validate_on_submit() or request.form.get("enabled") not in ("0", "1"):
        abort(400)
    enabled = request.form["enabled"] == "1"
    return _apply(lambda: staff.set_enabled(current_user, user, enabled), user)


def _apply(change, user: User):
    try:
        change()
    except staff.NotAllowed as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return _page(NewStaffForm(formdata=None)), 409
    db.session.commit()
    flash(_("Saved the account of %(name)s.", name=user.name), "success")
    return redirect(url_for(".index", _anchor=f"user-{user.id}"), 303)
