"""The Alembic chain builds, from nothing, exactly the schema the models describe (no drift)."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from shop import create_app
from shop.extensions import db, managed_by_models
from tests.conftest import postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A database with no tables at all: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server = make_url(request.getfixturevalue("postgres_url"))
    with postgres_schema(server, f"ocop_migrations_{uuid.uuid4().hex[:10]}") as url:
        yield url


@pytest.fixture
def migrated_app(empty_database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "UPLOAD_FOLDER": str(tmp_path),
        }
    )
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_from_empty_matches_the_models(migrated_app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": managed_by_models}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_model_table_exists_after_upgrade(migrated_app):
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_downgrade_to_base_removes_every_table(migrated_app):
    downgrade(revision="base")
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
