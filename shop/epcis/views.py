"""POST /epcis/capture (EPCIS 2.0 REST binding) and its capture jobs; errors are problem+json."""

import hashlib

from flask import Blueprint, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from shop.epcis.capture import CaptureRefused, capture_document, capture_job
from shop.extensions import csrf, db, limiter
from shop.partners.partners import partner_with_key
from shop.site.errors import problem

bp = Blueprint("epcis", __name__, url_prefix="/epcis")
csrf.exempt(bp)  # partners authenticate with their API key, never with a cookie
MEDIA_TYPES = ("application/json", "application/ld+json")
HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


def caller() -> str:
    """Rate-limit by API key (hashed: the limiter's store never sees it), else by address."""
    key = bearer()
    return hashlib.sha256(key.encode()).hexdigest() if key else get_remote_address()


capture_rate = limiter.limit(
    lambda: current_app.config["EPCIS_CAPTURE_RATE_LIMIT"], key_func=caller
)


def bearer() -> str | None:
    scheme, _sep, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" and key.strip() else None


@bp.before_request
def authenticate():
    """Every capture call carries `Authorization: Bearer <the partner's API key>`."""
    g.partner = partner_with_key(bearer())
    if g.partner is None:
        body, status, headers = problem(
            401, _("Not authenticated"), _("Send a valid partner API key as a Bearer token.")
        )
        return body, status, {**headers, "WWW-Authenticate": 'Bearer realm="epcis"'}
    return None


@bp.post("/capture")
@capture_rate
def capture():
    """Capture an EPCISDocument: 202 with the capture job's Location, or a problem."""
    if request.mimetype not in MEDIA_TYPES:
        detail = _("Send the EPCISDocument as application/ld+json or application/json.")
        return problem(415, _("Unsupported media type"), detail)
    document = request.get_json(silent=True)
    if document is None:
        return problem(400, _("Invalid EPCIS document"), _("The body is not JSON."))
    try:
        result = capture_document(g.partner, document)
        db.session.commit()
    except CaptureRefused as refusal:
        db.session.rollback()
        extra = {"errors": refusal.errors} if refusal.errors else {}
        return problem(refusal.status, str(refusal.title), str(refusal.detail), **extra)
    location = url_for(".job", capture_id=result.capture_id)
    return "", 202, {**HEADERS, "Location": location}


@bp.get("/capture/<capture_id>")
def job(capture_id: str):
    """A capture job: captures finish before the 202 is sent, so it has always succeeded."""
    document = capture_job(g.partner, capture_id)
    if document is None:
        return problem(404, _("Capture not found"), _("No capture of yours has this id."))
    return document, 200, HEADERS
