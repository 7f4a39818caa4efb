"""OCOP Shop: a Flask application factory and nothing else."""

from pathlib import Path

from flask import Flask

from shop import config

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    config.load(app, overrides)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from shop import (
        assets,
        i18n,
        models,  # noqa: F401 - every table on the metadata, for Alembic
    )
    from shop.auth.models import User
    from shop.catalogue import cache as catalogue_cache
    from shop.extensions import (
        babel,
        compress,
        csrf,
        db,
        limiter,
        login_manager,
        managed_by_models,
        migrate,
    )

    app.json.ensure_ascii = False  # Vietnamese stays readable in API responses
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        include_name=managed_by_models,
    )
    csrf.init_app(app)
    catalogue_cache.init_app(app)
    compress.init_app(app)
    assets.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.LOGIN_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.user_loader(lambda user_id: db.session.get(User, int(user_id)))


def register_blueprints(app: Flask) -> None:
    # Imported here, not in each package's __init__, so models can import across features.
    from shop.api.views import bp as api
    from shop.audit.views import bp as audit
    from shop.auth.views import bp as auth
    from shop.backoffice.views import bp as backoffice
    from shop.catalogue.views import bp as catalogue
    from shop.checkout.views import bp as checkout
    from shop.dashboard.views import bp as dashboard
    from shop.epcis.views import bp as epcis
    from shop.exports.views import bp as exports
    from shop.farm.views import bp as farm
    from shop.labels.views import bp as labels
    from shop.partners.views import bp as partners
    from shop.payments.stripe_webhook import bp as stripe_webhook
    from shop.payments.views import bp as payments
    from shop.payouts.views import bp as payouts
    from shop.people.views import bp as people
    from shop.places.views import bp as places
    from shop.producers.views import bp as producers
    from shop.recalls.views import bp as recalls
    from shop.scan.views import bp as scan
    from shop.site.views import bp as site
    from shop.trace.views import bp as trace

    blueprints = (
        *(site, auth, catalogue, producers, farm, trace, labels, scan),
        *(
            checkout,
            payments,
            stripe_webhook,
            backoffice,
            audit,
            exports,
            payouts,
            dashboard,
            people,
            api,
            places,
            recalls,
            partners,
            epcis,
        ),
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from shop.site.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from shop.cli import register

    register(app)
