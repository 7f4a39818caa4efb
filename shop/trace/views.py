"""Producers record their growing areas, packing houses, batches and batch events."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError

from shop.clock import local_today
from shop.extensions import db
from shop.trace import areas as codes
from shop.trace.batches import (
    Refused,
    add_event,
    create_batch,
    last_area_id,
    own_batch,
    producer_batches,
)
from shop.trace.event_forms import EVENT_FORMS, MAX_PHOTOS
from shop.trace.events import verify_chain
from shop.trace.forms import UNIT_SUGGESTIONS, AreaForm, BatchForm, PackingHouseForm
from shop.trace.models import Batch, EventType, GrowingArea, PackingHouse
from shop.trace.timeline import phi_warnings, timeline

bp = Blueprint("trace", __name__, url_prefix="/trace")
ID = "int(max=2147483647)"  # larger ids cannot exist in the database: a plain 404


@bp.before_request
def require_producer():
    """Anonymous visitors log in first; any other role is not allowed here."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_producer:
        abort(403)
    return None


@bp.context_processor
def trace_context() -> dict:
    return {"today": local_today()}


def producer_id() -> int:
    return current_user.producer_id


@bp.get("/")
def index():
    return redirect(url_for(".batches"))


# Growing areas and packing houses ----------------------------------------------------------


@bp.get("/areas")
def areas():
    records = codes.own_codes(GrowingArea, producer_id())
    return render_template("trace/areas.html", areas=records)


@bp.route("/areas/new", methods=["GET", "POST"])
def new_area():
    form = AreaForm()
    if form.validate_on_submit() and _saved(form, lambda: codes.create_area(producer_id(), form)):
        flash(_("Growing area %(code)s is saved.", code=form.code.data), "success")
        return redirect(url_for(".areas"))
    return _code_page("trace/area_form.html", form, None)


@bp.route(f"/areas/<{ID}:area_id>/edit", methods=["GET", "POST"])
def edit_area(area_id: int):
    area = _own_or_404(GrowingArea, area_id)
    form = AreaForm(record=area)
    if form.validate_on_submit() and _saved(form, lambda: codes.update_area(area, form)):
        flash(_("Growing area %(code)s is saved.", code=area.code), "success")
        return redirect(url_for(".areas"))
    return _code_page("trace/area_form.html", form, area)


@bp.get("/packing-houses")
def packing_houses():
    records = codes.own_codes(PackingHouse, producer_id())
    return render_template("trace/packing_houses.html", houses=records)


@bp.route("/packing-houses/new", methods=["GET", "POST"])
def new_packing_house():
    form = PackingHouseForm()
    create = lambda: codes.create_packing_house(producer_id(), form)  # noqa: E731
    if form.validate_on_submit() and _saved(form, create):
        flash(_("Packing house %(code)s is saved.", code=form.code.data), "success")
        return redirect(url_for(".packing_houses"))
    return _code_page("trace/packing_house_form.html", form, None)


@bp.route(f"/packing-houses/<{ID}:house_id>/edit", methods=["GET", "POST"])
def edit_packing_house(house_id: int):
    house = _own_or_404(PackingHouse, house_id)
    form = PackingHouseForm(record=house)
    if form.validate_on_submit() and _saved(form, lambda: codes.update_packing_house(house, form)):
        flash(_("Packing house %(code)s is saved.", code=house.code), "success")
        return redirect(url_for(".packing_houses"))
    return _code_page("trace/packing_house_form.html", form, house)


def _own_or_404(model, record_id: int):
    record = codes.own_code(model, producer_id(), record_id)
    if record is None:
        abort(404)
    return record


def _saved(form, write) -> bool:
    """Commit the write; a code someone registered a moment ago becomes a form error."""
    try:
        write()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if form.code_taken(form.code.data):
            form.code.errors.append(_("This code is already registered in the shop."))
        else:
            flash(_("Someone saved at the same moment. Please press Save again."), "error")
        return False
    return True


def _code_page(template: str, form, record):
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, record=record), status


# Batches -------------------------------------------------------------------------------------


@bp.get("/batches")
def batches():
    page = min(max(request.args.get("page", 1, type=int), 1), 10_000)
    rows, more = producer_batches(producer_id(), page)
    checks = {batch.id: verify_chain(batch.events) for batch in rows}
    return render_template("trace/batches.html", batches=rows, checks=checks, page=page, more=more)


