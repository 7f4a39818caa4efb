"""Language choice (Vietnamese first), money and date formatting for templates."""

from flask import Flask, has_request_context, request, session
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LOGIN_MESSAGE = _l("Please log in to see this page.")


def select_locale() -> str:
    """The language the visitor chose, else the account's, else Vietnamese."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, seeds, jobs: the shop's default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "locale", None) in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_vnd(amount: int | None) -> str:
    """120000 → '120.000 ₫' (Vietnamese grouping, whatever the interface language)."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".") + "\u00a0₫"


def machine_time(moment) -> str:
    """A <time datetime> value: HTML allows at most three digits of a second, so give none."""
    return moment.isoformat(timespec="seconds") if moment else ""


def init_app(app: Flask) -> None:
    app.add_template_filter(format_vnd, "vnd")
    app.add_template_filter(machine_time, "machine_time")
    app.add_template_filter(lambda d: format_date(d, "dd/MM/yyyy") if d else "", "date")
    app.add_template_filter(
        lambda t: format_datetime(t, "HH:mm dd/MM/yyyy") if t else "", "datetime"
    )

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {"current_language": str(get_locale()), "languages": app.config["LANGUAGES"]}
