"""Staff manage partners: create one (its API key shown once), grant batches, revoke."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from shop.backoffice.access import require_staff
from shop.extensions import db
from shop.partners import partners as verbs
from shop.partners.forms import GrantForm, PartnerForm
from shop.partners.models import Partner
from shop.scan.lookup import find_batch

bp = Blueprint("partners", __name__, url_prefix="/partners")
bp.before_request(require_staff)
ID = "int(max=2147483647)"


def page(status: int = 200, **forms):
    values = {"form": PartnerForm(), "grant_form": GrantForm(), "failed": None, "key": None}
    values.update(forms)
    html = render_template("partners/index.html", partners=verbs.all_partners(), **values)
    response = make_response(html, status)
    response.cache_control.no_store = True  # a new key is on the page once, never in a cache
    return response


@bp.get("/")
def index():
    return page()


@bp.post("/")
def create():
    form = PartnerForm()
    if not form.validate_on_submit():
        return page(400, form=form)
    try:
        partner, key = verbs.create_partner(form.name.data, form.contact.data or "", current_user)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.name.errors.append(_("A partner already has this name."))
        return page(400, form=form)
    flash(_("Partner “%(name)s” is created. Copy its key now.", name=partner.name), "success")
    return page(201, key=(partner, key))


@bp.post(f"/<{ID}:partner_id>/revoke")
def revoke(partner_id: int):
    partner = db.get_or_404(Partner, partner_id)  # the CSRF token is checked for every POST
    verbs.revoke_partner(partner, current_user)
    db.session.commit()
    flash(_("The key of “%(name)s” no longer works.", name=partner.name), "info")
    return redirect(url_for(".index"), 303)


@bp.post(f"/<{ID}:partner_id>/grants")
def grant(partner_id: int):
    partner = db.get_or_404(Partner, partner_id)
    form = GrantForm()
    if not form.validate_on_submit():
        return page(400, grant_form=form, failed=partner.id)
    batch = find_batch(form.gtin.data, form.lot.data)
    if batch is None:
        form.lot.errors.append(_("No batch has this GTIN and lot."))
        return page(400, grant_form=form, failed=partner.id)
    verbs.grant_batch(partner, batch, current_user)
    db.session.commit()
    flash(
        _("“%(name)s” may now record steps of lot %(lot)s.", name=partner.name, lot=batch.lot),
        "success",
    )
    return redirect(url_for(".index", _anchor=f"partner-{partner.id}"), 303)


@bp.post(f"/<{ID}:partner_id>/grants/<{ID}:grant_id>/delete")
def ungrant(partner_id: int, grant_id: int):
    grant = verbs.grant_of(partner_id, grant_id) or abort(404)
    verbs.remove_grant(grant, current_user)
    db.session.commit()
    return redirect(url_for(".index", _anchor=f"partner-{partner_id}"), 303)
