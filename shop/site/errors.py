"""Error pages for people, problem+json for the API; never a bare 500 for bad input."""

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from shop.extensions import db


def wants_problem_json() -> bool:
    return request.path.startswith(("/api/", "/epcis/"))


def problem(status: int, title: str, detail: str | None = None, **extra):
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body, status, {"Content-Type": "application/problem+json"}


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Please check what you entered."),
        ),
        403: (_("Not allowed"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("We could not find what you were looking for.")),
        405: (_("Method not allowed"), _("This address does not accept that kind of request.")),
        413: (
            _("File too large"),
            _("The file you sent is too large. Please choose a smaller one."),
        ),
        429: (_("Too many attempts"), _("Please wait a minute and try again.")),
        500: (
            _("Something went wrong"),
            _("An error occurred on our side. Please try again later."),
        ),
    }


def handle_http_error(error: HTTPException):
    status = error.code or 500
    title, detail = _messages().get(status, (error.name, error.description))
    if isinstance(error, CSRFError):
        detail = _(
            "Your form expired or was sent from elsewhere. Please go back, reload and try again."
        )
    if wants_problem_json():
        return problem(status, title, getattr(error, "description", None) or detail)
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def handle_unexpected(error: Exception):
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return handle_http_error(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
