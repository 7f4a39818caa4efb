"""GET /backoffice/audit: the log, filtered, with the chain's verdict. No route changes it."""

from flask import Blueprint, render_template, request

from shop.audit import actions, log
from shop.audit.forms import AuditFilterForm
from shop.backoffice.access import require_staff

bp = Blueprint("audit", __name__, url_prefix="/backoffice/audit")
bp.before_request(require_staff)

PAGE_SIZE = 50


@bp.get("")
def index():
    present = [(a, actions.label(a)) for a in log.recorded_actions()]
    form = AuditFilterForm(request.args, actions=present)
    form.validate()
    start, end = form.bounds()
    entries = log.find_entries(
        actor=form.valid("actor") or "",
        action=form.valid("action") or "",
        target=form.valid("target") or "",
        start=start,
        end=end,
        page=form.valid("page") or 1,
        per_page=PAGE_SIZE,
    )
    return render_template(
        "audit/index.html",
        form=form,
        entries=entries,
        verdict=log.verify_log(),
        label=actions.label,
        field_label=actions.field_label,
    )
