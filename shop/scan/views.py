"""Public pages behind the QR: GS1 Digital Link URLs, fixed forever once printed.

/01/<gtin>/10/<lot> is a batch's origin page, …/21/<serial> one labelled unit with its
authenticity verdict, /01/<gtin> the product. Every scan is counted (time only) in the view's
single commit; anything malformed or unknown gets a helpful 404 page, never an error.
"""

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from shop.catalogue import gtin as gtin_rules
from shop.extensions import db
from shop.farm.fields import local_today
from shop.scan import resolver
from shop.scan.forms import ProvinceForm
from shop.scan.links import absolute, unit_url
from shop.scan.lookup import canonical_gtin, find_batch, find_product_by_gtin
from shop.scan.maps import draw_area
from shop.scan.scans import (
    SerialScan,
    count_serial_scan,
    is_new_scan,
    is_own_scan,
    peek_serial,
    record_batch_scan,
    remember_scan,
    set_province,
)
from shop.scan.timeline import build_timeline, detail_rows, detail_text, shown_time
from shop.scan.verdicts import code_status, judge, suspicious_count
from shop.trace.models import Batch

bp = Blueprint("scan", __name__)


@bp.context_processor
def formatting():
    return {"when": shown_time, "detail_text": detail_text, "detail_rows": detail_rows}


@bp.get("/01/<gtin>")
def product(gtin: str):
    """The product page (a temporary redirect: its slug may change), or the product's linkset."""
    gtin14 = canonical_or_404(gtin)
    found = find_product_by_gtin(gtin14) or abort(not_found("product"))
    if not found.is_listed:
        abort(not_found("unlisted"))
    return resolver.answer_for_product(found, absolute(url_for("scan.product", gtin=gtin14)))


@bp.get("/01/<gtin>/10/<lot>")
def batch(gtin: str, lot: str):
    """A batch's origin page; each GET is counted as a scan of a batch-level label."""
    found = scanned_batch(gtin, lot)
    anchor = absolute(url_for("scan.batch", gtin=found.product.gtin, lot=lot))
    answer = resolver.answer_for_batch(found, anchor)
    if answer is not None:
        return answer
    scan_id = record_batch_scan(found).id if is_new_scan() else None
    return counted(origin_page(found, anchor, scan_id=scan_id), scan_id)


@bp.get("/01/<gtin>/10/<lot>/21/<serial>")
def unit(gtin: str, lot: str, serial: str):
    """One serialised label: counted, and judged genuine, suspicious or counterfeit."""
    found = scanned_batch(gtin, lot)
    anchor = unit_url(found, serial)
    answer = resolver.answer_for_batch(found, anchor)
    if answer is not None:
        return answer if peek_serial(found, serial) else counterfeit(found, serial)
    seen = count_serial_scan(found, serial) if is_new_scan() else peek_serial(found, serial)
    if seen is None:
        return counterfeit(found, serial)
    return counted(origin_page(found, anchor, serial=seen, scan_id=seen.scan_id), seen.scan_id)


@bp.get("/01/<path:rest>")
def unmatched(rest: str):
    """Anything else under /01/: a lot with a slash, extra path segments, a truncated URL."""
    abort(not_found("path"))


@bp.post("/scans/<int(max=2147483647):scan_id>/province")
def province(scan_id: int):
    """The consumer tells the province of their own scan (and nothing else about them)."""
    if not is_own_scan(scan_id):
        abort(404)
    form = ProvinceForm()
    if not form.validate_on_submit():
        return render_template("scan/province.html", form=form, scan_id=scan_id), 400
    set_province(scan_id, form.province.place)
    db.session.commit()
    return redirect(url_for("scan.thanks"))


@bp.get("/scans/thanks")
def thanks():
    """After the province: not back to the scan page, which would count another scan."""
    return render_template("scan/thanks.html")


@bp.get("/.well-known/gs1resolver")
def resolver_description():
    """Describes this GS1 Digital Link resolver (GS1 resolver standard)."""
    return resolver.resolver_description()


def canonical_or_404(gtin: str) -> str:
    """The 14-digit GTIN; a shorter valid one redirects permanently, an invalid one is a 404."""
    gtin14 = canonical_gtin(gtin)
    if gtin14 is None:
        abort(not_found("gtin"))
    if gtin != gtin14:
        target = url_for(request.endpoint, **{**request.view_args, "gtin": gtin14})
        query = request.query_string.decode("latin-1")
        abort(redirect(f"{target}?{query}" if query else target, 301))
    return gtin14


def scanned_batch(gtin: str, lot: str) -> Batch:
    gtin14 = canonical_or_404(gtin)
    found = find_batch(gtin14, lot)
    if found is None:
        abort(not_found("batch" if find_product_by_gtin(gtin14) else "product"))
    return found


def counted(response, scan_id: int | None):
    """Commit the scan (the view's one commit) and let this browser add its province later.

    The page is rendered first, from objects that a commit would expire and reload.
    """
    if scan_id is not None:
        db.session.commit()
        remember_scan(scan_id)
    return response


def not_found(reason: str):
    """The helpful 404: what was scanned, whose shop this is, and where to go instead."""
    gtin14 = canonical_gtin((request.view_args or {}).get("gtin", ""))
    html = render_template(
        "scan/not_found.html",
        reason=reason,
        scanned=request.path,
        gtin_text=gtin_rules.display(gtin14) if gtin14 else None,
    )
    return make_response(html, 404)


def counterfeit(found: Batch, serial: str):
    """A serial never printed for this batch: a warning, not a mere 'not found'."""
    html = render_template("scan/counterfeit.html", batch=found, serial=serial)
    response = make_response(html, 404)
    response.cache_control.no_store = True
    return response


def origin_page(found: Batch, anchor: str, serial: SerialScan | None = None, scan_id=None):
    """The origin page of a batch, with the verdict at the top."""
    today = local_today()
    timeline = build_timeline(found)
    html = render_template(
        "scan/batch.html",
        batch=found,
        product=found.product,
        producer=found.product.producer,
        area=found.growing_area,
        house=found.packing_house,
        area_status=code_status(found.growing_area, today) if found.growing_area else None,
        house_status=code_status(found.packing_house, today) if found.packing_house else None,
        drawing=draw_area(found.growing_area) if found.growing_area else None,
        certificate=found.product.current_certificate(today),
        lapsed=found.product.lapsed_certificate(today),
        printed_gtin=gtin_rules.display(found.product.gtin),
        timeline=timeline,
        verdict=judge(found, timeline, today, serial),
        suspicious_count=suspicious_count(),
        today=today,
        anchor=anchor,
        form=ProvinceForm() if scan_id else None,
        scan_id=scan_id,
    )
    response = make_response(html)
    response.headers["Link"] = resolver.linkset_header(anchor)
    response.vary.add("Accept")
    response.cache_control.no_store = True
    return response