@bp.route("/batches/new", methods=["GET", "POST"])
def new_batch():
    form = BatchForm(producer_id=producer_id(), last_area_id=last_area_id(producer_id()))
    if not form.is_submitted():
        form.product.data = form.product.coerce(request.args.get("product"))
    if form.validate_on_submit() and (batch := _created_batch(form)):
        flash(_("Batch %(lot)s is recorded.", lot=batch.lot), "success")
        return redirect(url_for(".batch", batch_id=batch.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "trace/batch_form.html", form=form, unit_suggestions=UNIT_SUGGESTIONS
    ), status


def _created_batch(form: BatchForm) -> Batch | None:
    """Record the batch; the verb's refusal or a lot taken a moment ago is a form error."""
    try:
        batch = create_batch(
            producer_id(),
            product=form.chosen_product,
            lot=form.lot.data,
            quantity=form.quantity.data,
            quantity_unit=form.quantity_unit.data,
            today=form.today,
            growing_area=form.areas.get(form.growing_area.data),
            packing_house=form.houses.get(form.packing_house.data),
            harvest_date=form.harvest_date.data,
            packing_date=form.packing_date.data,
            best_before=form.best_before.data,
            units_left=form.units_left.data or 0,
        )
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        form[refusal.field].errors.append(str(refusal.message))
        return None
    except IntegrityError:
        db.session.rollback()
        form.lot.errors.append(_("This product already has a batch with this lot number."))
        return None
    return batch


@bp.get(f"/batches/<{ID}:batch_id>")
def batch(batch_id: int):
    record = _batch_or_404(batch_id)
    return render_template(
        "trace/batch.html", batch=record, timeline=timeline(record), links=_public_links(record)
    )


def _batch_or_404(batch_id: int) -> Batch:
    record = own_batch(producer_id(), batch_id)
    if record is None:
        abort(404)
    return record


def _public_links(batch: Batch) -> dict:
    """Links to pages of other features; left out while a feature is not installed."""
    links = {}
    targets = {
        "labels": ("labels.batch_labels", {"batch_id": batch.id}),
        "public": ("scan.batch", {"gtin": batch.product.gtin, "lot": batch.lot}),
        "recall": ("recalls.batch", {"batch_id": batch.id}),
    }
    for key, (endpoint, values) in targets.items():
        try:
            links[key] = url_for(endpoint, **values)
        except BuildError:
            links[key] = None
    return links


# Events --------------------------------------------------------------------------------------


@bp.get(f"/batches/<{ID}:batch_id>/events/new")
def choose_event(batch_id: int):
    record = _batch_or_404(batch_id)
    return render_template("trace/event_types.html", batch=record, types=list(EVENT_FORMS))


@bp.route(f"/batches/<{ID}:batch_id>/events/new/<kind>", methods=["GET", "POST"])
def new_event(batch_id: int, kind: str):
    record = _batch_or_404(batch_id)
    if kind not in set(EVENT_FORMS):  # recalls and partners' steps are not typed in here
        abort(404)
    form = _event_form(record, EventType(kind))
    if form.validate_on_submit() and (event := _recorded(record, form)):
        return redirect(url_for(".batch", batch_id=record.id, _anchor=f"event-{event.seq}"))
    return _event_page(record, form, None)


@bp.route(f"/batches/<{ID}:batch_id>/events/<{ID}:event_id>/correct", methods=["GET", "POST"])
def correct_event(batch_id: int, event_id: int):
    record = _batch_or_404(batch_id)
    original = next((e for e in record.events if e.id == event_id), None)
    if original is None or original.type not in EVENT_FORMS:
        abort(404)
    if any(e.corrects_id == original.id for e in record.events):
        flash(_("This record was already corrected: correct the newer record instead."), "error")
        return redirect(url_for(".batch", batch_id=record.id, _anchor=f"event-{original.seq}"))
    form = _event_form(record, original.type, original)
    if form.validate_on_submit() and (event := _recorded(record, form, original)):
        return redirect(url_for(".batch", batch_id=record.id, _anchor=f"event-{event.seq}"))
    return _event_page(record, form, original)


def _event_form(batch: Batch, kind: EventType, original=None):
    area = batch.growing_area
    defaults = {
        "place": area.location if area else current_user.producer.location,
        "actor": current_user.name,
        "unit": batch.quantity_unit,
    }
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return EVENT_FORMS[kind](
        owner_id=current_user.id, zone=zone, defaults=defaults, original=original
    )


def _recorded(batch: Batch, form, corrects=None):
    """Append the event and commit; a late pre-harvest-interval conflict is a warning."""
    try:
        event = add_event(
            batch,
            form.event_type,
            form.occurred_at(),
            place=form.place.data or "",
            actor=form.actor.data or "",
            notes=form.notes.data or "",
            details=form.details(),
            attachments=form.attachments(),
            corrects=corrects,
            recorded_by=current_user,
            timezone=form.zone,
        )
        warnings = phi_warnings(batch, list(batch.events))
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        if refusal.field == "time":
            form.time.errors.append(str(refusal.message))
        else:
            flash(str(refusal.message), "error")
        return None
    except IntegrityError:
        db.session.rollback()
        flash(_("Someone saved at the same moment. Please press Save again."), "error")
        return None
    flash(_("Recorded as #%(seq)s: %(type)s.", seq=event.seq, type=event.type.label), "success")
    if event.type in (EventType.INPUT_APPLIED, EventType.HARVEST):
        for warning in warnings:
            flash(_phi_message(warning), "warning")
    return event


def _phi_message(warning) -> str:
    return _(
        "Warning: harvested %(days)s days before the pre-harvest interval of %(input)s "
        "(%(phi)s days from %(applied)s) ended.",
        days=warning.days_early,
        input=warning.input or _("the input"),
        phi=warning.phi_days,
        applied=warning.applied_on.strftime("%d/%m/%Y"),
    )


def _event_page(batch: Batch, form, original):
    status = 400 if form.is_submitted() else 200
    return render_template(
        "trace/event_form.html", batch=batch, form=form, original=original, max_photos=MAX_PHOTOS
    ), status
