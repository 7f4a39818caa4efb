"""Site-wide pages: health check, language switch, uploaded media."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, send_from_directory, session, url_for
from sqlalchemy import text
from werkzeug.exceptions import NotFound

from shop.catalogue.responsive import image_sources, make_variant
from shop.extensions import db

bp = Blueprint("site", __name__)
bp.add_app_template_global(image_sources)


def safe_next(target: str | None, fallback: str) -> str:
    """A redirect target on this site only: a path, never another host (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    return target


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise (load balancers read this)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("health check: database did not answer")
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok"}


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the chosen interface language in the session."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("catalogue.index")))


@bp.get("/media/<name>")
def media(name: str):
    """Uploaded and generated images, cached for good: names are content hashes, so a name
    never changes what it holds. A photo's WebP/AVIF variant is made on its first request."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise NotFound()
    make_variant(name)
    response = send_from_directory(current_app.config["UPLOAD_FOLDER"], name, max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
