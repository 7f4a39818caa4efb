"""Public pages behind the QR: GS1 Digital Link URLs, fixed forever once printed.

/01/<gtin>/10/<lot> is a batch's origin page, …/21/<serial> one labelled unit with its
authenticity verdict, /01/<gtin> the product; a compressed Digital Link is answered like its
uncompressed form. Every scan is counted (time only) in the view's single commit; a malformed
URI gets a helpful 400 page, anything well-formed but unknown a 404 page, never an error.
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
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BaseConverter

from shop.catalogue import gtin as gtin_rules
from shop.clock import local_today
from shop.extensions import db
from shop.scan import digital_link, resolver
from shop.scan.compression import NotCompressed
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

#: The endpoints that answer as a GS1 resolver (CORS, GET/HEAD/OPTIONS).
RESOLVER_ENDPOINTS = {
    f"scan.{name}"
    for name in ("product", "batch", "unit", "unmatched", "compressed", "resolver_description")
}


class CompressedConverter(BaseConverter):
    """One URI-safe base64 path segment long enough to hold a compressed GTIN."""

    regex = "[A-Za-z0-9_-]{10,}"


bp.record_once(lambda state: state.app.url_map.converters.setdefault("dl", CompressedConverter))


@bp.context_processor
def formatting():
    return {"when": shown_time, "detail_text": detail_text, "detail_rows": detail_rows}


@bp.after_request
def cross_origin(response):
    """GS1 resolver answers (pages, redirects, errors) may be read by any origin."""
    if request.endpoint in RESOLVER_ENDPOINTS:
        resolver.allow_cross_origin(response)
    return response


@bp.errorhandler(resolver.Unavailable)
def unavailable(error):
    """A link type this identifier has no link of: 404 (GS1-Conformant Resolver 1.2)."""
    return not_found("linktype", gtin=(request.view_args or {}).get("gtin"))


@bp.get("/01/<gtin>", strict_slashes=False)
def product(gtin: str):
    """The product page (a temporary redirect: its slug may change), or the product's linkset."""
    return answer(digital_link.parse(gtin, [], request.args.items(multi=True)), request.args)


@bp.get("/01/<gtin>/10/<lot>", strict_slashes=False)
def batch(gtin: str, lot: str):
    """A batch's origin page; each GET is counted as a scan of a batch-level label."""
    link = digital_link.parse(gtin, ["10", lot], request.args.items(multi=True))
    return answer(link, request.args)


@bp.get("/01/<gtin>/10/<lot>/21/<serial>", strict_slashes=False)
def unit(gtin: str, lot: str, serial: str):
    """One serialised label: counted, and judged genuine, suspicious or counterfeit."""
    segments = ["10", lot, "21", serial]
    return answer(digital_link.parse(gtin, segments, request.args.items(multi=True)), request.args)


@bp.get("/01", defaults={"rest": ""}, strict_slashes=False)
@bp.get("/01/<path:rest>")
def unmatched(rest: str):
    """Anything else under /01/: a partly compressed URI, a syntax error (400), or not ours."""
    gtin, _slash, tail = rest.rstrip("/").partition("/")
    segments = tail.split("/") if tail else []
    if len(segments) == 1 and canonical_gtin(gtin):
        return answer_compressed(segments[0], gtin)
    link = digital_link.parse(gtin, segments, request.args.items(multi=True))
    abort(not_found("path", gtin=link.gtin))


@bp.get("/<dl:token>", strict_slashes=False)
def compressed(token: str):
    """A compressed GS1 Digital Link (GS1 DL compression), answered as its uncompressed form."""
    return answer_compressed(token)


@bp.errorhandler(digital_link.SyntaxProblem)
def syntax_error(error):
    """A URI that is not a valid GS1 Digital Link: 400, with the same page for people.

    A serial no label can carry, on a batch of ours, is warned about as a counterfeit.
    """
    values = request.view_args or {}
    found = None
    if error.reason == "serial" and "serial" in values and canonical_gtin(values["gtin"]):
        found = find_batch(values["gtin"], values["lot"])
    if found is not None:
        response = counterfeit(found, values["serial"])
        response.status_code = 400
        return response
    return not_found(error.reason, status=400, gtin=values.get("gtin"))


