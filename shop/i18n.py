"""Language choice (Vietnamese first), and numbers, money and dates formatted for templates."""

from decimal import Decimal

from flask import Flask, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import Environment, pass_context

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


def group_dong(amount: int) -> str:
    """120000 → '120.000': sums of đồng are grouped the Vietnamese way in every language."""
    return f"{int(amount):,}".replace(",", ".")


def format_vnd(amount: int | None) -> str:
    """120000 → '120.000 ₫' (Vietnamese grouping, whatever the interface language)."""
    if amount is None:
        return ""
    return group_dong(amount) + "\u00a0₫"


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def format_number(value, fraction_digits: int = 2, fixed: bool = False) -> str:
    """A number as the visitor's language writes it: 1.500 and 12,5 in Vietnamese, 1,500 and
    12.5 in English (at most `fraction_digits` decimals, exactly that many when `fixed`).
    Prices use format_vnd instead."""
    if value is None:
        return ""
    digit = "0" if fixed else "#"
    pattern = "#,##0" + ("." + digit * fraction_digits if fraction_digits else "")
    return format_decimal(value, format=pattern)


def _with_numbers_formatted(translate, counted: bool):
    """Wrap one of Jinja's new-style gettext callables so that the numbers among its variables
    (and ngettext's count, as %(num)s) are written the visitor's way, not with str()."""

    @pass_context
    def call(context, *args, **variables):
        if counted:
            variables.setdefault("num", args[-1])  # args[-1] still picks the plural form
        variables = {k: format_number(v) if is_number(v) else v for k, v in variables.items()}
        return translate(context, *args, **variables)

    return call


def localise_message_numbers(env: Environment) -> None:
    """After Flask-Babel installed gettext & co. in Jinja: "From 1 to 5,000 labels" in English,
    "Từ 1 đến 5.000 tem" in Vietnamese, from _("From 1 to %(n)s labels.", n=5000)."""
    for name, counted in (
        ("gettext", False),
        ("pgettext", False),
        ("ngettext", True),
        ("npgettext", True),
    ):
        env.globals[name] = _with_numbers_formatted(env.globals[name], counted)


def machine_time(moment) -> str:
    """A <time datetime> value: HTML allows at most three digits of a second, so give none."""
    return moment.isoformat(timespec="seconds") if moment else ""


def init_app(app: Flask) -> None:
    localise_message_numbers(app.jinja_env)
    app.add_template_filter(format_number, "number")
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
