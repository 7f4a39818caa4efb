"""Unbound extension instances and the declarative base; create_app binds them.

utcnow is re-exported from shop.clock, where the shop's other clocks (local_today) live.
"""

import sqlite3
from decimal import Decimal

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Integer, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from shop.clock import utcnow as utcnow  # re-exported: models import it from here

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address)


def managed_by_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """What Alembic compares with the models: all but SQLite's FTS5 search mirror (a virtual
    table and its shadow tables, made by DDL beside product_search, not by a model)."""
    return not (type_ == "table" and (name or "").startswith("product_search_fts"))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: readers never wait for the writer (WAL), commits need no full fsync, and a
    writer waits up to 5 s for the lock instead of failing at once."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def lock_for_writing() -> None:
    """Call before reading what a write depends on (stock, a batch's last event).

    SQLite: start the transaction with BEGIN IMMEDIATE so it holds the write lock from its first
    read; concurrent writers then wait (busy_timeout) instead of failing with "database is
    locked". Nothing must be pending: the transaction so far, only reads, is ended first.
    PostgreSQL: nothing to do here; the write takes row locks (SELECT … FOR UPDATE / UPDATE).
    """
    if db.engine.dialect.name != "sqlite":
        return
    session = db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("lock_for_writing() must come before any change in the session")
        session.rollback()
    # pysqlite opens no transaction for reads, so the BEGIN is ours to issue; commit and rollback
    # then end it as usual.
    session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def enum_column(enum_cls):
    """A portable column type for a StrEnum: a VARCHAR holding the enum's values."""
    from sqlalchemy import Enum

    return Enum(
        enum_cls,
        native_enum=False,
        length=max(len(m.value) for m in enum_cls) + 4,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class Percent(TypeDecorator):
    """A percentage with two decimals (7.5 %), stored exactly as an integer of hundredths (750):
    SQLite has no decimal type, and a float would not add up to the đồng."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else int((Decimal(value) * 100).to_integral_exact())

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value) / 100