def answer_compressed(segment: str, gtin: str | None = None):
    try:
        link = digital_link.from_compressed(segment, gtin)
    except NotCompressed:
        if gtin is None:
            abort(404)
        raise digital_link.SyntaxProblem("path") from None
    args = MultiDict(request.args)
    for key, value in link.others.items():
        args.setdefault(key, value)
    response = answer(link, args)
    uncompressed = absolute(link.path) + (f"?{link.query}" if link.query else "")
    links = [response.headers.get("Link"), resolver.same_as_header(uncompressed)]
    response.headers["Link"] = ", ".join(link for link in links if link)
    return response


def answer(link: digital_link.DigitalLink, args):
    """The answer to a syntactically valid Digital Link, uncompressed or not."""
    gtin14 = canonical_gtin(link.gtin)
    if link.gtin != gtin14:
        abort(canonical_redirect(link, gtin14))
    lot, serial = link.qualifiers.get("10"), link.qualifiers.get("21")
    if lot is None:
        if link.qualifiers:
            abort(not_found("path", gtin=gtin14))
        return product_answer(gtin14, args)
    found = scanned_batch(gtin14, lot)
    if serial is None:
        return batch_answer(found, lot, args)
    return unit_answer(found, serial, args)


def product_answer(gtin14: str, args):
    found = find_product_by_gtin(gtin14) or abort(not_found("product", gtin=gtin14))
    if not found.is_listed:
        abort(not_found("unlisted", gtin=gtin14))
    return resolver.answer_for_product(found, resolver.product_anchor(found), args)


def batch_answer(found: Batch, lot: str, args):
    anchor = absolute(url_for("scan.batch", gtin=found.product.gtin, lot=lot))
    answered = resolver.answer_for_batch(found, anchor, args)
    if answered is not None:
        return answered
    scan_id = record_batch_scan(found).id if counts_as_scan() else None
    return counted(origin_page(found, anchor, scan_id=scan_id), scan_id)


def unit_answer(found: Batch, serial: str, args):
    anchor = unit_url(found, serial)
    answered = resolver.answer_for_batch(found, anchor, args)
    if answered is not None:
        return answered if peek_serial(found, serial) else counterfeit(found, serial)
    seen = count_serial_scan(found, serial) if counts_as_scan() else peek_serial(found, serial)
    if seen is None:
        return counterfeit(found, serial)
    return counted(origin_page(found, anchor, serial=seen, scan_id=seen.scan_id), seen.scan_id)


def counts_as_scan() -> bool:
    """A person looking (GET), not a link checker's HEAD, and not a reload of the same scan."""
    return request.method == "GET" and is_new_scan()


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


def canonical_redirect(link: digital_link.DigitalLink, gtin14: str):
    """A GTIN-8/12/13 answered with a permanent redirect to the 14-digit form, query kept."""
    path = url_for("scan.product", gtin=gtin14) + link.path.removeprefix(f"/01/{gtin14}")
    query = request.query_string.decode("latin-1")
    response = redirect(f"{path}?{query}" if query else path, 301)
    response.headers["Link"] = resolver.linkset_header(absolute(path))
    return response


def scanned_batch(gtin14: str, lot: str) -> Batch:
    found = find_batch(gtin14, lot)
    if found is None:
        reason = "batch" if find_product_by_gtin(gtin14) else "product"
        abort(not_found(reason, gtin=gtin14, lot=lot))
    return found


def counted(response, scan_id: int | None):
    """Commit the scan (the view's one commit) and let this browser add its province later.

    The page is rendered first, from objects that a commit would expire and reload.
    """
    if scan_id is not None:
        db.session.commit()
        remember_scan(scan_id)
    return response


def not_found(reason: str, status: int = 404, gtin: str | None = None, lot: str | None = None):
    """The helpful 404 (or 400): what was scanned, whose shop this is, where to go instead."""
    gtin14 = canonical_gtin(gtin or "")
    html = render_template(
        "scan/not_found.html",
        reason=reason,
        status=status,
        scanned=request.full_path.rstrip("?"),
        lot=lot,
        gtin_text=gtin_rules.display(gtin14) if gtin14 else None,
    )
    return make_response(html, status)


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
